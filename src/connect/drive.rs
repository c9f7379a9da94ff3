//! One bounded attempt on the wire: resolve, connect, handshake, then wait
//! briefly for the server's first record. Every way it can end is a
//! [`Cause`] with words, never an error or a panic.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use rustls::{ClientConfig, ClientConnection, ProtocolVersion};
use rustls_pki_types::ServerName;

use super::ConnectRequest;
use crate::connection::{alert, Cause};

/// How long the client waits after the handshake for the server's verdict
/// on the client certificate (the contract's 1 s), within the deadline.
const FIRST_RECORD_WAIT: Duration = Duration::from_secs(1);

/// Why the attempt failed: the cause and the words for it.
type Failure = (Cause, String);

/// What one attempt learned on the wire.
pub(super) struct Session {
    /// `TLSv1.3` or `TLSv1.2`, once the server chose.
    pub(super) protocol: Option<&'static str>,
    /// The cipher suite's IANA name, once the server chose.
    pub(super) cipher: Option<String>,
    /// `Ok` when the server accepted the client.
    pub(super) result: Result<(), Failure>,
}

/// Runs the attempt that `request` describes with `config`, checking the
/// server's certificate for `server_name`.
pub(super) fn run(request: &ConnectRequest, server_name: &str, config: ClientConfig) -> Session {
    let deadline = Instant::now() + request.timeout;
    let mut session = Session {
        protocol: None,
        cipher: None,
        result: Ok(()),
    };
    let (mut tls, tcp) = match start(request, server_name, config, deadline) {
        Ok(started) => started,
        Err(failure) => {
            session.result = Err(failure);
            return session;
        }
    };
    let mut wire = Wire::new(tcp, &request.address);
    session.result =
        handshake(&mut tls, &mut wire, deadline).and_then(|()| first_record(&mut tls, &mut wire, deadline));
    session.protocol = tls.protocol_version().and_then(protocol_name);
    session.cipher = tls
        .negotiated_cipher_suite()
        .and_then(|s| s.suite().as_str())
        .map(iana_suite);
    session
}

/// Resolves and connects, and sets up the TLS client.
fn start(
    request: &ConnectRequest,
    server_name: &str,
    config: ClientConfig,
    deadline: Instant,
) -> Result<(ClientConnection, TcpStream), Failure> {
    let address = &request.address;
    let port = address
        .rsplit_once(':')
        .and_then(|(host, port)| (!host.is_empty()).then(|| port.parse::<u16>().ok()).flatten())
        .ok_or_else(|| (Cause::InvalidAddress, format!("`{address}` is not HOST:PORT")))?;
    let name = ServerName::try_from(server_name.to_owned()).map_err(|_| {
        (
            Cause::InvalidServerName,
            format!("`{server_name}` is not a DNS name or an IP address"),
        )
    })?;
    let addresses = resolve(request.host(), port, deadline)?;
    let tcp = tcp_connect(&addresses, address, deadline)?;
    let tls = ClientConnection::new(Arc::new(config), name)
        .map_err(|e| (Cause::Tls, format!("the TLS client could not start: {e}")))?;
    Ok((tls, tcp))
}

/// The addresses HOST resolves to. The lookup runs on its own thread so a
/// resolver that hangs cannot outlast the deadline (the thread is then
/// left to finish on its own).
fn resolve(host: &str, port: u16, deadline: Instant) -> Result<Vec<SocketAddr>, Failure> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (send, receive) = mpsc::channel();
    let lookup = host.to_owned();
    let spawned = thread::Builder::new()
        .name("certbundle-resolve".to_owned())
        .spawn(move || {
            let found = (lookup.as_str(), port)
                .to_socket_addrs()
                .map(Iterator::collect::<Vec<_>>);
            let _ = send.send(found);
        });
    let not_resolved = || {
        (
            Cause::NameNotResolved,
            format!("the name `{host}` does not resolve"),
        )
    };
    if spawned.is_err() {
        return Err(not_resolved());
    }
    match receive.recv_timeout(remaining(deadline)) {
        Ok(Ok(addresses)) if !addresses.is_empty() => Ok(addresses),
        Ok(_) | Err(mpsc::RecvTimeoutError::Disconnected) => Err(not_resolved()),
        Err(mpsc::RecvTimeoutError::Timeout) => Err((
            Cause::TimedOut,
            format!("looking up `{host}` took longer than the timeout"),
        )),
    }
}

/// The first address that accepts a TCP connection, all sharing the one
/// deadline.
fn tcp_connect(addresses: &[SocketAddr], address: &str, deadline: Instant) -> Result<TcpStream, Failure> {
    let mut last = ErrorKind::TimedOut;
    for candidate in addresses {
        let left = remaining(deadline);
        if left.is_zero() {
            break;
        }
        match TcpStream::connect_timeout(candidate, left) {
            Ok(tcp) => return Ok(tcp),
            Err(e) => last = e.kind(),
        }
    }
    Err(match last {
        ErrorKind::ConnectionRefused => (
            Cause::ConnectionRefused,
            format!("{address} refused the connection: nothing listens on that port"),
        ),
        ErrorKind::TimedOut | ErrorKind::WouldBlock => (
            Cause::TimedOut,
            format!("connecting to {address} took longer than the timeout"),
        ),
        kind => (
            Cause::Unreachable,
            format!("{address} cannot be reached ({kind})"),
        ),
    })
}

/// The time left before `deadline` (zero when it has passed).
fn remaining(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

/// The socket, bounded by the deadline, remembering the first bytes the
/// peer sent so that a peer that is not TLS is told apart from a TLS error.
struct Wire<'a> {
    tcp: TcpStream,
    address: &'a str,
    first: [u8; 3],
    seen: usize,
}

