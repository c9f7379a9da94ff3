//! Every command README.md shows is run here, and its output and exit code
//! compared with what the README shows (issue 11, "How it is shown"), so the
//! README cannot drift from the software.
//!
//! What counts as a shown command:
//! - a ```text block whose lines start with `$ ` prompts (a line ending in
//!   `\` continues on the next); the lines after a command, up to the next
//!   prompt, are its output (stdout and stderr, as a terminal shows them);
//! - a ```sh block: its first command's output is the ```text block without
//!   a prompt that follows it. Its only other command may be `cargo test`,
//!   which CI (`.ci/run`) runs itself: running it here would recurse.
//!
//! Any other ```text block without a prompt is an error (an output nobody
//! checks), except the illustrations of [`ILLUSTRATIONS`]; so is a fenced
//! block other than text, sh, rust and rust,no_run (the Rust blocks are
//! compiled by `cargo test --doc`: src/lib.rs includes README.md under
//! `cfg(doctest)`).
//!
//! Each `##` section is one terminal session: its commands run in order, in
//! one `bash`, in a fresh directory where `testdata` links to the fixtures,
//! so what one block writes or exports the next can read (step 1's second
//! block refuses to overwrite the key its first block made). `V` and
//! `cargo run [--release] --example NAME --` run the example binaries that
//! `cargo test` built (see [`PRELUDE`]); cargo is never invoked per command.
//!
//! Exit codes: a command followed by `echo $?` shows its own; the first
//! command of a block whose introducing paragraph states `exit N` or `exit
//! code N` must exit N; every other command must exit 0.
//!
//! Output is compared byte for byte, but for the rules of [`RULES`], each
//! named, each applied only to its command's output and to the lines of its
//! exact shape. The Connect section's `openssl s_server` peers are started
//! here on free loopback ports (see [`SERVERS`]), and the port is substituted
//! in the commands and their expected output.
//!
//! Like tests/cli.rs, this runs the example binaries: `cargo test` builds
//! them first; `cargo test --test readme` alone does not (build them with
//! `cargo build --examples`).

#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::fmt::Write as _;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::s_server::{fixture_identity, requiring, SServer};
use common::{example, path, scratch};

/// Sections whose prompt-less ```text block is a picture, not an output.
const ILLUSTRATIONS: &[&str] = &["Architecture"];

/// Tools a section may call besides the examples; a section that names one
/// that is missing is skipped with a note (CI installs them all).
const TOOLS: &[&str] = &["openssl", "keytool", "python3"];

/// A section's whole session is bounded; it takes seconds.
const SESSION_TIMEOUT: Duration = Duration::from_secs(120);

/// The Connect section's peers, by the port the README shows: `openssl
/// s_server -Verify 2 -verify_return_error -CAfile CA` with the server
/// identity of `testdata/server/` (leaf and issuing CA), as the paragraph
/// before each block says (checked: it must name `-CAfile testdata/CA`).
const SERVERS: &[(u16, &str)] = &[(8443, "certs/rsa-root.crt"), (8444, "certs/server-root.crt")];

/// Defines what the README's commands call, then runs them (see
/// [`script`]). The umask is a terminal's usual one: the README shows modes.
const PRELUDE: &str = r#"umask 022
# The README's `cargo run [--release] --example NAME --`: the built example
# (the README shows none of cargo's own build lines).
cargo() {
  if [ "$1" = run ]; then shift; else echo "cargo $*: not run by tests/readme.rs" >&2; return 127; fi
  if [ "$1" = --release ]; then shift; fi
  if [ "$1" = --example ] && [ "$3" = -- ]; then
    local name=$2; shift 3; "$README_EXAMPLES/$name" "$@"
  else
    echo "cargo run $*: not run by tests/readme.rs" >&2; return 127
  fi
}
# The README: "`V` is `cargo run --release --example validate --`" (checked).
V() { cargo run --release --example validate -- "$@"; }
# Sets $? to a recorded status, for the README's `echo $?`.
readme_status() { return "$1"; }
"#;

