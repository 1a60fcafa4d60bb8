//! Property tests for every parser of outside input: the policy, sidecar labels, the record.
//! None may panic on any input, and no edit of the record may go unnoticed.

use okuri::base::digest::Blake3;
use okuri::policy::{EMBEDDED, Origin, Policy};
use okuri::record::{Head, verify_bytes};
use okuri::transfer::label::parse_sidecar;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn policy_check_never_panics(text in "\\PC*") {
        let _ = Policy::check(&text, Origin::Embedded);
    }

    /// Dropping any line of the real policy gives either a valid policy or errors with a
    /// position inside the file — never a panic, never an error without a place.
    #[test]
    fn policy_with_a_line_removed(idx in 0usize..200) {
        let lines: Vec<&str> = EMBEDDED.lines().collect();
        let idx = idx % lines.len();
        let text: String = lines.iter().enumerate().filter(|(i, _)| *i != idx).map(|(_, l)| format!("{l}\n")).collect();
        let c = Policy::check(&text, Origin::Embedded);
        let n_lines = text.lines().count() + 1;
        for d in &c.diagnostics {
            prop_assert!(d.line >= 1 && d.line <= n_lines, "{d:?}");
        }
        prop_assert_eq!(c.policy.is_some(), c.errors().count() == 0);
    }

    #[test]
    fn sidecar_parser_never_panics(text in "\\PC*") {
        let _ = parse_sidecar(&text);
    }

    #[test]
    fn record_verify_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = verify_bytes(&bytes, None);
        let _ = verify_bytes(&bytes, Some(Head { seq: 3, hash: Blake3::ZERO }));
    }
}

/// A valid chain of `n` synthetic entries and its head.
fn chain(n: usize) -> (Vec<u8>, Head) {
    let mut out = Vec::new();
    let mut prev = Blake3::ZERO;
    for seq in 1..=n {
        let line = format!(
            concat!(
                r#"{{"seq":{},"prev":"{}","event":"transfer","at":"2026-11-25T10:00:00+09:00","outcome":"packed","transfer_id":"20261125-0000-000{}","#,
                r#""sender":{{"name":"n","department":"d"}},"user":"u","host":"h","file":{{"name":"f","path":"/f","size":1,"#,
                r#""blake3":"{}"}},"class":"III","class_source":"xattr","recipient":"r","recipient_id":null,"contract":null,"channel":"email","purpose":null,"#,
                r#""legal_basis":null,"policy":"{}","approval":null,"medium":null,"package":null,"slip":null,"reason":null}}"#,
                "\n"
            ),
            seq,
            prev,
            seq,
            Blake3::ZERO,
            Blake3::ZERO
        );
        prev = Blake3::of(line.as_bytes());
        out.extend_from_slice(line.as_bytes());
    }
    (
        out,
        Head {
            seq: n as u64,
            hash: prev,
        },
    )
}

#[test]
fn synthetic_chain_verifies() {
    let (bytes, head) = chain(5);
    let v = verify_bytes(&bytes, Some(head));
    assert!(v.ok(), "{:?}", v.problem);
    assert_eq!(v.entries, 5);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any change of any byte range is detected.
    #[test]
    fn any_edit_is_detected(start in 0usize..5000, len in 1usize..40, fill in any::<u8>()) {
        let (bytes, head) = chain(5);
        let start = start % bytes.len();
        let end = (start + len).min(bytes.len());
        let mut t = bytes.clone();
        for b in &mut t[start..end] {
            *b = fill;
        }
        prop_assume!(t != bytes);
        let v = verify_bytes(&t, Some(head));
        // Either a problem is named, or the edit only produced a torn tail after an intact
        // prefix that ends exactly at the head — impossible here because the head names the
        // last complete entry.
        prop_assert!(!v.ok(), "undetected edit at {}..{}", start, end);
    }

    /// Dropping or swapping whole lines is detected.
    #[test]
    fn line_edits_are_detected(a in 0usize..5, b in 0usize..5, drop in any::<bool>()) {
        let (bytes, head) = chain(5);
        let mut lines: Vec<&[u8]> = bytes.split_inclusive(|c| *c == b'\n').collect();
        if drop {
            lines.remove(a);
        } else {
            prop_assume!(a != b);
            lines.swap(a, b);
        }
        let t: Vec<u8> = lines.concat();
        prop_assert!(!verify_bytes(&t, Some(head)).ok());
    }
}

