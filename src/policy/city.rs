//! The city's authority: the trust anchor and the signed documents okuri obeys.
//!
//! A city installs, in its system directory (`/etc/okuri`, owned by root):
//! - `ciso.allowed_signers`, the trust anchor: OpenSSH allowed_signers lines for the keys of
//!   the CISO (最高情報統括責任者), at least two so that one can be rotated;
//! - its documents, each with a detached SSHSIG signature `FILE.sig` in the document's own
//!   namespace ([`Kind::namespace`]), a `serial` and a `valid_until`: the rules
//!   (`rules.toml`), the trust list (`trust.toml`) and the service's address (`service.toml`)
//!   signed by a CISO key; the staff directory (`staff.toml`) signed by an administrator the
//!   trust list names; the recipient register (`recipients.toml`) and the media register
//!   (`media.toml`) signed by a custodian.
//!
//! Every document is read through [`City::document`], the one check of signer, signature,
//! serial and validity; [`Seen`] keeps the highest serial of each kind seen in a home, so an
//! older document (a rollback) is refused. Without an anchor okuri runs in development mode
//! (the embedded rules or `--policy FILE`), and every record entry it writes says so.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ssh_key::{PublicKey, SshSig};

use crate::base::digest::{Blake3, Fingerprint};
use crate::base::error::{Error, IoOp, Result};
use crate::base::message::Msg;
use crate::base::namespace;
use crate::msg;
use crate::secret::keys;
use crate::sys::fsutil;

/// Where a city installs its anchor and documents.
pub const SYSTEM_DIR: &str = "/etc/okuri";
/// The trust anchor's file name in the system directory.
pub const ANCHOR_FILE: &str = "ciso.allowed_signers";
/// The environment variable that moves the system directory: honoured only in test builds
/// and for root, who could change `/etc` anyway.
pub const SYSTEM_DIR_ENV: &str = "OKURI_SYSTEM_DIR";
/// No city document is anywhere near this; a bigger file is refused before it is read whole.
const MAX_DOCUMENT: u64 = 4 << 20;

/// The kinds of signed city document.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The rules: class table, limits, language (signed by the CISO)
    Rules,
    /// The trust list: officers, custodians, administrators, their keys (signed by the CISO)
    Trust,
    /// The approval service's address (signed by the CISO)
    Service,
    /// The staff directory: staff and auditors and their keys (signed by an administrator)
    Staff,
    /// The recipient register, 外部委託先台帳 (signed by a custodian)
    Recipients,
    /// The media register, 記録媒体台帳: registered and retired media (signed by a custodian)
    Media,
}

/// Who may sign a kind of document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignedBy {
    /// A key of the trust anchor.
    Ciso,
    /// A key of a role in the (signed) trust list.
    Role(crate::policy::trust::SignerRole),
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Rules,
        Kind::Trust,
        Kind::Service,
        Kind::Staff,
        Kind::Recipients,
        Kind::Media,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Rules => "rules",
            Kind::Trust => "trust",
            Kind::Service => "service",
            Kind::Staff => "staff",
            Kind::Recipients => "recipients",
            Kind::Media => "media",
        }
    }

    /// The document's file name in the system directory.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Rules => "rules.toml",
            Kind::Trust => "trust.toml",
            Kind::Service => "service.toml",
            Kind::Staff => "staff.toml",
            Kind::Recipients => "recipients.toml",
            Kind::Media => "media.toml",
        }
    }

    /// The SSHSIG namespace of its signature: a signature for one kind is never another's.
    pub fn namespace(self) -> &'static str {
        match self {
            Kind::Rules => namespace::NS_RULES,
            Kind::Trust => namespace::NS_TRUST,
            Kind::Service => namespace::NS_SERVICE,
            Kind::Staff => namespace::NS_STAFF,
            Kind::Recipients => namespace::NS_RECIPIENTS,
            Kind::Media => namespace::NS_MEDIA_REGISTER,
        }
    }

    pub fn signed_by(self) -> SignedBy {
        use crate::policy::trust::SignerRole;
        match self {
            Kind::Rules | Kind::Trust | Kind::Service => SignedBy::Ciso,
            Kind::Staff => SignedBy::Role(SignerRole::Administrator),
            Kind::Recipients | Kind::Media => SignedBy::Role(SignerRole::Custodian),
        }
    }
}