/// One command the README shows, with what it shows of the result.
#[derive(Debug, PartialEq)]
struct Shown {
    /// README line of the command.
    line: usize,
    /// The command as bash reads it (continuation lines included).
    command: String,
    /// README line of the first output line, and the output lines.
    output_line: usize,
    output: Vec<String>,
    /// The exit code it must end with; `None` when the next command is
    /// `echo $?`, which shows it.
    exit: Option<i32>,
    /// The paragraph that introduces its block.
    intro: String,
}

/// A `##` section: one terminal session.
#[derive(Debug, PartialEq)]
struct Section {
    title: String,
    commands: Vec<Shown>,
}

/// One fenced block, by its info string, body and the line of its body.
struct Fence<'a> {
    info: &'a str,
    body: &'a [&'a str],
    first_line: usize,
}

/// Splits `readme` into its sections' shown commands, or says which block
/// shows something this test could not check.
fn parse(readme: &str) -> Result<Vec<Section>, String> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut sections = vec![Section {
        title: String::new(),
        commands: Vec::new(),
    }];
    // The last paragraph of prose, which introduces the next block.
    let mut paragraph = String::new();
    let mut after_blank = false;
    // A ```sh block's first command, waiting for its output block.
    let mut pending: Option<Shown> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(title) = line.strip_prefix("## ") {
            if let Some(shown) = pending.take() {
                return Err(format!(
                    "README.md:{}: `{}` shows no output",
                    shown.line, shown.command
                ));
            }
            sections.push(Section {
                title: title.to_owned(),
                commands: Vec::new(),
            });
            paragraph.clear();
        } else if let Some(info) = line.strip_prefix("```") {
            let end = (i + 1..lines.len())
                .find(|&j| lines[j] == "```")
                .ok_or_else(|| format!("README.md:{}: the block never ends", i + 1))?;
            let fence = Fence {
                info,
                body: &lines[i + 1..end],
                first_line: i + 2,
            };
            let section = sections.last_mut().unwrap();
            block(&fence, section, &paragraph, &mut pending)?;
            paragraph.clear();
            i = end;
        } else if line.trim().is_empty() {
            after_blank = true;
        } else {
            if std::mem::take(&mut after_blank) {
                paragraph.clear();
            }
            paragraph.push_str(line);
            paragraph.push('\n');
        }
        i += 1;
    }
    for section in &mut sections {
        mark_echoed(&mut section.commands);
    }
    sections.retain(|s| !s.commands.is_empty());
    Ok(sections)
}

/// Adds the commands of one fenced block to `section`.
fn block(
    fence: &Fence<'_>,
    section: &mut Section,
    intro: &str,
    pending: &mut Option<Shown>,
) -> Result<(), String> {
    let stated = stated_exit(intro).map_err(|e| format!("README.md:{}: {e}", fence.first_line - 1))?;
    match fence.info {
        "text" if fence.body.iter().any(|l| l.starts_with("$ ")) => {
            let mut commands = session(fence)?;
            commands[0].exit = stated.or(commands[0].exit);
            for shown in &mut commands {
                intro.clone_into(&mut shown.intro);
            }
            section.commands.extend(commands);
        }
        "text" => match pending.take() {
            Some(mut shown) => {
                shown.output_line = fence.first_line;
                shown.output = fence.body.iter().map(|l| (*l).to_owned()).collect();
                shown.exit = stated.or(shown.exit);
                intro.clone_into(&mut shown.intro);
                section.commands.push(shown);
            }
            None if ILLUSTRATIONS.contains(&section.title.as_str()) => {}
            None => {
                return Err(format!(
                    "README.md:{}: an output block under no command: show it under a `$ ` prompt",
                    fence.first_line - 1
                ))
            }
        },
        "sh" => {
            let mut commands = sh_commands(fence.body, fence.first_line)?.into_iter();
            *pending = commands.next();
            // CI (.ci/run) runs `cargo test` itself; here it would recurse.
            if let Some(other) = commands.find(|c| c.command != "cargo test") {
                return Err(format!(
                    "README.md:{}: `{}` shows no output: only a ```sh block's first command has one",
                    other.line, other.command
                ));
            }
        }
        // Compiled by `cargo test --doc` (src/lib.rs includes README.md).
        "rust" | "rust,no_run" => {}
        info => {
            return Err(format!(
                "README.md:{}: a ```{info} block: only text, sh, rust and rust,no_run blocks are checked",
                fence.first_line - 1
            ))
        }
    }
    Ok(())
}

