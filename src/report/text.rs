//! The text report: a header with the verdict, one line per chain
//! certificate, one line per finding (its fix included).

use std::fmt::Write;

use super::{Report, Verdict};
use crate::finding::{Severity, Status};
use crate::timestamp::rfc3339;

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
        return writeln!(out, "  {}", error.message);
    }
    writeln!(
        out,
        "{verdict}: {errors} error(s), {warnings} warning(s) at {} (profile {})",
        report.validated_at,
        report.profile.as_str()
    )?;
    for input in &report.inputs {
        writeln!(out, "input {} ({})", input.path(), input.format())?;
        for entry in input.entries() {
            writeln!(out, "  entry {} ({})", entry.name(), entry.format())?;
        }
    }
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
                cert.subject,
                cert.key,
                rfc3339(cert.not_after).get(..10).unwrap_or_default(),
                cert.source.file_and_entry()
            )?;
        }
    }
    for (i, chain) in report.extra_ca.iter().enumerate() {
        writeln!(out, "extra CA chain {}:", i + 1)?;
        for cert in chain {
            writeln!(out, "      {}  {}", cert.subject, cert.source.file_and_entry())?;
        }
    }
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
            finding.message
        )?;
    }
    Ok(())
}
