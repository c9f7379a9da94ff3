//! Which critical extensions certbundle processes (RFC 5280 4.2: a
//! certificate with a critical extension the validator does not recognise,
//! or cannot process, MUST be rejected; 6.1.4 (o), 6.1.5 (f)).
//!
//! An extension counts as processed only where a check honours it:
//!
//! | extension | OID | honoured by |
//! |---|---|---|
//! | basicConstraints | 2.5.29.19 | `ca.constraints` (cA, pathLenConstraint), the search |
//! | keyUsage | 2.5.29.15 | `ca.constraints` (keyCertSign), `leaf.usage` (digitalSignature, keyCertSign) |
//! | extendedKeyUsage | 2.5.29.37 | `leaf.usage` (clientAuth, anyExtendedKeyUsage) |
//! | subjectKeyIdentifier, authorityKeyIdentifier | 2.5.29.14, 2.5.29.35 | `chain.links`, the search |
//! | subjectAltName | 2.5.29.17 | parsed at decode (a malformed one refuses the certificate); a client certificate's names constrain nothing on the client's side (RFC 5280 4.2.1.6 makes it critical when the subject is empty), so there is nothing further to honour |
//!
//! Not processed, so failing when critical: nameConstraints (not enforced),
//! the policy extensions (certificatePolicies, policyMappings,
//! policyConstraints, inhibitAnyPolicy: no policy processing), and every
//! other extension.

/// The OIDs of the extensions certbundle processes.
const PROCESSED: [&str; 6] = [
    "2.5.29.19", // basicConstraints
    "2.5.29.15", // keyUsage
    "2.5.29.37", // extendedKeyUsage
    "2.5.29.14", // subjectKeyIdentifier
    "2.5.29.35", // authorityKeyIdentifier
    "2.5.29.17", // subjectAltName
];

/// Extensions that exist in the field but that certbundle does not process,
/// by name, for messages.
const NAMED: [(&str, &str); 10] = [
    ("2.5.29.30", "nameConstraints"),
    ("2.5.29.32", "certificatePolicies"),
    ("2.5.29.33", "policyMappings"),
    ("2.5.29.36", "policyConstraints"),
    ("2.5.29.54", "inhibitAnyPolicy"),
    ("2.5.29.31", "cRLDistributionPoints"),
    ("2.5.29.46", "freshestCRL"),
    ("2.5.29.18", "issuerAltName"),
    ("2.5.29.9", "subjectDirectoryAttributes"),
    ("1.3.6.1.5.5.7.1.1", "authorityInfoAccess"),
];

/// Whether certbundle processes the extension with this dotted OID.
pub(crate) fn is_processed(oid: &str) -> bool {
    PROCESSED.contains(&oid)
}

/// The extension's name, when it is a standard one.
pub(crate) fn extension_name(oid: &str) -> Option<&'static str> {
    NAMED.iter().find(|(o, _)| *o == oid).map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processed_extensions_are_exactly_those_a_check_honours() {
        for oid in [
            "2.5.29.19",
            "2.5.29.15",
            "2.5.29.37",
            "2.5.29.14",
            "2.5.29.35",
            "2.5.29.17",
        ] {
            assert!(is_processed(oid), "{oid}");
        }
        for oid in ["2.5.29.30", "2.5.29.32", "2.5.29.36", "1.3.6.1.4.1.55555.1.1"] {
            assert!(!is_processed(oid), "{oid}");
        }
        assert_eq!(extension_name("2.5.29.30"), Some("nameConstraints"));
        assert_eq!(extension_name("1.3.6.1.4.1.55555.1.1"), None);
    }
}