/// The commands and outputs of a ```text block of `$ ` prompts.
fn session(fence: &Fence<'_>) -> Result<Vec<Shown>, String> {
    let mut commands: Vec<Shown> = Vec::new();
    let mut k = 0;
    while k < fence.body.len() {
        let line = fence.body[k];
        if line.starts_with("$ ") {
            let shown = command_at(&fence.body[k..], fence.first_line + k)?;
            k += shown.command.lines().count();
            commands.push(shown);
            continue;
        }
        let Some(last) = commands.last_mut() else {
            return Err(format!(
                "README.md:{}: output before the block's first `$ ` command",
                fence.first_line + k
            ));
        };
        last.output.push(line.to_owned());
        k += 1;
    }
    Ok(commands)
}

/// The command that starts at `lines[0]` (a `$ ` prompt, or a line of a
/// ```sh block), with its `\` continuation lines.
fn command_at(lines: &[&str], line: usize) -> Result<Shown, String> {
    let mut command = lines[0].strip_prefix("$ ").unwrap_or(lines[0]).to_owned();
    let mut n = 1;
    while command.ends_with('\\') {
        let next = lines
            .get(n)
            .ok_or_else(|| format!("README.md:{line}: the command's last line ends in `\\`"))?;
        command.push('\n');
        command.push_str(next);
        n += 1;
    }
    Ok(Shown {
        line,
        command,
        output_line: line + n,
        output: Vec::new(),
        exit: Some(0),
        intro: String::new(),
    })
}

/// The commands of a ```sh block (blank lines and `#` comments aside).
fn sh_commands(body: &[&str], first_line: usize) -> Result<Vec<Shown>, String> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < body.len() {
        if body[k].trim().is_empty() || body[k].starts_with('#') {
            k += 1;
            continue;
        }
        let shown = command_at(&body[k..], first_line + k)?;
        k += shown.command.lines().count();
        out.push(shown);
    }
    Ok(out)
}

/// A command whose status the next command's `echo $?` shows is not held
/// to one here: the echo's output is.
fn mark_echoed(commands: &mut [Shown]) {
    for k in 1..commands.len() {
        if commands[k].command == "echo $?" {
            commands[k - 1].exit = None;
        }
    }
}

/// The exit code a paragraph states (`exit 1`, `exit code 1`), if one.
fn stated_exit(paragraph: &str) -> Result<Option<i32>, String> {
    let lower = paragraph.to_lowercase();
    let mut codes = Vec::new();
    for (at, _) in lower.match_indices("exit ") {
        let rest = &lower[at + "exit ".len()..];
        let rest = rest.strip_prefix("code ").unwrap_or(rest);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(code) = digits.parse() {
            codes.push(code);
        }
    }
    match codes[..] {
        [] => Ok(None),
        [code] => Ok(Some(code)),
        _ => Err(format!(
            "the paragraph states several exit codes {codes:?}: which is the block's?"
        )),
    }
}

/// A named rewrite of output that varies from run to run, for the output
/// of commands it `applies` to; applied to the README's line and the real
/// one alike, and only to lines of its exact shape.
struct Rule {
    name: &'static str,
    applies: fn(&str) -> bool,
    rewrite: fn(&str) -> Option<String>,
}

const RULES: &[Rule] = &[
    // keytool lists a PKCS#12 entry with the date the store was read (the
    // file records none) and a trailing space, which no README keeps.
    Rule {
        name: "keytool-entry-date",
        applies: |command| command.contains("keytool -list"),
        rewrite: keytool_entry,
    },
    // The request example makes a fresh key: its SPKI hash is new each run.
    Rule {
        name: "request-fresh-spki",
        applies: |command| command.contains("--example request --"),
        rewrite: fresh_spki,
    },
];