/// `FILE.sig` for `FILE`.
pub fn sig_path(file: &Path) -> PathBuf {
    let mut s = file.as_os_str().to_os_string();
    s.push(".sig");
    PathBuf::from(s)
}

/// The system directory: `/etc/okuri`, or `OKURI_SYSTEM_DIR` in a test build or for root.
/// Anyone else who sets it is told it is not honoured, never silently obeyed or ignored.
pub fn system_dir() -> Result<PathBuf> {
    match std::env::var_os(SYSTEM_DIR_ENV) {
        Some(d) if !d.is_empty() => {
            if cfg!(feature = "test-hooks") || rustix::process::geteuid().is_root() {
                Ok(PathBuf::from(d))
            } else {
                Err(
                    Error::usage(msg!("city-system-dir-not-honoured", var = SYSTEM_DIR_ENV))
                        .with_hint(msg!(
                            "hint-city-system-dir-not-honoured",
                            var = SYSTEM_DIR_ENV
                        )),
                )
            }
        }
        _ => Ok(PathBuf::from(SYSTEM_DIR)),
    }
}

/// Is a trust anchor installed on this machine? Decides development mode; whether the anchor
/// is usable is [`City::open`]'s question.
pub fn anchored() -> bool {
    // Fail closed: an anchor that cannot even be looked at (EACCES, EIO) counts as installed,
    // so that what is written says nothing of development mode; reading it then says why.
    system_dir().is_ok_and(|d| !matches!(d.join(ANCHOR_FILE).try_exists(), Ok(false)))
}

/// One key of the trust anchor.
#[derive(Clone, Debug)]
pub struct AnchorKey {
    pub principal: String,
    pub key: PublicKey,
    pub fingerprint: Fingerprint,
}

/// A city's system directory with a usable trust anchor.
#[derive(Clone, Debug)]
pub struct City {
    pub dir: PathBuf,
    pub anchor: Vec<AnchorKey>,
}

/// A verified document: its exact bytes, who signed it, its serial and end of validity.
#[derive(Clone, Debug)]
pub struct Document {
    pub kind: Kind,
    pub path: PathBuf,
    pub text: String,
    pub digest: Blake3,
    pub signer: Fingerprint,
    pub serial: u64,
    pub valid_until: Timestamp,
}

/// The serial and end of validity every signed document carries at its top.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub serial: u64,
    pub valid_until: Timestamp,
}

impl Header {
    /// Reads `serial` (a positive integer) and `valid_until` (a date: valid through that day
    /// in Japan; or an RFC 3339 time) from a document's top level.
    pub fn read(text: &str) -> std::result::Result<Header, Msg> {
        #[derive(Deserialize)]
        struct Raw {
            serial: Option<i64>,
            valid_until: Option<toml::value::Datetime>,
        }
        let raw: Raw = toml::from_str::<toml::Table>(text)
            .map_err(|e| msg!("city-header-toml", detail = e.message().trim()))
            .and_then(|t| {
                toml::Value::Table(t)
                    .try_into()
                    .map_err(|e: toml::de::Error| {
                        msg!("city-header-toml", detail = e.message().trim())
                    })
            })?;
        let serial = match raw.serial {
            Some(s) if s > 0 => s as u64,
            Some(_) => return Err(msg!("city-header-serial")),
            None => return Err(msg!("city-header-missing", key = "serial")),
        };
        let Some(until) = raw.valid_until else {
            return Err(msg!("city-header-missing", key = "valid_until"));
        };
        let valid_until = datetime_end(&until).ok_or(msg!("city-header-valid-until"))?;
        Ok(Header {
            serial,
            valid_until,
        })
    }
}

/// The instant a `valid_until` ends: the end of a date in Japan, or the instant given.
fn datetime_end(d: &toml::value::Datetime) -> Option<Timestamp> {
    match (d.date, d.time, d.offset) {
        (Some(date), None, None) => {
            let day =
                jiff::civil::Date::new(date.year as i16, date.month as i8, date.day as i8).ok()?;
            Some(crate::base::time::start_of_day_jst(day.tomorrow().ok()?))
        }
        (Some(_), Some(_), Some(_)) => d.to_string().parse::<Timestamp>().ok(),
        _ => None,
    }
}

