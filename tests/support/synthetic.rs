//! Synthetic requests and tokens for driving okuri-approvald directly: shared by the service
//! tests and the load benchmark, so that both speak exactly what the CLI would send.

use okuri::policy::Policy;
use okuri::secret::keys::{PassphraseSource, Role, SigningKey};
use okuri::signed::approval::{Person, RecipientRef, Request, TokenPayload};
use okuri::signed::{FileRef, Issuer};

/// A valid class II request by yamada.taro (総務課) for a made-up file number `n`.
pub fn request(policy: &Policy, n: usize) -> Request {
    Request {
        okuri: okuri::signed::approval::REQUEST_KIND.into(),
        version: 1,
        request_id: okuri::base::ids::RequestId::new().unwrap(),
        created_at: "2026-11-27T10:00:00+09:00".parse().unwrap(),
        requester: Person {
            id: "yamada.taro".parse().unwrap(),
            name: "山田 太郎".into(),
            department: "総務課".into(),
        },
        host: "load".into(),
        file: FileRef {
            name: format!("f{n}.txt").into(),
            size: n as u64,
            blake3: okuri::base::digest::Blake3::of(&n.to_le_bytes()),
        },
        class: okuri::Class::II,
        class_source: "designation".into(),
        recipient: RecipientRef {
            id: "kameoka-print".into(),
            name: "株式会社亀岡印刷".into(),
            contract: "亀総契第2026-0123号".into(),
        },
        channel: okuri::Channel::Email,
        purpose: "load".into(),
        legal_basis: None,
        policy: policy.digest,
        requester_key: None,
    }
}

/// suzuki.hanako's signed approval token for `req`, valid for `hours`: (token id, token text).
pub fn token(
    policy: &Policy,
    key: &SigningKey,
    req: &Request,
    hours: i64,
) -> (okuri::base::ids::TokenId, String) {
    let now = jiff::Timestamp::now();
    let p = TokenPayload {
        okuri: okuri::signed::approval::TOKEN_KIND.into(),
        version: 1,
        token_id: okuri::base::ids::TokenId::new().unwrap(),
        issuer: Issuer {
            id: "suzuki.hanako".parse().unwrap(),
            name: "鈴木 花子".into(),
            department: "総務課".into(),
            key: key.fingerprint.clone(),
        },
        issued_at: now.to_string().parse().unwrap(),
        expires_at: (now + jiff::SignedDuration::from_hours(hours))
            .to_string()
            .parse()
            .unwrap(),
        policy: policy.digest,
        request: req.clone(),
    };
    let bytes = okuri::signed::payload_bytes(&p);
    let sig = key.sign(okuri::signed::NS_APPROVAL, &bytes).unwrap();
    let text = okuri::signed::Signed {
        payload: bytes,
        sig,
    }
    .render();
    (p.token_id, String::from_utf8(text).unwrap())
}

/// A new key for `id` in `dir` (`dir/<id>`, `dir/<id>.pub`), protected by `pass`, loaded for
/// signing through a passphrase file (`dir/pass`, 0600, as okuri requires). For the benches.
#[allow(dead_code)]
pub fn key(dir: &std::path::Path, id: &str, role: Role, pass: &str) -> SigningKey {
    std::fs::write(dir.join("pass"), format!("{pass}\n")).unwrap();
    std::fs::set_permissions(
        dir.join("pass"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    okuri::secret::keys::generate(id, role, &dir.join(id), pass).unwrap();
    SigningKey::load(
        &dir.join(id),
        &PassphraseSource::File(dir.join("pass")),
        &|m| format!("{m:?}"),
    )
    .unwrap()
}

/// A staff record of made-up entries, chained as okuri chains them (`seq`, `prev`), for
/// witnessing under load.
pub struct Record {
    pub path: std::path::PathBuf,
    pub id: okuri::base::ids::RecordId,
    seq: u64,
    prev: okuri::base::digest::Blake3,
}

impl Record {
    /// yamada.taro's record on the made-up machine `host`, in `dir`.
    pub fn new(dir: &std::path::Path, host: &str) -> Record {
        Record {
            path: dir.join(format!("{host}.jsonl")),
            id: okuri::base::ids::RecordId::on_machine(&"yamada.taro".parse().unwrap(), host),
            seq: 0,
            prev: okuri::base::digest::Blake3::ZERO,
        }
    }

    /// Appends one entry; its seq and the line's hash (the head it makes).
    pub fn append(&mut self) -> (u64, okuri::base::digest::Blake3) {
        use std::io::Write;
        self.seq += 1;
        let line = format!(
            "{{\"seq\":{},\"prev\":\"{}\",\"event\":\"note\",\"at\":\"2026-11-27T10:00:00+09:00\",\"outcome\":\"ok\"}}\n",
            self.seq,
            self.prev.to_hex()
        );
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .unwrap()
            .write_all(line.as_bytes())
            .unwrap();
        self.prev = okuri::base::digest::Blake3::of(line.as_bytes());
        (self.seq, self.prev)
    }
}