/// `mtf xbs, Nov 29, 2026, PrivateKeyEntry, ` -> `mtf xbs, DATE, PrivateKeyEntry,`.
fn keytool_entry(line: &str) -> Option<String> {
    let [alias, day, year, kind] = line.trim_end_matches(' ').split(", ").collect::<Vec<_>>()[..] else {
        return None;
    };
    let (month, date) = day.split_once(' ')?;
    let month_ok = month.len() == 3 && month.chars().all(|c| c.is_ascii_alphabetic());
    let date_ok = (1..=2).contains(&date.len()) && date.chars().all(|c| c.is_ascii_digit());
    let year_ok = year.len() == 4 && year.chars().all(|c| c.is_ascii_digit());
    (month_ok && date_ok && year_ok && kind.ends_with("Entry,")).then(|| format!("{alias}, DATE, {kind}"))
}

/// `  SPKI SHA-256  <64 hex digits>` -> `  SPKI SHA-256  HASH`.
fn fresh_spki(line: &str) -> Option<String> {
    let hash = line.strip_prefix("  SPKI SHA-256  ")?;
    let hex = hash.len() == 64 && hash.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'));
    hex.then(|| "  SPKI SHA-256  HASH".to_owned())
}

fn normalise(command: &str, line: &str) -> String {
    RULES
        .iter()
        .filter(|rule| (rule.applies)(command))
        .find_map(|rule| (rule.rewrite)(line))
        .unwrap_or_else(|| line.to_owned())
}

/// What differs between the shown and the real result of one command, as
/// a message naming the README lines, or `None`.
fn compare(shown: &Shown, actual: &str, code: i32) -> Option<String> {
    let mut problems = String::new();
    if let Some(expected) = shown.exit.filter(|&e| e != code) {
        let _ = writeln!(problems, "  exit code: README {expected}, real {code}");
    }
    let real: Vec<&str> = match actual.strip_suffix('\n') {
        Some(body) => body.split('\n').collect(),
        None if actual.is_empty() => Vec::new(),
        None => {
            let _ = writeln!(problems, "  the real output does not end in a newline");
            actual.split('\n').collect()
        }
    };
    let longest = shown.output.len().max(real.len());
    let differs = (0..longest).find(|&k| {
        let want = shown.output.get(k).map(|l| normalise(&shown.command, l));
        let got = real.get(k).map(|l| normalise(&shown.command, l));
        want != got
    });
    if let Some(k) = differs {
        let quote = |l: Option<&str>| l.map_or("(no line)".to_owned(), |l| format!("`{l}`"));
        let at = format!("README.md:{}:", shown.output_line + k);
        let _ = write!(
            problems,
            "  {at} README {}\n  {:width$} real   {}\n  real output:\n{}",
            quote(shown.output.get(k).map(String::as_str)),
            "",
            quote(real.get(k).copied()),
            indent(actual),
            width = at.len(),
        );
    }
    let rules: Vec<&str> = RULES
        .iter()
        .filter(|rule| (rule.applies)(&shown.command))
        .map(|rule| rule.name)
        .collect();
    if !problems.is_empty() && !rules.is_empty() {
        let _ = writeln!(problems, "  (compared after the rules {rules:?})");
    }
    (!problems.is_empty()).then(|| format!("README.md:{}: `$ {}`\n{problems}", shown.line, shown.command))
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    | {l}\n")).collect()
}

/// The bash script of a session: each command's output and status to
/// `out/N` and `out/N.status`, `$?` restored for the next.
fn script(commands: &[Shown], out: &Path) -> String {
    let mut script = PRELUDE.to_owned();
    for (n, shown) in commands.iter().enumerate() {
        let file = out.join(n.to_string());
        let file = file.display();
        let _ = write!(
            script,
            "{{ {}\n}} >'{file}' 2>&1 </dev/null\nreadme_rc=$?; echo \"$readme_rc\" >'{file}.status'; readme_status \"$readme_rc\"\n",
            shown.command
        );
    }
    script
}