/// A fresh Ed25519 signing key for `id`, made and loaded the way okuri makes and loads keys.
fn new_signing_key(id: &str) -> okuri::secret::keys::SigningKey {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k");
    let pass = dir.path().join("p");
    okuri::secret::keys::generate(
        id,
        okuri::secret::keys::Role::Custodian,
        &key,
        "a long passphrase!",
    )
    .unwrap();
    std::fs::write(&pass, "a long passphrase!\n").unwrap();
    std::fs::set_permissions(&pass, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    okuri::secret::keys::SigningKey::load(
        &key,
        &okuri::secret::keys::PassphraseSource::File(pass),
        &|m| format!("{m:?}"),
    )
    .unwrap()
}

/// Signed documents: okuri's reader never panics on any input, and a token with any byte
/// changed is never accepted as a valid signature.
mod signed_documents {
    use okuri::signed::{NS_APPROVAL, Signed};
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn token() -> &'static Vec<u8> {
        static T: OnceLock<Vec<u8>> = OnceLock::new();
        T.get_or_init(|| {
            let k = super::new_signing_key("p");
            let payload = b"{\n  \"okuri\": \"approval-token\",\n  \"size\": 12\n}\n".to_vec();
            let sig = k.sign(NS_APPROVAL, &payload).unwrap();
            Signed { payload, sig }.render()
        })
    }

    #[test]
    fn the_unchanged_token_verifies() {
        let s = Signed::parse(token()).unwrap();
        assert!(s.verify(NS_APPROVAL));
        assert!(!s.verify("okuri-designation@city.kameoka.kyoto.jp"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_changed_byte_is_caught(idx in any::<usize>(), bit in 0u8..8) {
            let mut b = token().clone();
            let i = idx % b.len();
            b[i] ^= 1 << bit;
            if let Ok(s) = Signed::parse(&b) {
                // A flipped bit in the armor's line breaks or padding may decode to the same
                // signature; then the payload is untouched and must still verify.
                let same = s.payload == Signed::parse(token()).unwrap().payload
                    && s.sig == Signed::parse(token()).unwrap().sig;
                prop_assert_eq!(s.verify(NS_APPROVAL), same);
            }
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = Signed::parse(&bytes);
            let _ = okuri::signed::approval::Token::parse(&bytes, "t");
        }

        #[test]
        fn parse_never_panics_on_near_tokens(cut in any::<usize>(), junk in "[ -~\n]{0,40}") {
            let t = String::from_utf8(token().clone()).unwrap();
            let at = cut % t.len();
            let s = format!("{}{}{}", &t[..at], junk, &t[at..]);
            let _ = okuri::signed::approval::Token::parse(s.as_bytes(), "t");
        }
    }
}

/// The city's documents (rules, trust list, service, staff directory, registers): any bit
/// flipped in a document or in its detached signature is refused, and a signature made for one
/// kind of document is refused for every other.
mod city_documents {
    use okuri::policy::city::Kind;
    use okuri::secret::keys::verify_sshsig;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    const DOC: &str = "serial = 7\nvalid_until = 2030-03-31\nversion = 1\n\n[[medium]]\nid = \"med-00000000000000000000000000000001\"\nlabel = \"USB-01\"\n";

    /// One signature per kind of document, over [`DOC`], by one key.
    fn signatures() -> &'static Vec<(Kind, String)> {
        static S: OnceLock<Vec<(Kind, String)>> = OnceLock::new();
        S.get_or_init(|| {
            let k = super::new_signing_key("ciso");
            Kind::ALL
                .iter()
                .map(|kind| {
                    let sig = k.sign(kind.namespace(), DOC.as_bytes()).unwrap();
                    (*kind, sig.to_pem(ssh_key::LineEnding::LF).unwrap())
                })
                .collect()
        })
    }

    /// The signature primitive every city document goes through (`keys::verify_sshsig`);
    /// how okuri finds and reads the files around it is `tests/city.rs`'s to test.
    fn verifies(kind: Kind, doc: &[u8], armor: &[u8]) -> bool {
        std::str::from_utf8(armor)
            .ok()
            .and_then(|a| a.parse::<ssh_key::SshSig>().ok())
            .is_some_and(|sig| verify_sshsig(&sig, kind.namespace(), doc))
    }

    #[test]
    fn each_signature_verifies_for_its_own_kind_only() {
        for (kind, armor) in signatures() {
            for other in Kind::ALL {
                assert_eq!(
                    verifies(other, DOC.as_bytes(), armor.as_bytes()),
                    other == *kind,
                    "{kind:?} signature checked as {other:?}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn a_flipped_bit_in_the_document_is_refused(which in 0..Kind::ALL.len(), idx in any::<usize>(), bit in 0u8..8) {
            let (kind, armor) = &signatures()[which];
            let mut doc = DOC.as_bytes().to_vec();
            let i = idx % doc.len();
            doc[i] ^= 1 << bit;
            prop_assert!(!verifies(*kind, &doc, armor.as_bytes()));
        }

        #[test]
        fn a_flipped_bit_in_the_signature_is_refused(which in 0..Kind::ALL.len(), idx in any::<usize>(), bit in 0u8..8) {
            let (kind, armor) = &signatures()[which];
            let mut a = armor.as_bytes().to_vec();
            let i = idx % a.len();
            a[i] ^= 1 << bit;
            // A flip in the armor's framing may decode to the very same signature; only then
            // may it verify.
            let same = std::str::from_utf8(&a)
                .ok()
                .and_then(|s| s.parse::<ssh_key::SshSig>().ok())
                .is_some_and(|s| Some(s) == armor.parse::<ssh_key::SshSig>().ok());
            prop_assert_eq!(verifies(*kind, DOC.as_bytes(), &a), same);
        }
    }
}
