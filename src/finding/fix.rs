//! What to do about a finding, typed, so that a tool can act on it and a
//! front end can word it for its own users.

use std::borrow::Cow;
use std::fmt;

use crate::model::Format;
use crate::profile::Profile;

/// The fix a finding proposes. [`Fix::text`] words it in the library's
/// terms (no front end's options); a front end may word it otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fix {
    /// Give the certificate download: there is no certificate at all.
    GiveCertificate,
    /// Add the certificate issued for the CSR: the input holds only CA certificates.
    GiveClientCertificate,
    /// Add the root CA certificate that the chain ends below.
    AddRoot,
    /// The chain ends below its root, which the peer holds: give that root
    /// as a trust anchor to confirm the chain ends at a root the peer trusts.
    ConfirmTrustAnchor,
    /// Add the intermediate CA certificate that is missing between two present ones.
    AddIntermediate,
    /// Add the leaf's CA chain: the input the leaf came from carries only the
    /// end-entity certificate. The words depend on that input's format: the
    /// DER download, a PKCS#12 file made without its chain (rebuild it), or
    /// a file of another format.
    AddCaChain {
        /// The format of the file (or zip entry) the leaf came from, when known.
        leaf_from: Option<Format>,
    },
    /// Use the certificate issued under the trusted root, or check the trusted roots given.
    UseTrustedIssuer,
    /// Write the chain leaf first (every export does), or download it root last.
    WriteChainLeafFirst,
    /// Remove the duplicate, or write a clean chain.
    RemoveDuplicate,
    /// Remove the certificate unrelated to the chain, or write a clean chain.
    RemoveUnrelated,
    /// Use the issuer certificate whose key signed the certificate.
    UseSigningIssuer,
    /// Use the generation of the issuing CA whose key identifier matches.
    UseMatchingKeyId,
    /// The issuer is not a CA: use the portal's CA chain.
    UseCaIssuer,
    /// The chain passes a CA that may not issue CA certificates: use the portal's chain.
    UsePortalChain,
    /// A certificate carries a critical extension the validator does not
    /// process: get one without it (or validate with a tool that processes it).
    ReissueWithoutCriticalExtension,
    /// The leaf is not a client certificate: request one.
    RequestClientCertificate,
    /// A certificate is not valid yet: check the clock, or wait.
    CheckClock,
    /// The leaf expired or expires soon: renew it.
    RenewCertificate,
    /// A CA certificate expired: download the current CA chain.
    UpdateCaChain,
    /// The CSR's signature does not verify: make it again.
    RemakeRequest,
    /// The CSR is for another key than the leaf.
    FindRequestOfCertificate,
    /// The key is not the leaf's: use the key of the CSR it was issued for.
    UseKeyOfRequest,
    /// The key given is not the CSR's: give the key the CSR was made with.
    MatchKeyAndRequest,
    /// A weak signature hash: request a certificate signed with SHA-256.
    RequestSha256,
    /// A key the portal does not take: make an RSA-2048 key and request a new certificate.
    MakeRsa2048Key,
    /// The leaf's key is weak: make a new RSA-2048 key and CSR.
    ReplaceWeakKey,
    /// A CA's key is weak: the CA must be replaced.
    ReplaceCa,
    /// A certificate's public key is invalid (off its curve, a bad RSA
    /// exponent, ...): it must be reissued for a valid key.
    ReissueForValidKey,
    /// The leaf is for the other environment: use the right certificate, or validate under `profile`.
    UseOtherEnvironment {
        /// The profile the certificate belongs to.
        profile: Profile,
    },
    /// No server CA was given, so the server's certificate cannot be trusted.
    GiveServerCa,
    /// What a connection attempt's outcome suggests (the alert's likely cause).
    Connection {
        /// The advice, in words.
        advice: String,
    },
    /// A limit of the issuer search stopped it: raise that limit if the
    /// chain is meant to be searched further.
    RaiseSearchLimit {
        /// The [`crate::Limits`] field.
        field: &'static str,
        /// Its value in the search that stopped.
        value: usize,
    },
    /// A subject attribute breaks the profile's rules (a country that is not
    /// two letters, an empty value): make the CSR again with it corrected.
    CorrectSubject,
    /// A server-side certificate is no CA, or not valid now: give the server's current CA certificate.
    RenewServerCa,
    /// The subject's CN is not the one the profile requires: make a CSR with it.
    RequestWithCommonName {
        /// The CN the profile requires.
        cn: &'static str,
    },
    /// A request (not yet a certificate) carries the other environment's
    /// CN: make it again with this environment's, or validate it under the
    /// profile it was made for.
    RemakeRequestForEnvironment {
        /// The CN this profile requires.
        cn: &'static str,
        /// The profile whose CN the request carries.
        other: Profile,
    },
}