/// A process group, killed when dropped (a peer, or a session past its bound).
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.0.id())])
                .status();
        }
        let _ = self.0.wait();
    }
}

/// Runs `commands` as one session in a fresh directory and returns one
/// message per command whose result differs from the README's.
fn run_session(name: &str, commands: &[Shown]) -> Vec<String> {
    let dir = scratch(&format!("readme-{name}"));
    let (work, out) = (dir.join("work"), dir.join("out"));
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(path(""), work.join("testdata")).unwrap();
    let script_path = dir.join("session.sh");
    std::fs::write(&script_path, script(commands, &out)).unwrap();
    // What bash says itself (a command that does not parse) goes here.
    let log = std::fs::File::create(dir.join("session.log")).unwrap();
    let child = Command::new("bash")
        .args(["--noprofile", "--norc"])
        .arg(&script_path)
        .current_dir(&work)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &dir)
        .env("LC_ALL", "C.UTF-8")
        .env("README_EXAMPLES", example("validate").parent().unwrap())
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .process_group(0)
        .spawn()
        .unwrap();
    let mut session = Group(child);
    let started = Instant::now();
    while session.0.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < SESSION_TIMEOUT,
            "section {name}: still running after {SESSION_TIMEOUT:?} (script {})",
            script_path.display()
        );
        thread::sleep(Duration::from_millis(10));
    }
    let mut failures: Vec<String> = commands
        .iter()
        .enumerate()
        .filter_map(|(n, shown)| {
            let file = out.join(n.to_string());
            let actual = String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()).into_owned();
            let status = std::fs::read_to_string(file.with_extension("status")).unwrap_or_default();
            // -1: the session never got to record it (see session.log).
            let code = status.trim().parse().unwrap_or(-1);
            compare(shown, &actual, code)
        })
        .collect();
    match failures.last_mut() {
        None => {
            let _ = std::fs::remove_dir_all(&dir);
        }
        Some(last) => {
            let _ = writeln!(
                last,
                "  (the session is kept in {}: session.sh, session.log)",
                dir.display()
            );
        }
    }
    failures
}

/// Starts the peers `commands` talk to and rewrites their README port to
/// the real one, in each command and its output.
fn with_servers(commands: &mut [Shown]) -> Vec<SServer> {
    let mut servers = Vec::new();
    for &(shown_port, ca) in SERVERS {
        let shown_address = format!("127.0.0.1:{shown_port}");
        let users: Vec<&mut Shown> = commands
            .iter_mut()
            .filter(|c| c.command.contains(&shown_address))
            .collect();
        if users.is_empty() {
            continue;
        }
        let args = fixture_identity().into_iter().chain(requiring(ca));
        let server = SServer::start(args).expect("openssl s_server (checked by cannot_run)");
        let address = server.address();
        for shown in users {
            let said = format!("-CAfile testdata/{ca}");
            assert!(
                shown.intro.contains(&said),
                "README.md:{}: the paragraph before the block does not say the server runs with `{said}`",
                shown.line
            );
            shown.command = shown.command.replace(&shown_address, &address);
            for line in &mut shown.output {
                *line = line.replace(&shown_address, &address);
            }
        }
        servers.push(server);
    }
    servers
}

/// Why a section cannot run on this machine, if it cannot.
fn cannot_run(commands: &[Shown]) -> Option<String> {
    let text: String = commands.iter().map(|c| format!("{}\n", c.command)).collect();
    if cfg!(not(feature = "rustls")) && text.contains("--connect") {
        return Some("this build has no `rustls` feature, which --connect needs".to_owned());
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = |tool: &str| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file());
    // The peers of SERVERS are openssl's too.
    let serves = SERVERS
        .iter()
        .any(|(port, _)| text.contains(&format!("127.0.0.1:{port}")));
    TOOLS
        .iter()
        .find(|&&tool| (text.contains(&format!("{tool} ")) || serves && tool == "openssl") && !found(tool))
        .map(|tool| format!("`{tool}` is not installed (CI installs it)"))
}