impl City {
    /// The city whose anchor is in `dir`, or `None` when no anchor is installed there
    /// (development mode). An anchor a staff account could change, or with fewer than two
    /// keys, is an error: okuri never falls back to development mode past a broken anchor.
    pub fn open(dir: &Path) -> Result<Option<City>> {
        let path = dir.join(ANCHOR_FILE);
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(IoOp::Read, &path, e)),
        };
        for (p, m) in [
            (path.as_path(), meta.clone()),
            (
                dir,
                std::fs::metadata(dir).map_err(|e| Error::io(IoOp::Read, dir, e))?,
            ),
        ] {
            if !protected(&m) {
                return Err(unprotected(p, &m));
            }
        }
        let text = read_bounded(&path)?;
        let bad = |offset: usize, finding: Msg| {
            Error::invalid_at(
                msg!("city-anchor-invalid", file = &path),
                &path,
                &text,
                offset,
                finding,
            )
            .with_hint(msg!("hint-city-anchor-invalid"))
        };
        let mut anchor: Vec<AnchorKey> = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let at = offset;
            offset += line.len();
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let mut words = l.split_whitespace();
            let principal = words.next().unwrap_or_default().to_owned();
            // `principal [options] ssh-ed25519 AAAA… [comment]`: the key starts at its type.
            let rest: Vec<&str> = words.collect();
            let Some(i) = rest.iter().position(|w| w.starts_with("ssh-")) else {
                return Err(bad(at, msg!("city-anchor-line")));
            };
            // Options (namespaces=, valid-before=, cert-authority…) would make ssh-keygen's
            // verdict differ from okuri's: an anchor line is a principal and a key, nothing else.
            if i > 0 {
                return Err(bad(
                    at,
                    msg!("city-anchor-options", options = rest[..i].join(" ")),
                ));
            }
            let key = keys::parse_public(&rest[i..].join(" ")).map_err(|e| {
                bad(
                    at,
                    match e {
                        keys::BadPublicKey::NotOpenSsh(detail) => {
                            msg!("city-anchor-key", detail = detail)
                        }
                        keys::BadPublicKey::NotEd25519(algorithm) => {
                            msg!("city-anchor-key", detail = algorithm)
                        }
                    },
                )
            })?;
            let fingerprint = Fingerprint::of(&key);
            if !anchor.iter().any(|k| k.fingerprint == fingerprint) {
                anchor.push(AnchorKey {
                    principal,
                    key,
                    fingerprint,
                });
            }
        }
        if anchor.len() < 2 {
            return Err(Error::invalid(msg!(
                "city-anchor-too-few",
                file = &path,
                count = anchor.len()
            ))
            .with_hint(msg!("hint-city-anchor-too-few")));
        }
        Ok(Some(City {
            dir: dir.to_path_buf(),
            anchor,
        }))
    }

    /// The path of a kind of document in this city.
    pub fn path(&self, kind: Kind) -> PathBuf {
        self.dir.join(kind.file_name())
    }

    /// Does the city have this document? (The service's address and the registers are
    /// optional.) A document that cannot be looked at is an error, never "absent".
    pub fn has(&self, kind: Kind) -> Result<bool> {
        let p = self.path(kind);
        p.try_exists().map_err(|e| Error::io(IoOp::Read, &p, e))
    }

    /// Reads and verifies one document: its `.sig` is an SSHSIG in the kind's namespace by a
    /// key `allowed` accepts (for the CISO's documents, a key of the anchor), over exactly
    /// the file's bytes; its header is well formed and it is still valid at `now`.
    pub fn document(
        &self,
        kind: Kind,
        allowed: &dyn Fn(&Fingerprint) -> std::result::Result<(), Msg>,
        now: Timestamp,
    ) -> Result<Document> {
        let path = self.path(kind);
        if !self.has(kind)? {
            return Err(Error::invalid(msg!(
                "city-document-missing",
                kind = kind.as_str(),
                file = &path
            ))
            .with_hint(msg!("hint-city-document-missing", kind = kind.as_str())));
        }
        let sig_file = sig_path(&path);
        if !sig_file
            .try_exists()
            .map_err(|e| Error::io(IoOp::Read, &sig_file, e))?
        {
            return Err(
                Error::integrity(msg!("city-unsigned", file = &path)).with_hint(msg!(
                    "hint-city-sign",
                    kind = kind.as_str(),
                    file = &path
                )),
            );
        }
        // Like the anchor, the document and its signature must be root's alone: a copy a
        // staff account could put back is a rollback waiting for a fresh home.
        for p in [&path, &sig_file] {
            let m = std::fs::metadata(p).map_err(|e| Error::io(IoOp::Read, p, e))?;
            if !protected(&m) {
                return Err(unprotected(p, &m));
            }
        }
        let text = read_bounded(&path)?;
        let armor = read_bounded(&sig_file)?;
        let sig = SshSig::from_pem(armor.trim_end()).map_err(|e| {
            Error::integrity(msg!("city-signature-unreadable", file = &sig_file))
                .with_source(e)
                .with_hint(msg!("hint-city-sign", kind = kind.as_str(), file = &path))
        })?;
        let signer = Fingerprint::of(&PublicKey::from(sig.public_key().clone()));
        if !keys::verify_sshsig(&sig, kind.namespace(), text.as_bytes()) {
            return Err(Error::integrity(msg!(
                "city-signature-invalid",
                file = &path,
                namespace = kind.namespace()
            ))
            .with_hint(msg!("hint-city-signature-invalid")));
        }
        if let Err(why) = allowed(&signer) {
            return Err(Error::integrity(msg!(
                "city-signer-not-trusted",
                file = &path,
                key = &signer
            ))
            .with_hint(why));
        }
        let header = Header::read(&text).map_err(|finding| {
            Error::invalid(msg!("city-document-invalid", file = &path)).with_hint(finding)
        })?;
        if now >= header.valid_until {
            return Err(Error::invalid(msg!(
                "city-document-expired",
                file = &path,
                until = header.valid_until,
                serial = header.serial
            ))
            .with_hint(msg!("hint-city-document-expired", kind = kind.as_str())));
        }
        Ok(Document {
            kind,
            digest: Blake3::of(text.as_bytes()),
            path,
            text,
            signer,
            serial: header.serial,
            valid_until: header.valid_until,
        })
    }

    /// Accepts a key of the trust anchor, for [`City::document`].
    pub fn ciso(&self, fp: &Fingerprint) -> std::result::Result<(), Msg> {
        if self.anchor.iter().any(|k| &k.fingerprint == fp) {
            Ok(())
        } else {
            Err(msg!(
                "hint-city-signer-ciso",
                file = self.dir.join(ANCHOR_FILE)
            ))
        }
    }
}

