//! The library's words in this CLI's terms: fixes and export errors name
//! the options that carry them out.

use std::borrow::Cow;

use certbundle::export::ExportError;
use certbundle::model::Format;
use certbundle::report::Fix;

/// The fixes that a command-line user carries out with one of this CLI's
/// options, in words that name the option; the library's words otherwise.
pub(crate) fn cli_wording(fix: &Fix) -> Option<Cow<'static, str>> {
    Some(match fix {
        Fix::WriteChainLeafFirst => {
            "write it leaf first with --write-chain FILE (every --export-* writes it so), or download the PEM \
             format with the root last"
                .into()
        }
        Fix::RemoveDuplicate => "remove the duplicate, or write a clean chain with --write-chain FILE".into(),
        Fix::RemoveUnrelated => "remove it from the bundle, or write a clean chain with --write-chain FILE".into(),
        Fix::UseTrustedIssuer => {
            "use the certificate issued under the trusted root, or check that the --trust file is the right one".into()
        }
        Fix::UseOtherEnvironment { profile } => {
            format!("use the certificate issued for this environment, or validate with --profile {profile}").into()
        }
        Fix::RemakeRequestForEnvironment { cn, other } => format!(
            "make the CSR again with CN `{cn}` for this environment, or, if this CSR is meant for the other one, \
             validate it with --profile {other}"
        )
        .into(),
        Fix::RenewServerCa => {
            "give the server's current CA certificate with --server-ca FILE, or the zip download that carries it"
                .into()
        }
        Fix::GiveServerCa => "give the server's CA certificate with --server-ca FILE (the network's CA, or the zip \
                              download that carries it)"
            .into(),
        Fix::ConfirmTrustAnchor => "give the root CA certificate the server trusts with --trust ROOT to confirm that \
                                    the chain ends at it"
            .into(),
        Fix::AddCaChain {
            leaf_from: Some(Format::Pkcs12),
        } => "the PKCS#12 file was made without the CA chain: give the CA chain files (the PEM or PKCS#7 \
              download) alongside it, and write a new one with --export-p12 FILE, which includes the chain"
            .into(),
        _ => return None,
    })
}

/// An export error with the option that resolves it.
pub(crate) fn export_error(error: &ExportError) -> String {
    let hint = match error {
        ExportError::NoKey { .. } => " (--key FILE)",
        ExportError::NoServerSide { .. } => " (--server-ca FILE)",
        ExportError::PasswordRequired { .. } => {
            " (--export-password-env VAR or --export-password-file F; --no-encrypt for an unencrypted --export-key)"
        }
        ExportError::Exists { .. } => " (--force replaces it)",
        ExportError::Invalid { .. } => " (--export-invalid writes it anyway)",
        ExportError::Unsupported { .. } => " (--store-type p12|jks)",
        _ => "",
    };
    format!("{error}{hint}")
}

/// The option that resolves an input error of `kind`, for the report's
/// error message (the library's words name no option).
pub(crate) fn input_error_hint(kind: &str, message: &str) -> &'static str {
    match kind {
        "password-required" => " (--password-env VAR or --password-file F; --password PW is visible in `ps`)",
        "wrong-password" => " (each --password-env / --password-file / --password given is tried in turn)",
        "io" if message.contains("is a directory") => " (--each validates every file below it)",
        _ => "",
    }
}