fn readme_sections() -> Vec<Section> {
    let readme = std::fs::read_to_string(path("../README.md")).unwrap();
    let v = "`V` is `cargo run --release --example validate --`";
    assert!(
        readme.contains(v),
        "README.md no longer says {v}, as PRELUDE defines it"
    );
    parse(&readme).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_command_in_the_readme_prints_what_the_readme_shows() {
    let sections = readme_sections();
    let failures: Vec<String> = thread::scope(|scope| {
        let runs: Vec<_> = sections
            .into_iter()
            .enumerate()
            .map(|(n, mut section)| {
                scope.spawn(move || {
                    if let Some(why) = cannot_run(&section.commands) {
                        println!("skipped section `{}`: {why}", section.title);
                        return Vec::new();
                    }
                    let _servers = with_servers(&mut section.commands);
                    let started = Instant::now();
                    let failures = run_session(&n.to_string(), &section.commands);
                    println!(
                        "section `{}`: {} commands in {:?}",
                        section.title,
                        section.commands.len(),
                        started.elapsed()
                    );
                    failures
                })
            })
            .collect();
        runs.into_iter().flat_map(|run| run.join().unwrap()).collect()
    });
    assert!(
        failures.is_empty(),
        "{} README command(s) differ from what the README shows:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The rows of the README table under `header` (its first line, without
/// the `| --- |` line), each as its trimmed cells.
fn readme_table(header: &str) -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(path("../README.md")).unwrap();
    let table = readme
        .split(&format!("{header}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("README.md has no table headed {header}"));
    table
        .lines()
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .map(|row| {
            let cells = row.trim_matches('|').split('|');
            cells.map(|cell| cell.trim().to_owned()).collect()
        })
        .collect()
}

/// The README's table of `error.kind` values is the library's list (the
/// names `ErrorKind::as_str` gives, read from src/error.rs) plus the CLI's
/// own `usage` and `export`: no kind undocumented, none documented that
/// does not exist.
#[test]
fn the_readme_lists_every_error_kind_and_no_other() {
    let rows = readme_table("| `error.kind` | when |");
    let mut documented: Vec<&str> = rows
        .iter()
        .flat_map(|cells| cells[0].split('`').skip(1).step_by(2))
        .collect();
    documented.sort_unstable();

    let source = std::fs::read_to_string(path("../src/error.rs")).unwrap();
    let as_str = source.split("pub fn as_str").nth(1).unwrap();
    let body = &as_str[..as_str.find("\n    }\n").unwrap()];
    let mut kinds: Vec<&str> = body
        .lines()
        .filter_map(|line| line.split("=> \"").nth(1)?.split('"').next())
        .chain(["usage", "export"])
        .collect();
    kinds.sort_unstable();
    assert_eq!(documented, kinds);
}

/// The README's table of limits is `Limits::default()`, field by field
/// (read from its Debug form: every field, in order, with its value).
#[test]
fn the_readme_limits_table_is_limits_default() {
    let documented: Vec<(String, String)> = readme_table("| `Limits` field | default | what it caps |")
        .iter()
        .map(|cells| {
            let value = cells[1].split(' ').next().unwrap().replace(',', "");
            (cells[0].trim_matches('`').to_owned(), value)
        })
        .collect();
    let debug = format!("{:?}", certbundle::Limits::default());
    let fields = debug.trim_start_matches("Limits { ").trim_end_matches(" }");
    let actual: Vec<(String, String)> = fields
        .split(", ")
        .map(|pair| {
            let (field, value) = pair.split_once(": ").unwrap();
            (field.to_owned(), value.to_owned())
        })
        .collect();
    assert_eq!(documented, actual);
}

/// A README of `blocks`, under one `## Sample` heading.
fn sample(blocks: &str) -> String {
    format!("# t\n\n## Sample\n\n{blocks}")
}

/// The commands of `sample(blocks)`, one session.
fn parsed(blocks: &str) -> Vec<Shown> {
    let mut sections = parse(&sample(blocks)).unwrap();
    assert_eq!(sections.len(), 1);
    sections.pop().unwrap().commands
}

/// Runs the one session of `sample(blocks)`: its failures, the last without
/// the line naming the session kept for a look (checked, then removed).
fn run_sample(name: &str, blocks: &str) -> Vec<String> {
    let mut failures = run_session(name, &parsed(blocks));
    if let Some(last) = failures.last_mut() {
        let (message, kept) = last.rsplit_once("  (the session is kept in ").unwrap();
        let dir = Path::new(kept.strip_suffix(": session.sh, session.log)\n").unwrap());
        assert!(dir.join("session.sh").is_file() && dir.join("session.log").is_file());
        std::fs::remove_dir_all(dir).unwrap();
        *last = message.to_owned();
    }
    failures
}

#[test]
fn a_drifted_output_fails_naming_the_readme_line_the_command_and_both_lines() {
    let failures = run_sample("drift", "Say it:\n\n```text\n$ echo hello\nhullo\n```\n");
    assert_eq!(
        failures,
        ["README.md:8: `$ echo hello`\n  README.md:9: README `hullo`\n               real   `hello`\n  real output:\n    | hello\n"]
    );
}

#[test]
fn a_wrong_exit_code_fails_even_when_the_output_matches() {
    let failures = run_sample(
        "exit",
        "It fails (exit 3):\n\n```text\n$ echo out; false\nout\n```\n",
    );
    assert_eq!(
        failures,
        ["README.md:8: `$ echo out; false`\n  exit code: README 3, real 1\n"]
    );
}

#[test]
fn a_session_keeps_its_directory_environment_and_status_from_block_to_block() {
    let blocks = concat!(
        "```text\n$ export GREETING=hi\n$ echo \"$GREETING\" >note\n$ false\n$ echo $?\n1\n```\n\n",
        "Later:\n\n```text\n$ cat note\nhi\n$ ls testdata/rsa/leaf.cer\ntestdata/rsa/leaf.cer\n```\n",
    );
    assert_eq!(run_sample("state", blocks), Vec::<String>::new());
}

#[test]
fn the_output_of_a_sh_block_is_the_next_block_without_a_prompt_and_cargo_test_is_left_to_ci() {
    let commands = parsed(concat!(
        "```sh\n# a comment\nV --at X \\\n    a.pem\n\ncargo test\n```\n\n",
        "It prints (exit code 1):\n\n```text\nINVALID\n```\n",
    ));
    assert_eq!(
        commands,
        [Shown {
            line: 7,
            command: "V --at X \\\n    a.pem".to_owned(),
            output_line: 16,
            output: vec!["INVALID".to_owned()],
            exit: Some(1),
            intro: "It prints (exit code 1):\n".to_owned(),
        }]
    );
}

#[test]
fn a_shown_output_no_command_produces_is_refused_as_unchecked() {
    for (blocks, refusal) in [
        (
            "```sh\nls\nrm -rf x\n```\n\n```text\nout\n```\n",
            "README.md:7: `rm -rf x` shows no output: only a ```sh block's first command has one",
        ),
        (
            "Output, exit 0:\n\n```text\nVALID\n```\n",
            "README.md:7: an output block under no command: show it under a `$ ` prompt",
        ),
        (
            "```text\nout\n$ echo out\n```\n",
            "README.md:6: output before the block's first `$ ` command",
        ),
        (
            "```sh\nV --at X\n```\n\n## Next\n",
            "README.md:6: `V --at X` shows no output",
        ),
        (
            "```rust,ignore\nlet x = y;\n```\n",
            "README.md:5: a ```rust,ignore block: only text, sh, rust and rust,no_run blocks are checked",
        ),
        (
            "```console\n$ ls\n```\n",
            "README.md:5: a ```console block: only text, sh, rust and rust,no_run blocks are checked",
        ),
    ] {
        assert_eq!(parse(&sample(blocks)).unwrap_err(), refusal, "{blocks}");
    }
    // The Architecture section's picture is no output.
    let picture = "## Architecture\n\n```text\ninput -> decode\n```\n";
    assert_eq!(parse(picture).unwrap(), []);
}

#[test]
fn exit_codes_come_from_the_intro_from_echo_or_are_zero() {
    let commands = parsed(concat!(
        "Refused, exit 2:\n\n```text\n$ a\n$ b\n$ echo $?\n1\n```\n\n",
        "Exit codes: 0 written; 1 refused. Nothing unless it exits 0:\n\n```text\n$ c\n```\n",
    ));
    let exits: Vec<(&str, Option<i32>)> = commands.iter().map(|c| (c.command.as_str(), c.exit)).collect();
    assert_eq!(
        exits,
        [("a", Some(2)), ("b", None), ("echo $?", Some(0)), ("c", Some(0))]
    );
    assert_eq!(stated_exit("(exit code 1; json)"), Ok(Some(1)));
    assert_eq!(
        stated_exit("exit 0 here, exit 1 there"),
        Err("the paragraph states several exit codes [0, 1]: which is the block's?".to_owned())
    );
}

#[test]
fn keytool_entry_dates_are_normalised_only_in_keytool_entry_lines() {
    let keytool = "keytool -list -keystore a.p12 -storepass x";
    for line in [
        "mtf xbs, Nov 29, 2026, PrivateKeyEntry,",
        "mtf xbs, Dec 1, 2026, PrivateKeyEntry, ",
    ] {
        assert_eq!(normalise(keytool, line), "mtf xbs, DATE, PrivateKeyEntry,");
    }
    // Not a keytool command, not an entry line, not a date: byte for byte.
    let entry = "mtf xbs, Nov 29, 2026, PrivateKeyEntry,";
    assert_eq!(normalise("cat list.txt", entry), entry);
    for line in [
        "Certificate fingerprint (SHA-256): 2B:7B",
        "mtf xbs, Nov 29, 2026, trusted",
        "mtf xbs, November 29, 2026, PrivateKeyEntry,",
        "mtf xbs, Nov 29, 26, PrivateKeyEntry,",
    ] {
        assert_eq!(normalise(keytool, line), line);
    }
}

#[test]
fn a_fresh_spki_hash_is_normalised_only_in_the_request_examples_output() {
    let request = "cargo run --example request -- --profile kmp-mtf";
    let hash = "  SPKI SHA-256  bdf0143ca2757868910e6d2bce25b1361c4e20a4122857f279326b5b21fb5740";
    assert_eq!(normalise(request, hash), "  SPKI SHA-256  HASH");
    assert_eq!(normalise("V --csr a.csr", hash), hash);
    let short = "  SPKI SHA-256  bdf0";
    assert_eq!(normalise(request, short), short);
    let upper = "  SPKI SHA-256  BDF0143CA2757868910E6D2BCE25B1361C4E20A4122857F279326B5B21FB5740";
    assert_eq!(normalise(request, upper), upper);
}

#[test]
fn the_comparator_names_missing_and_extra_lines_and_a_missing_newline() {
    let shown = Shown {
        line: 10,
        command: "echo".to_owned(),
        output_line: 11,
        output: vec!["a".to_owned(), "b".to_owned()],
        exit: Some(0),
        intro: String::new(),
    };
    assert_eq!(compare(&shown, "a\nb\n", 0), None);
    assert_eq!(
        compare(&shown, "a\n", 0).unwrap(),
        "README.md:10: `$ echo`\n  README.md:12: README `b`\n                real   (no line)\n  real output:\n    | a\n"
    );
    assert_eq!(
        compare(&shown, "a\nb", 0).unwrap(),
        "README.md:10: `$ echo`\n  the real output does not end in a newline\n"
    );
    assert_eq!(
        compare(&shown, "a\nb\nc\n", 0).unwrap(),
        "README.md:10: `$ echo`\n  README.md:13: README (no line)\n                real   `c`\n  real output:\n    | a\n    | b\n    | c\n"
    );
}