/// Signs a city document with `key`: writes `FILE.sig`, an SSHSIG over `text`, the exact
/// bytes the caller read from `file` and checked (what `ssh-keygen -Y sign -n NAMESPACE`
/// writes). The signature is made over those bytes, not over the file read again, so that a
/// file swapped while a passphrase was asked for is never signed unchecked; and if the file no
/// longer holds them when the signature is written, nothing is written. The document must
/// have its header; whether its content is valid is the caller's check (each kind has its
/// reader), and whether `key` may sign it is decided where it is read.
pub fn sign(
    kind: Kind,
    file: &Path,
    text: &str,
    key: &keys::SigningKey,
) -> Result<(PathBuf, Header)> {
    let (armor, header) = signature(kind, file, text, key)?;
    Ok((write_signature(file, text, &armor)?, header))
}

/// The armored signature of `text` as the `kind` document `file` (named in messages), made
/// in memory: a caller that writes the document too signs first, so that a refused or failed
/// signature leaves both files as they were.
pub fn signature(
    kind: Kind,
    file: &Path,
    text: &str,
    key: &keys::SigningKey,
) -> Result<(String, Header)> {
    let header = Header::read(text).map_err(|finding| {
        Error::invalid(msg!("city-document-invalid", file = file)).with_hint(finding)
    })?;
    let sig = key.sign(kind.namespace(), text.as_bytes())?;
    let mut armor = sig
        .to_pem(ssh_key::LineEnding::LF)
        .map_err(|e| Error::failure(msg!("key-sign-failed")).with_source(e))?;
    if !armor.ends_with('\n') {
        armor.push('\n');
    }
    Ok((armor, header))
}

