//! `openssl s_server` peers on loopback, for the tests that prove a verdict
//! against OpenSSL itself.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::path;

/// An `openssl s_server` on 127.0.0.1, on a port it chose itself (so no
/// other test can take it between a probe and the bind); killed when
/// dropped.
pub(crate) struct SServer {
    child: Child,
    port: u16,
}

impl SServer {
    /// Starts `openssl s_server -accept 127.0.0.1:0 ARGS` and returns once
    /// it accepts. `None` when openssl is not installed, which under
    /// `CI=true` (where `.ci/run` installs it) is a failure instead.
    pub(crate) fn start<I, S>(args: I) -> Option<SServer>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let spawned = Command::new("openssl")
            .args(["s_server", "-accept", "127.0.0.1:0"])
            .args(args)
            // s_server quits at the end of its stdin: keep the pipe open.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "openssl is missing under CI=true"
                );
                println!("note: `openssl` is not installed; the s_server peer is skipped");
                return None;
            }
            Err(e) => panic!("openssl s_server: {e}"),
        };
        let stdout = child.stdout.take().unwrap();
        let (ready, accepting) = mpsc::channel();
        // Drain stdout for the server's whole life (a -www server logs there).
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("ACCEPT 127.0.0.1:") {
                    let _ = ready.send(port.trim().parse::<u16>().unwrap());
                }
            }
        });
        match accepting.recv_timeout(Duration::from_secs(10)) {
            Ok(port) => Some(SServer { child, port }),
            Err(e) => {
                let _ = child.kill();
                panic!("s_server did not report its port: {e}");
            }
        }
    }

    /// The port it accepts on.
    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:PORT`.
    pub(crate) fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The fixture server identity (`testdata/server/`: `localhost` under the
/// server issuing CA) as s_server arguments, the issuing CA sent with it.
pub(crate) fn fixture_identity() -> Vec<PathBuf> {
    [
        "-cert",
        "server/server.crt",
        "-key",
        "server/server.key",
        "-cert_chain",
        "certs/server-sub.crt",
    ]
    .iter()
    .enumerate()
    .map(|(i, a)| if i % 2 == 0 { PathBuf::from(a) } else { path(a) })
    .collect()
}

/// s_server arguments requiring a client certificate under the fixture `ca`.
pub(crate) fn requiring(ca: &str) -> Vec<PathBuf> {
    ["-Verify", "2", "-verify_return_error", "-CAfile"]
        .iter()
        .map(PathBuf::from)
        .chain([path(ca)])
        .collect()
}