impl Fix {
    /// The fix in the library's words.
    pub fn text(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Fix::GiveCertificate => "give the certificate download (.pem, .p7b, .cer, .p12 or .zip)",
            Fix::GiveClientCertificate => {
                "add the certificate the portal issued for your CSR (the PEM, PKCS#7, DER or zip download)"
            }
            Fix::AddRoot => "add the root CA certificate; the PEM and PKCS#7 downloads include the whole root chain",
            Fix::ConfirmTrustAnchor => {
                "give the root CA certificate the server trusts as a trust anchor to confirm that the chain ends at it"
            }
            Fix::AddIntermediate => "add the intermediate CA certificate; the PEM and PKCS#7 downloads include it",
            Fix::AddCaChain { leaf_from } => return add_ca_chain(*leaf_from),
            Fix::UseTrustedIssuer => {
                "use the certificate issued under the trusted root, or check that the trusted CA file is the right one"
            }
            Fix::WriteChainLeafFirst => {
                "write the chain leaf first (every export does), or download the PEM format with the root last"
            }
            Fix::RemoveDuplicate => "remove the duplicate, or write a clean chain (leaf first, each certificate once)",
            Fix::RemoveUnrelated => "remove it from the bundle, or write a clean chain (the chain's certificates only)",
            Fix::UseSigningIssuer => {
                "use the issuer certificate that actually signed it; the portal's PEM and PKCS#7 downloads include it"
            }
            Fix::UseMatchingKeyId => {
                "the issuer certificate is another generation of that CA; use the one whose key id matches"
            }
            Fix::UseCaIssuer => {
                "the issuer must be a CA certificate; get the portal's CA chain instead of this certificate"
            }
            Fix::UsePortalChain => {
                "the chain goes through a CA that may not issue CA certificates; get the portal's chain"
            }
            Fix::ReissueWithoutCriticalExtension => {
                "ask the CA for a certificate without that critical extension, or check the chain with a validator \
                 that processes it"
            }
            Fix::RequestClientCertificate => "request a client (mutual-auth) certificate in the portal",
            Fix::CheckClock => "check the system clock, or wait until it becomes valid",
            Fix::RenewCertificate => "renew the certificate in the key-management portal",
            Fix::UpdateCaChain => "download the current CA chain from the portal",
            Fix::RemakeRequest => "make the CSR again with `openssl req -new`",
            Fix::FindRequestOfCertificate => {
                "the certificate was not issued for this request: find the CSR (and key) it was \
                 issued for, or submit this CSR to the portal"
            }
            Fix::UseKeyOfRequest => {
                "the certificate was issued for the CSR of another key: use the key that made that CSR, \
                 or request a new certificate with a CSR made from this key"
            }
            Fix::MatchKeyAndRequest => {
                "give the key the CSR was made with (the key file written with it), or make a new CSR from this key"
            }
            Fix::RequestSha256 => "request a certificate signed with SHA-256",
            Fix::MakeRsa2048Key => "make the key with `openssl req -newkey rsa:2048` and request a new certificate",
            Fix::ReplaceWeakKey => {
                "make a new RSA-2048 key and CSR (`openssl req -newkey rsa:2048`) and request a new certificate"
            }
            Fix::ReplaceCa => "the CA must be replaced; download the portal's current chain",
            Fix::ReissueForValidKey => "the certificate must be reissued for a valid key",
            Fix::RenewServerCa => {
                "give the server's current CA certificate (a CA certificate valid now), or the zip download that \
                 carries it"
            }
            Fix::UseOtherEnvironment { profile } => return use_other_environment(*profile),
            Fix::CorrectSubject => {
                "make the CSR again with the attribute corrected (or left out) and request a new certificate"
            }
            Fix::GiveServerCa => {
                "give the server's CA certificate (the network's CA, or the zip download that carries it)"
            }
            Fix::Connection { advice } => return Cow::Owned(advice.clone()),
            Fix::RaiseSearchLimit { field, value } => return raise_search_limit(field, *value),
            Fix::RequestWithCommonName { cn } => return request_with_common_name(cn),
            Fix::RemakeRequestForEnvironment { cn, other } => return remake_request_for_environment(cn, *other),
        })
    }
}

/// The words of [`Fix::UseOtherEnvironment`].
fn use_other_environment(profile: Profile) -> Cow<'static, str> {
    Cow::Owned(format!(
        "use the certificate issued for this environment, or validate under the {profile} profile"
    ))
}

/// The words of [`Fix::RaiseSearchLimit`].
fn raise_search_limit(field: &str, value: usize) -> Cow<'static, str> {
    Cow::Owned(format!(
        "if the bundle is meant to be like this, raise the limit `Limits::{field}` (now {value}) and \
         validate again; otherwise give only the certificates of the chain"
    ))
}

/// The words of [`Fix::RequestWithCommonName`].
fn request_with_common_name(cn: &str) -> Cow<'static, str> {
    Cow::Owned(format!(
        "make the CSR again with CN `{cn}` and request a new certificate"
    ))
}

/// The words of [`Fix::RemakeRequestForEnvironment`].
fn remake_request_for_environment(cn: &str, other: Profile) -> Cow<'static, str> {
    Cow::Owned(format!(
        "make the CSR again with CN `{cn}` for this environment, or, if this CSR is meant for the other one, \
         validate it under the {other} profile"
    ))
}

/// The words of [`Fix::AddCaChain`]: what the leaf's file is decides the cause.
fn add_ca_chain(leaf_from: Option<Format>) -> Cow<'static, str> {
    let file =
        match leaf_from {
            Some(Format::Der) => {
                return Cow::Borrowed(
                    "the DER download carries only the end-entity certificate: add the CA chain file, \
                 or download the PEM or PKCS#7 format, which include it",
                )
            }
            Some(Format::Pkcs12) => return Cow::Borrowed(
                "the PKCS#12 file was made without the CA chain: give the CA chain files (the PEM or PKCS#7 \
                 download) alongside it, and export a new PKCS#12 from them, which includes the chain",
            ),
            Some(Format::Jks) => return Cow::Borrowed(
                "the keystore's key entry was stored without the CA chain: give the CA chain files (the PEM or \
                 PKCS#7 download) alongside it, and export a new keystore from them, which includes the chain",
            ),
            Some(Format::Pem) => "the PEM file",
            Some(Format::Pkcs7) => "the PKCS#7 file",
            Some(Format::Zip | Format::Pkcs10 | Format::Key | Format::Ignored) | None => "the input",
        };
    Cow::Owned(format!(
        "{file} carries only the end-entity certificate: add the CA chain file, or use the portal's PEM or \
         PKCS#7 download, which include it"
    ))
}

impl fmt::Display for Fix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}
