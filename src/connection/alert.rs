//! TLS alerts (IANA "TLS Alerts" registry; RFC 8446 section 6, RFC 5246
//! section 7.2) and what a server's fatal alert most likely means for a
//! client presenting a certificate.

/// The IANA name of alert `code`; `unassigned` for a number the registry
/// does not list.
pub(crate) fn name(code: u8) -> &'static str {
    match code {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        21 => "decryption_failed",
        22 => "record_overflow",
        30 => "decompression_failure",
        40 => "handshake_failure",
        41 => "no_certificate",
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        49 => "access_denied",
        50 => "decode_error",
        51 => "decrypt_error",
        60 => "export_restriction",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        100 => "no_renegotiation",
        109 => "missing_extension",
        110 => "unsupported_extension",
        111 => "certificate_unobtainable",
        112 => "unrecognized_name",
        113 => "bad_certificate_status_response",
        114 => "bad_certificate_hash_value",
        115 => "unknown_psk_identity",
        116 => "certificate_required",
        120 => "no_application_protocol",
        121 => "ech_required",
        _ => "unassigned",
    }
}

/// The likely cause of a server's fatal alert `code`, in words.
fn cause(code: u8) -> &'static str {
    match code {
        40 => "it refuses the client certificate, or shares no cipher suite or signature algorithm with this client",
        42 => "it could not verify the client certificate: a signature that does not verify, a certificate not valid yet, or a chain it cannot use",
        43 => "it does not accept this kind of certificate (its key type, key usage or extended key usage)",
        44 => "the client certificate is revoked",
        45 => "a certificate of the chain sent is expired (or not valid yet)",
        46 => "it does not accept the client certificate and gives no reason, often a CA it does not trust",
        48 => "it cannot link the client certificate to a CA it trusts: an intermediate CA certificate is missing, or the chain is under a CA the server does not trust",
        49 => "it verified the client certificate but does not let its subject in",
        51 => "a signature did not verify: the handshake's, made with the private key, or one in the chain sent",
        70 => "it supports no TLS version this client offers (TLS 1.2 and 1.3)",
        116 => "it requires a client certificate and received none",
        112 => "it does not serve the server name this client asked for",
        71 => "it requires stronger cipher suites than this client offers",
        _ => "its reason is not one a client certificate explains",
    }
}

/// What the server's alert `code` says, in words.
pub(crate) fn problem(code: u8) -> String {
    format!(
        "the server refused the handshake with alert {code} {}: {}",
        name(code),
        cause(code)
    )
}

/// How to fix what the server's alert `code` most likely means.
pub(crate) fn fix(code: u8) -> &'static str {
    match code {
        40 | 46 => "check that the server trusts the CA that issued the client certificate and that the whole chain up to it is sent",
        42 => "check the chain sent: the client certificate and every intermediate CA certificate up to the root the server trusts, each valid now",
        48 => "send the client certificate followed by every intermediate CA certificate up to the root the server trusts, and check that the server trusts that root",
        43 => "get a client certificate with the key type and usages the server requires (digitalSignature key usage, clientAuth extended key usage)",
        44 => "request a new client certificate from its CA",
        45 => "renew the expired certificate (or wait until it is valid); check both machines' clocks",
        49 => "ask the server's operator to authorise this certificate's subject",
        51 => "present the private key that belongs to the client certificate, with the intermediate CA certificates that really issued the chain",
        70 => "the server must enable TLS 1.2 or 1.3; older versions are not offered",
        116 => "present a client certificate (with its key) under a CA the server names",
        112 => "connect with the server name the server is configured for",
        71 => "check the server's TLS settings against current cipher suites",
        _ => "look at the server's log for why it refused the handshake",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contract_alert_has_its_iana_name_and_its_own_cause() {
        let named = [
            (40, "handshake_failure"),
            (42, "bad_certificate"),
            (43, "unsupported_certificate"),
            (44, "certificate_revoked"),
            (45, "certificate_expired"),
            (46, "certificate_unknown"),
            (48, "unknown_ca"),
            (49, "access_denied"),
            (51, "decrypt_error"),
            (70, "protocol_version"),
            (116, "certificate_required"),
        ];
        let generic = cause(255);
        for (code, iana) in named {
            assert_eq!(name(code), iana);
            assert_ne!(cause(code), generic, "alert {code}");
            assert!(
                problem(code).contains(&format!("alert {code} {iana}: ")),
                "{code}"
            );
        }
        assert_eq!(name(255), "unassigned");
        assert_eq!(
            fix(255),
            "look at the server's log for why it refused the handshake"
        );
    }
}
