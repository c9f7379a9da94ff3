//! The text report: a header with the verdict, one line per chain
//! certificate, one line per finding (its fix included).
//!
//! Every text that comes from an input (certificate names, file and zip
//! entry names, PEM labels and headers inside messages) goes through
//! [`clean`]: the terminal is not the input's to control.

use std::borrow::Cow;
use std::fmt::Write;

use super::{Report, Verdict};
use crate::connection::Connection;
use crate::finding::{Severity, Status};

/// Lets the renderer (a `fmt::Write` user) write to an `io::Write`, keeping
/// the first io error, which `fmt::Error` cannot carry.
pub(super) struct IoWriter<W> {
    pub(super) out: W,
    pub(super) result: std::io::Result<()>,
}

impl<W: std::io::Write> Write for IoWriter<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.result = Err(e);
            std::fmt::Error
        })
    }
}

struct Paint(bool);

impl Paint {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Replaces every control character (C0, DEL, C1, so ESC, BEL, CR and LF
/// too) and every bidirectional control (U+061C, U+200E/F, U+202A-202E,
/// U+2066-2069) with its visible `\u{..}` form.
fn clean(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

pub(super) fn render(report: &Report, color: bool, out: &mut impl Write) -> std::fmt::Result {
    let paint = Paint(color);
    let count = |sev: Severity| report.findings.iter().filter(|f| f.severity == sev).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let verdict = match report.verdict {
        Verdict::Valid => paint.paint("1;32", "VALID"),
        Verdict::Invalid => paint.paint("1;31", "INVALID"),
        Verdict::Error => paint.paint("1;31", "ERROR"),
    };
    // An export's own failure (kind `export`) leaves the report whole; the
    // front end says what failed.
    if let Some(error) = report.error.as_ref().filter(|_| report.verdict == Verdict::Error) {
        writeln!(out, "{verdict}: the input could not be read ({})", error.kind)?;
        return writeln!(out, "  {}", clean(&error.message));
    }
    writeln!(
        out,
        "{verdict}: {errors} error(s), {warnings} warning(s) at {} (profile {})",
        report.validated_at,
        report.profile.as_str()
    )?;
    render_material(report, out)?;
    if let Some(connection) = &report.connection {
        render_connection(connection, out)?;
    }
    render_checks(report, paint, out)
}

/// The inputs, the request validated alone, the chain, the key and the
/// extra CA chains.
fn render_material(report: &Report, out: &mut impl Write) -> std::fmt::Result {
    for input in &report.inputs {
        writeln!(out, "input {} ({})", clean(input.path()), input.format())?;
        for entry in input.entries() {
            writeln!(out, "  entry {} ({})", clean(entry.name()), entry.format())?;
        }
    }
    if let Some(request) = &report.request {
        writeln!(
            out,
            "request {}  ({}, {}, SPKI sha256 {})  {}",
            clean(request.subject.as_str()),
            request.key,
            request.signature,
            crate::digest::hex(&request.spki_sha256),
            clean(&request.source.file_and_entry())
        )?;
    }
    render_chain(report, out)?;
    if let Some(key) = &report.key {
        let block = key.block.map(|b| format!(" block {b}")).unwrap_or_default();
        writeln!(
            out,
            "key: {} matches the leaf  {}{block}",
            key.algorithm,
            key.source.file_and_entry()
        )?;
    }
    for (i, chain) in report.extra_ca.iter().enumerate() {
        writeln!(out, "extra CA chain {}:", i + 1)?;
        for cert in chain {
            writeln!(
                out,
                "      {}  {}",
                clean(cert.subject.as_str()),
                clean(&cert.source.file_and_entry())
            )?;
        }
    }
    Ok(())
}

/// The chain, leaf first, with each certificate's role and expiry date.
fn render_chain(report: &Report, out: &mut impl Write) -> std::fmt::Result {
    if !report.chain.is_empty() {
        let order = report.input_order.map_or("", |o| o.as_str());
        writeln!(out, "chain (input order: {order}):")?;
        for (pos, entry) in report.chain.iter().enumerate() {
            let cert = &entry.cert;
            let block = cert.block.map(|b| format!(" block {b}")).unwrap_or_default();
            writeln!(
                out,
                "  [{pos}] {:<12} {}  ({}, expires {})  {}{block}",
                entry.role.as_str(),
                clean(cert.subject.as_str()),
                cert.key,
                cert.not_after.to_string().get(..10).unwrap_or_default(),
                clean(&cert.source.file_and_entry())
            )?;
        }
    }
    Ok(())
}

/// Every check's status, then the findings.
fn render_checks(report: &Report, paint: Paint, out: &mut impl Write) -> std::fmt::Result {
    let statuses: Vec<String> = report
        .checks
        .iter()
        .map(|(id, status)| {
            let code = match status {
                Status::Pass => "32",
                Status::Warn => "33",
                Status::Fail => "31",
                Status::Skip => "2",
            };
            format!("{id} {}", paint.paint(code, status.as_str()))
        })
        .collect();
    writeln!(out, "checks: {}", statuses.join(", "))?;
    for finding in &report.findings {
        let label = match finding.severity {
            Severity::Error => paint.paint("31", "error  "),
            Severity::Warning => paint.paint("33", "warning"),
            Severity::Info => paint.paint("2", "info   "),
        };
        writeln!(
            out,
            "  {label} {:<15} {}",
            finding.check.as_str(),
            clean(&finding.message)
        )?;
    }
    Ok(())
}

/// The connection attempt: where, what was negotiated, what the server
/// sent and asked for, and how it ended.
fn render_connection(connection: &Connection, out: &mut impl Write) -> std::fmt::Result {
    writeln!(
        out,
        "connection to {} (server name {}): {} {}",
        connection.address,
        connection.server_name,
        connection.protocol.unwrap_or("no protocol agreed"),
        connection.cipher.as_deref().unwrap_or("")
    )?;
    for cert in &connection.server_chain {
        writeln!(out, "  server sent {} (issued by {})", cert.subject, cert.issuer)?;
    }
    if connection.client_auth_requested {
        let cas: Vec<String> = connection
            .acceptable_client_cas
            .iter()
            .map(|n| format!("`{n}`"))
            .collect();
        writeln!(
            out,
            "  the server asked for a client certificate under: {}; {} certificate(s) sent",
            if cas.is_empty() {
                "any CA (it named none)".to_owned()
            } else {
                cas.join(", ")
            },
            connection.sent_certificates
        )?;
    } else {
        writeln!(out, "  the server asked for no client certificate")?;
    }
    if let Some(alert) = connection.alert {
        writeln!(out, "  alert {} {}", alert.code, alert.name)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn controls_and_bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(
            clean("CN=a\u{1b}[2Jb\u{202e}gpj.exe\r\n\u{7}\u{85}\u{2066}x\u{2069}\t"),
            "CN=a\\u{1b}[2Jb\\u{202e}gpj.exe\\u{d}\\u{a}\\u{7}\\u{85}\\u{2066}x\\u{2069}\\u{9}"
        );
        assert!(matches!(
            clean("CN=plain, O=Ünïcode"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