impl<'a> Wire<'a> {
    fn new(tcp: TcpStream, address: &'a str) -> Self {
        Wire {
            tcp,
            address,
            first: [0; 3],
            seen: 0,
        }
    }

    /// Bounds the next socket operations by `until` (at least 1 ms: a zero
    /// timeout means none to the OS); false when no time is left.
    fn bound(&self, until: Instant) -> bool {
        let left = remaining(until);
        if left.is_zero() {
            return false;
        }
        let left = left.max(Duration::from_millis(1));
        self.tcp.set_read_timeout(Some(left)).is_ok() && self.tcp.set_write_timeout(Some(left)).is_ok()
    }

    /// Whether what the peer sent so far can start a TLS record: content
    /// type 20 to 24, then major version 3 (RFC 8446 section 5.1).
    fn looks_like_tls(&self) -> bool {
        let bytes = self.first.get(..self.seen).unwrap_or_default();
        match bytes {
            [] => true,
            [kind, rest @ ..] => (20..=24).contains(kind) && rest.first().is_none_or(|major| *major == 3),
        }
    }

    fn not_tls(&self) -> Failure {
        (
            Cause::NotTls,
            format!("{} answered with something that is not TLS", self.address),
        )
    }
}

impl Read for Wire<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.tcp.read(buf)?;
        for byte in buf.iter().take(n) {
            let Some(slot) = self.first.get_mut(self.seen) else {
                break;
            };
            *slot = *byte;
            self.seen += 1;
        }
        Ok(n)
    }
}

impl Write for Wire<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tcp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tcp.flush()
    }
}

fn timed_out(address: &str) -> Failure {
    (
        Cause::TimedOut,
        format!("the TLS handshake with {address} took longer than the timeout"),
    )
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock)
}

/// The server went away without an alert.
fn closed(wire: &Wire<'_>, when: &str) -> Failure {
    if !wire.looks_like_tls() {
        return wire.not_tls();
    }
    (
        Cause::Closed,
        format!("{} closed the connection {when} without an alert", wire.address),
    )
}

/// What a rustls error while processing the server's records means.
fn tls_failure(error: &rustls::Error, wire: &Wire<'_>) -> Failure {
    if !wire.looks_like_tls() {
        return wire.not_tls();
    }
    match error {
        rustls::Error::AlertReceived(description) => {
            let code = u8::from(*description);
            (Cause::Alert(code), alert::problem(code))
        }
        other => (
            Cause::Tls,
            format!("the TLS handshake failed on this side: {other}"),
        ),
    }
}

/// Sends what rustls has queued (the client's flights, or its own alert).
fn flush(tls: &mut ClientConnection, wire: &mut Wire<'_>) -> io::Result<()> {
    while tls.wants_write() {
        tls.write_tls(wire)?;
    }
    Ok(())
}

/// Drives the handshake to its end, the client's last flight sent.
fn handshake(tls: &mut ClientConnection, wire: &mut Wire<'_>, deadline: Instant) -> Result<(), Failure> {
    while tls.is_handshaking() {
        if !wire.bound(deadline) {
            return Err(timed_out(wire.address));
        }
        // A write the server cut short is answered by what it sent, if
        // anything: read on.
        if let Err(e) = flush(tls, wire) {
            if is_timeout(&e) {
                return Err(timed_out(wire.address));
            }
        }
        match tls.read_tls(wire) {
            Ok(0) => return Err(closed(wire, "during the handshake")),
            Ok(_) => {}
            Err(e) if is_timeout(&e) => return Err(timed_out(wire.address)),
            Err(_) => return Err(closed(wire, "during the handshake")),
        }
        if !wire.looks_like_tls() {
            return Err(wire.not_tls());
        }
        if let Err(error) = tls.process_new_packets() {
            let _ = flush(tls, wire);
            return Err(tls_failure(&error, wire));
        }
    }
    if !wire.bound(deadline) {
        return Err(timed_out(wire.address));
    }
    flush(tls, wire).map_err(|_| closed(wire, "at the end of the handshake"))
}

/// After the handshake: a fatal alert within [`FIRST_RECORD_WAIT`] is the
/// server's refusal; silence, data or a close_notify is acceptance.
fn first_record(tls: &mut ClientConnection, wire: &mut Wire<'_>, deadline: Instant) -> Result<(), Failure> {
    let until = deadline.min(Instant::now() + FIRST_RECORD_WAIT);
    loop {
        if !wire.bound(until) {
            return Ok(());
        }
        match tls.read_tls(wire) {
            Ok(0) => return Err(closed(wire, "right after the handshake")),
            Ok(_) => {}
            Err(e) if is_timeout(&e) => return Ok(()),
            Err(_) => return Err(closed(wire, "right after the handshake")),
        }
        match tls.process_new_packets() {
            Err(error) => return Err(tls_failure(&error, wire)),
            Ok(state) if state.plaintext_bytes_to_read() > 0 || state.peer_has_closed() => return Ok(()),
            // A session ticket, or part of a record: keep listening.
            Ok(_) => {}
        }
    }
}

/// `TLSv1.3`, `TLSv1.2`: how the contract spells the version.
fn protocol_name(version: ProtocolVersion) -> Option<&'static str> {
    match version {
        ProtocolVersion::TLSv1_3 => Some("TLSv1.3"),
        ProtocolVersion::TLSv1_2 => Some("TLSv1.2"),
        _ => None,
    }
}

/// rustls names TLS 1.3 suites `TLS13_*`; IANA names them `TLS_*`. The
/// TLS 1.2 names already agree.
fn iana_suite(rustls_name: &str) -> String {
    match rustls_name.strip_prefix("TLS13_") {
        Some(rest) => format!("TLS_{rest}"),
        None => rustls_name.to_owned(),
    }
}
