//! The exports a command line asks for: refused together when the bundle is
//! invalid, else written one by one, each recorded in the report.

use std::path::{Path, PathBuf};

use certbundle::export::{self, Consumer, ExportError, ExportOptions, Pkcs12Encryption, StoreType, Written};
use certbundle::{Password, Report, Validation};

use crate::args::{Args, ConsumerArg, FormatArg, StoreTypeArg};
use crate::wording::export_error;

type Export = fn(&Validation<'_>, &Path, &ExportOptions) -> Result<Vec<Written>, ExportError>;

/// Runs every export asked for. Returns an error message when one failed
/// for its own reason (exit 2); a refusal because the bundle is invalid is
/// recorded in the report and leaves the verdict's exit code.
pub(crate) fn run(
    args: &Args,
    validation: &Validation<'_>,
    report: &mut Report,
    input_password: Option<Password>,
) -> Result<(), String> {
    let targets = targets(args);
    let failing = validation.blocking_failures();
    if !failing.is_empty() && !args.export_invalid {
        let names: Vec<&str> = failing.iter().map(|id| id.as_str()).collect();
        let reason = format!(
            "the bundle is invalid ({}); --export-invalid writes it anyway",
            names.join(", ")
        );
        for (path, _) in &targets {
            eprintln!("validate: refused {}: {reason}", path.display());
            report.add_refused(path.to_string_lossy(), reason.clone());
        }
        return Ok(());
    }
    let options = options(args, input_password)?;
    for (path, export) in targets {
        match export(validation, &path, &options) {
            Ok(written) => {
                for one in written {
                    announce(args, &one);
                    report.add_written(one);
                }
            }
            Err(error) => {
                let message = export_error(&error);
                report.set_export_error(message.clone());
                return Err(message);
            }
        }
    }
    Ok(())
}

/// The export options from the command line; the export password defaults
/// to the input password.
fn options(args: &Args, input_password: Option<Password>) -> Result<ExportOptions, String> {
    let mut options = ExportOptions::default();
    options.password = match crate::read_password(
        &args.export_password,
        &args.export_password_env,
        &args.export_password_file,
    )? {
        Some(pw) => Some(pw),
        None => input_password,
    };
    if args.legacy {
        options.encryption = Pkcs12Encryption::Legacy;
    }
    options.replace_existing = args.force;
    options.alias = args.export_alias.clone();
    options.store_type = args.store_type.map(|t| match t {
        StoreTypeArg::P12 => StoreType::Pkcs12,
        StoreTypeArg::Jks => StoreType::Jks,
        StoreTypeArg::Pem => StoreType::Pem,
    });
    options.unencrypted_key = args.no_encrypt;
    Ok(options)
}

/// Every target asked for, in a fixed order, with its export.
fn targets(args: &Args) -> Vec<(PathBuf, Export)> {
    let one: [(&Option<PathBuf>, Export); 6] = [
        (&args.write_chain, |v, p, o| {
            Ok(vec![export::write_chain(v, p, o)?])
        }),
        (&args.export_p12, |v, p, o| {
            Ok(vec![export::write_pkcs12(v, p, o)?])
        }),
        (&args.export_key, |v, p, o| Ok(vec![export::write_key(v, p, o)?])),
        (&args.export_truststore, |v, p, o| {
            Ok(vec![export::write_truststore(v, p, o)?])
        }),
        (&args.export_keystore, |v, p, o| {
            Ok(vec![export::write_keystore(v, p, o)?])
        }),
        (&args.add_to_truststore, |v, p, o| {
            Ok(vec![export::add_to_truststore(v, p, o)?])
        }),
    ];
    let mut targets: Vec<(PathBuf, Export)> = one
        .into_iter()
        .filter_map(|(path, export)| path.clone().map(|p| (p, export)))
        .collect();
    if let Some(consumer) = args.for_consumer {
        let export: Export = match consumer {
            ConsumerArg::Java8 => |v, p, o| export::write_for(v, Consumer::Java8, p, o),
            ConsumerArg::Java17 => |v, p, o| export::write_for(v, Consumer::Java17, p, o),
            ConsumerArg::Dotnet => |v, p, o| export::write_for(v, Consumer::Dotnet, p, o),
            ConsumerArg::Node => |v, p, o| export::write_for(v, Consumer::Node, p, o),
            ConsumerArg::Python => |v, p, o| export::write_for(v, Consumer::Python, p, o),
            ConsumerArg::Curl => |v, p, o| export::write_for(v, Consumer::Curl, p, o),
            ConsumerArg::Go => |v, p, o| export::write_for(v, Consumer::Go, p, o),
        };
        targets.push((args.export_dir.clone(), export));
    }
    targets
}

/// A line per written file on stderr in text mode, and a warning for a key
/// written unencrypted.
fn announce(args: &Args, written: &Written) {
    if args.format != FormatArg::Text {
        return;
    }
    eprintln!("validate: {}", written.describe());
    if written.key && written.encryption == export::Encryption::None {
        eprintln!(
            "validate: warning: {} holds the private key unencrypted: whoever can read the file has the key",
            written.path.display()
        );
    }
}