/// Writes `armor` as `FILE.sig`, if `file` still holds `text`, the bytes it signs.
pub fn write_signature(file: &Path, text: &str, armor: &str) -> Result<PathBuf> {
    unchanged(file, text)?;
    let out = sig_path(file);
    // A signature is public: it replaces an older one, atomically, readable by everyone.
    fsutil::replace_mode(&out, armor.as_bytes(), 0o644)?;
    Ok(out)
}

/// Does `file` still hold `text`? Else someone changed it since it was read and checked.
pub fn unchanged(file: &Path, text: &str) -> Result<()> {
    if read_bounded(file)? != text {
        return Err(Error::invalid(msg!("city-document-changed", file = file))
            .with_hint(msg!("hint-city-document-changed")));
    }
    Ok(())
}

/// A template with its dates (`valid_until`, and the example recipients' `agreement_ends`)
/// set to the end of a fiscal year (31 March) at least 90 days after `today`, so that a
/// document started today is not about to lapse and no template goes stale.
pub fn dated(template: &str, today: jiff::civil::Date) -> String {
    let fiscal_end = |year: i16| jiff::civil::Date::new(year, 3, 31).ok();
    let mut end = fiscal_end(today.year());
    while let Some(e) = end.filter(|e| (*e - today).get_days() < 90) {
        end = e.year().checked_add(1).and_then(fiscal_end);
    }
    // Past the last year jiff knows there is no date to write: the template stays as it is.
    let Some(end) = end else {
        return template.to_owned();
    };
    let mut out = String::with_capacity(template.len());
    for line in template.split_inclusive('\n') {
        let key = ["valid_until = ", "agreement_ends = "]
            .into_iter()
            .find(|k| line.starts_with(k));
        match key {
            Some(k) if line.len() >= k.len() + 10 && line.is_char_boundary(k.len() + 10) => {
                out.push_str(k);
                out.push_str(&end.to_string());
                out.push_str(&line[k.len() + 10..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// Reads a document as [`sign`] will sign it, for the caller's content check.
pub fn read_for_signing(file: &Path) -> Result<String> {
    read_bounded(file)
}

/// Accepts, for [`City::document`], a key the trust list gives the role that signs `kind`
/// (an administrator for the staff directory, a custodian for the recipient register),
/// trusted at `now`.
pub fn signed_by_role(
    trust: &crate::policy::trust::TrustList,
    kind: Kind,
    fp: &Fingerprint,
    now: Timestamp,
) -> std::result::Result<(), Msg> {
    match kind.signed_by() {
        SignedBy::Ciso => Err(msg!("hint-city-signer-ciso", file = ANCHOR_FILE)),
        SignedBy::Role(role) => trust
            .check(role, fp, now)
            .map(|_| ())
            .map_err(|d| d.msg(fp, role)),
    }
}

/// The error for a file named on the command line or in the environment where the city's
/// signed document must be used: okuri never lets a staff member choose its authority.
pub fn override_refused(what: &str, file: &Path, city: &City) -> Error {
    Error::usage(msg!(
        "city-override-refused",
        what = what,
        file = file,
        dir = &city.dir
    ))
    .with_hint(msg!("hint-city-override-refused"))
}

/// A file a staff account cannot change: owned by root (in a test build, by the user running
/// it, who plays root there), writable by no one else.
fn protected(m: &std::fs::Metadata) -> bool {
    let me = rustix::process::geteuid().as_raw();
    let owner_ok = m.uid() == 0 || (cfg!(feature = "test-hooks") && m.uid() == me);
    owner_ok && m.mode() & 0o022 == 0
}

/// A file of the city a staff account could change.
fn unprotected(p: &Path, m: &std::fs::Metadata) -> Error {
    Error::invalid(msg!(
        "city-anchor-unprotected",
        path = p,
        owner = m.uid(),
        mode = format!("{:o}", m.mode() & 0o7777)
    ))
    .with_hint(msg!("hint-city-anchor-unprotected", path = p))
}

fn read_bounded(path: &Path) -> Result<String> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(IoOp::Read, path, e))?;
    let mut bytes = Vec::new();
    f.take(MAX_DOCUMENT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(IoOp::Read, path, e))?;
    if bytes.len() as u64 > MAX_DOCUMENT {
        return Err(Error::invalid(msg!(
            "city-document-too-big",
            file = path,
            limit = MAX_DOCUMENT
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| Error::invalid(msg!("city-document-not-utf8", file = path)))
}

/// The highest serial of each kind of document this home has seen, so an older document put
/// back (a rollback) is refused. Kept in the home as `city-serials.json`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Seen {
    #[serde(flatten)]
    serials: BTreeMap<Kind, u64>,
}

impl Seen {
    pub const FILE: &'static str = "city-serials.json";

    /// Checks a document's serial against what `home` has seen and remembers a newer one.
    pub fn check(home: &Path, kind: Kind, serial: u64) -> Result<()> {
        Self::check_all(home, &[(kind, serial)])
    }

    /// [`Seen::check`] for several documents at once: the file is read once, and written once
    /// if any serial is newer. A home that does not exist yet remembers nothing (nothing is
    /// sent from it either).
    pub fn check_all(home: &Path, docs: &[(Kind, u64)]) -> Result<()> {
        let path = home.join(Self::FILE);
        let mut seen: Seen = match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| {
                Error::integrity(msg!("city-serials-unreadable", file = &path)).with_source(e)
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Seen::default(),
            Err(e) => return Err(Error::io(IoOp::Read, &path, e)),
        };
        let mut newer = false;
        for &(kind, serial) in docs {
            let held = seen.serials.get(&kind).copied().unwrap_or(0);
            if serial < held {
                return Err(Error::integrity(msg!(
                    "city-rollback",
                    kind = kind.as_str(),
                    serial = serial,
                    held = held
                ))
                .with_hint(msg!("hint-city-rollback")));
            }
            if serial > held {
                seen.serials.insert(kind, serial);
                newer = true;
            }
        }
        if newer && home.is_dir() {
            let mut bytes = serde_json::to_vec_pretty(&seen).expect("serials serialize");
            bytes.push(b'\n');
            fsutil::replace(&path, &bytes)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_are_dated_a_fiscal_year_end_ahead() {
        let t = "serial = 1\nvalid_until = 2020-01-01   # c\nagreement_ends = 2020-01-01\nvalid_until = 20\n";
        let d = |y, m, day| jiff::civil::Date::new(y, m, day).unwrap();
        for (today, end) in [
            (d(2026, 12, 4), "2027-03-31"),
            (d(2027, 1, 5), "2028-03-31"),
            (d(2027, 3, 31), "2028-03-31"),
            (d(2027, 4, 1), "2028-03-31"),
            (d(2026, 12, 31), "2027-03-31"),
            (d(2027, 1, 1), "2028-03-31"),
        ] {
            let out = super::dated(t, today);
            assert!(
                out.contains(&format!("valid_until = {end}   # c\n")),
                "{today}: {out}"
            );
            assert!(
                out.contains(&format!("agreement_ends = {end}\n")),
                "{today}: {out}"
            );
            // A line too short to hold a date is left alone, not cut.
            assert!(out.ends_with("valid_until = 20\n"), "{out}");
        }
        // The last year jiff knows: no date to write, the template as it is.
        assert_eq!(super::dated(t, d(9999, 6, 1)), t);
    }

    use super::*;

    #[test]
    fn a_header_needs_a_positive_serial_and_an_end() {
        let h = Header::read("serial = 3\nvalid_until = 2027-03-31\n").unwrap();
        assert_eq!(h.serial, 3);
        assert_eq!(h.valid_until.to_string(), "2027-03-31T15:00:00Z");
        assert_eq!(
            Header::read("serial = 0\nvalid_until = 2027-03-31\n")
                .unwrap_err()
                .id(),
            "city-header-serial"
        );
        assert_eq!(
            Header::read("valid_until = 2027-03-31\n").unwrap_err().id(),
            "city-header-missing"
        );
        assert_eq!(
            Header::read("serial = 1\nvalid_until = 12:00:00\n")
                .unwrap_err()
                .id(),
            "city-header-valid-until"
        );
        assert_eq!(
            Header::read("serial = 1\nvalid_until = 2027-01-01T00:00:00+09:00\n")
                .unwrap()
                .valid_until
                .to_string(),
            "2026-12-31T15:00:00Z"
        );
    }
}
