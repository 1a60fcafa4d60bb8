//! Where a file's importance class comes from: the extended attribute `user.okuri.class`, a
//! sidecar label file `<name>.okuri-class`, and the label register under the home, keyed by
//! the file's BLAKE3 so that a renamed file keeps its label and a changed file loses it.
//!
//! Only an information officer (情報責任者) designates a class (Ch.2 §1): a *signed designation*
//! (`okuri label --key`, a [`crate::signed`] document bound to the file's BLAKE3 and size, in
//! the register under `designations/` or beside the file as `<name>.okuri-designation`) sets
//! the class. Unsigned labels — the extended attribute, the sidecar `<name>.okuri-class`, and
//! staff entries in `labels/` — may only raise it. Without a valid signed designation a file
//! takes the stricter of its unsigned labels and the policy's `unlabeled_class`, so with the
//! default policy (class I) nothing leaves as class II or III unless an officer said so.
//! A designation that does not verify is ignored (and shown by `okuri classify`): ignoring it
//! can only make the file stricter.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::base::class::Class;
use crate::base::digest::Blake3;
use crate::base::error::{Error, IoOp, Result};
use crate::base::message::Msg;
use crate::base::refusal::{Refusal, RefusalCode, Rule, StandardRule};
use crate::base::time::Time;
use crate::msg;
use crate::policy::Policy;
use crate::policy::trust::Distrust;
use crate::sys::fsutil;
use crate::sys::home::{Home, Identity};
use crate::sys::input::Input;

/// The extended attribute that carries a class.
pub const XATTR: &str = "user.okuri.class";
/// The suffix of a sidecar label file: `report.csv` is labelled by `report.csv.okuri-class`.
pub const SIDECAR_SUFFIX: &str = ".okuri-class";

/// Where one label was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    Xattr,
    Sidecar {
        #[serde(with = "crate::base::fsname")]
        path: PathBuf,
    },
    Register {
        #[serde(with = "crate::base::fsname")]
        path: PathBuf,
        designated_by: String,
        designated_at: Time,
    },
    /// A signed designation by an information officer (情報責任者).
    Designation {
        #[serde(with = "crate::base::fsname")]
        path: PathBuf,
        officer: String,
        key: crate::base::digest::Fingerprint,
        department: String,
        designated_at: Time,
    },
    /// No label: the policy's class for unlabeled files.
    Default,
}

impl Source {
    /// A short name for tables and the record.
    pub fn name(&self) -> &'static str {
        match self {
            Source::Xattr => "xattr",
            Source::Sidecar { .. } => "sidecar",
            Source::Register { .. } => "register",
            Source::Designation { .. } => "designation",
            Source::Default => "default",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Label {
    pub class: Class,
    pub source: Source,
}

/// A file's class and everything that was found about it.
#[derive(Clone, Debug, Serialize)]
pub struct Classification {
    #[serde(with = "crate::base::fsname")]
    pub path: PathBuf,
    pub size: u64,
    pub blake3: Blake3,
    pub class: Class,
    pub source: Source,
    pub labels: Vec<Label>,
    /// Signed designations that did not verify, and why; they count for nothing.
    pub ignored: Vec<Ignored>,
    /// Whether the approval service was asked for the designations the city knows.
    pub city: CityAsked,
}

/// What the approval service knows of a file's signed designations, for [`classify_with`].
#[derive(Clone, Debug)]
pub enum CityDesignations {
    /// No approval service is configured.
    NoService,
    /// The service answered: the designations it holds for the digest, as signed.
    Known(Vec<String>),
    /// The service could not be asked (no key to log in with, or no connection): the local
    /// designations count, and a transfer's record entry says so.
    Unasked,
}

/// Whether a classification consulted the city's designations at the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CityAsked {
    NoService,
    Asked,
    Unasked,
}

#[derive(Clone, Debug, Serialize)]
pub struct Ignored {
    #[serde(with = "crate::base::fsname")]
    pub path: PathBuf,
    pub why: Msg,
}

/// The suffix of a signed designation beside its file: `report.csv.okuri-designation`.
pub const DESIGNATION_SUFFIX: &str = ".okuri-designation";

pub use crate::signed::designation::{DESIGNATION_KIND, DesignationPayload};

/// One entry of the label register, stored as `labels/<blake3>.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Designation {
    pub version: u32,
    pub blake3: Blake3,
    pub size: u64,
    pub class: Class,
    #[serde(with = "crate::base::fsname")]
    pub file_name: std::ffi::OsString,
    pub designated_at: Time,
    pub designated_by: Designator,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Designator {
    pub name: String,
    pub department: String,
}

/// Classifies an opened input from what is on this machine only (labelling, designating).
pub fn classify(input: &mut Input, home: &Home, policy: &Policy) -> Result<Classification> {
    classify_with(input, home, policy, &|_| Ok(CityDesignations::NoService))
}

/// Classifies an opened input: reads every label, hashes the file, asks `city` for the
/// designations the approval service holds for its digest, and applies the rule. A
/// designation the staff member deleted locally still counts where the service has it.
pub fn classify_with(
    input: &mut Input,
    home: &Home,
    policy: &Policy,
    city: &dyn Fn(&Blake3) -> Result<CityDesignations>,
) -> Result<Classification> {
    let blake3 = input.digest()?;
    let (remote, asked) = match city(&blake3)? {
        CityDesignations::NoService => (Vec::new(), CityAsked::NoService),
        CityDesignations::Known(d) => (d, CityAsked::Asked),
        CityDesignations::Unasked => (Vec::new(), CityAsked::Unasked),
    };
    let mut labels = Vec::new();
    if let Some(c) = read_xattr(input)? {
        labels.push(Label {
            class: c,
            source: Source::Xattr,
        });
    }
    if let Some(l) = read_sidecar(&input.path)? {
        labels.push(l);
    }
    if let Some(l) = read_register(home, &blake3)? {
        labels.push(l);
    }
    let unsigned = labels.iter().max_by_key(|l| l.class).cloned();
    let mut ignored = Vec::new();
    let signed = read_designations(input, home, policy, &blake3, &remote, &mut ignored)?;
    let (class, source) = match (&signed, unsigned) {
        (Some(d), Some(u)) if u.class > d.class => (u.class, u.source),
        (Some(d), _) => (d.class, d.source.clone()),
        (None, Some(u)) if u.class >= policy.unlabeled_class => (u.class, u.source),
        (None, _) => (policy.unlabeled_class, Source::Default),
    };
    labels.extend(signed);
    Ok(Classification {
        path: input.path.clone(),
        size: input.size,
        blake3,
        class,
        source,
        labels,
        ignored,
        city: asked,
    })
}

pub fn designation_sidecar(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(DESIGNATION_SUFFIX);
    fsutil::parent_dir(file).join(name)
}

/// The register's directory for one digest: `designations/<BLAKE3>/`. A lookup reads only the
/// designations of the file's digest, however many the register holds (a city designates
/// tens of thousands of files; one flat directory made every `classify` read all of them).
fn register_dir(home: &Home, digest: &Blake3) -> PathBuf {
    home.designations_dir().join(digest.to_hex())
}

/// The file that says the register is kept by digest.
const BY_DIGEST: &str = ".by-digest";

/// Moves designations an older okuri kept flat in `designations/` into their digest's
/// directory, once: after that the marker says there is nothing flat to look for. A move
/// another okuri made first is no error; a file that is not a designation stays where it is.
fn by_digest(home: &Home) -> Result<()> {
    let dir = home.designations_dir();
    let marker = dir.join(BY_DIGEST);
    if marker.exists() || !dir.is_dir() {
        return Ok(());
    }
    let rd = std::fs::read_dir(&dir).map_err(|e| Error::io(IoOp::Read, &dir, e))?;
    for e in rd.flatten() {
        let name = e.file_name();
        let Some(text) = name.to_str() else { continue };
        let Some((digest, _)) = text.split_once('-') else {
            continue;
        };
        let Ok(digest) = digest.parse::<Blake3>() else {
            continue;
        };
        if !text.ends_with(DESIGNATION_SUFFIX) || !e.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let to = register_dir(home, &digest);
        fsutil::create_dir(&to, 0o700)?;
        match std::fs::rename(e.path(), to.join(&name)) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(Error::io(IoOp::Write, &e.path(), err)),
        }
    }
    match fsutil::write_new_mode(&marker, b"", 0o600) {
        Ok(()) => Ok(()),
        Err(_) if marker.exists() => Ok(()),
        Err(e) => Err(e),
    }
}

/// The signed designations for a digest: in the register and beside the file. The newest
/// valid one counts (an officer may re-designate); ties go to the stricter class.
fn read_designations(
    input: &Input,
    home: &Home,
    policy: &Policy,
    digest: &Blake3,
    remote: &[String],
    ignored: &mut Vec<Ignored>,
) -> Result<Option<Label>> {
    let mut paths = Vec::new();
    by_digest(home)?;
    let dir = register_dir(home, digest);
    match std::fs::read_dir(&dir) {
        Ok(rd) => {
            let prefix = format!("{digest}-");
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with(&prefix) && name.ends_with(DESIGNATION_SUFFIX) {
                    paths.push(e.path());
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(IoOp::Read, &dir, e)),
    }
    let beside = designation_sidecar(&input.path);
    if beside.is_file() {
        paths.push(beside);
    }
    paths.sort();
    // The department that holds the asset for this staff member (情報資産の管理): a
    // designation counts for the staff of the department it names. Without a set-up home
    // (an officer's or auditor's machine) no designation may lower another.
    let mine = home.identity().ok().map(|i| i.department);
    let mut own: Option<(jiff::Timestamp, Label)> = None;
    let mut strictest_other: Option<Label> = None;
    let mut docs = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|e| Error::io(IoOp::Read, &path, e))?;
        docs.push((path, bytes));
    }
    // The city's, from the service: checked exactly like the local ones.
    for (i, d) in remote.iter().enumerate() {
        docs.push((
            PathBuf::from(format!("okuri-approvald:{digest}/{}", i + 1)),
            d.clone().into_bytes(),
        ));
    }
    for (path, bytes) in docs {
        match check_designation(&bytes, &path, policy, digest, input.size) {
            Ok((at, label_of)) => {
                let label = label_of(path);
                let ours = matches!(
                    (&label.source, &mine),
                    (Source::Designation { department, .. }, Some(m)) if department == m
                );
                if ours {
                    // The department's own officers re-designate: the latest one holds, and
                    // may lower the class.
                    let later = own
                        .as_ref()
                        .is_none_or(|(t, l)| at > *t || (at == *t && label.class > l.class));
                    if later {
                        own = Some((at, label));
                    }
                } else if strictest_other
                    .as_ref()
                    .is_none_or(|l| label.class > l.class)
                {
                    strictest_other = Some(label);
                }
            }
            Err(why) => ignored.push(Ignored { path, why }),
        }
    }
    // Another department's designation never lowers a class: it counts only where it is at
    // least as strict as what this department's designation (or, without one, the policy's
    // class for unlabeled files) says. A copy of another department's file designated lower
    // "for" some other department therefore stays as strict as the strictest designation.
    let floor = own
        .as_ref()
        .map_or(policy.unlabeled_class, |(_, l)| l.class);
    let other = match strictest_other {
        Some(l) if mine.is_none() || l.class >= floor => Some(l),
        Some(l) => {
            if let Source::Designation {
                path, department, ..
            } = &l.source
            {
                ignored.push(Ignored {
                    path: path.clone(),
                    why: msg!(
                        "designation-other-department",
                        department = department,
                        mine = mine.clone().unwrap_or_default()
                    ),
                });
            }
            None
        }
        None => None,
    };
    Ok(match (own, other) {
        (Some((_, o)), Some(x)) if x.class > o.class => Some(x),
        (Some((_, o)), _) => Some(o),
        (None, x) => x,
    })
}

type LabelAt = Box<dyn FnOnce(PathBuf) -> Label>;

/// Verifies one signed designation for a file of this digest and size; `Err` says why it
/// counts for nothing.
fn check_designation(
    bytes: &[u8],
    path: &Path,
    policy: &Policy,
    digest: &Blake3,
    size: u64,
) -> std::result::Result<(jiff::Timestamp, LabelAt), Msg> {
    let d = crate::signed::Parsed::<DesignationPayload>::read(bytes)
        .map_err(|e| e.msg(DESIGNATION_KIND, &crate::base::fsname::shown(path)))?;
    let p = d.payload.clone();
    if p.file.blake3 != *digest || p.file.size != size {
        return Err(msg!(
            "designation-other-version",
            blake3 = p.file.blake3.short()
        ));
    }
    let officer = d
        .verify(&policy.trust, crate::sys::hooks::now().timestamp())
        .map_err(|r| r.msg())?;
    let at = p.designated_at.at();
    let fp = d.signed.signer_fingerprint();
    let source_officer = officer.describe();
    Ok((
        at,
        Box::new(move |path| Label {
            class: p.class,
            source: Source::Designation {
                path,
                officer: source_officer,
                key: fp,
                department: p.department,
                designated_at: p.designated_at,
            },
        }),
    ))
}

fn read_xattr(input: &Input) -> Result<Option<Class>> {
    use xattr::FileExt;
    let raw = match input.file.get_xattr(XATTR) {
        Ok(v) => v,
        // A file system without user xattrs simply has no such label.
        Err(e) if e.raw_os_error() == Some(95) => None,
        Err(e) => return Err(Error::io(IoOp::ReadXattr, &input.path, e)),
    };
    let Some(raw) = raw else { return Ok(None) };
    let text = String::from_utf8_lossy(&raw);
    text.parse::<Class>().map(Some).map_err(|e| {
        Error::invalid(msg!(
            "label-xattr-invalid",
            xattr = XATTR,
            path = &input.path,
            value = e.0
        ))
        .with_hint(msg!("label-xattr-invalid-hint", path = &input.path))
    })
}

pub fn sidecar_path(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(SIDECAR_SUFFIX);
    fsutil::parent_dir(file).join(name)
}

/// Why a sidecar label cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SidecarError {
    Empty,
    SeveralClasses,
    /// The word that is not a class.
    NotAClass(String),
}

impl SidecarError {
    /// The message for the label file at `path`.
    pub fn msg(&self, path: &Path) -> Msg {
        match self {
            SidecarError::Empty => msg!("label-sidecar-empty", path = path),
            SidecarError::SeveralClasses => msg!("label-sidecar-several", path = path),
            SidecarError::NotAClass(value) => {
                msg!("label-sidecar-not-a-class", path = path, value = value)
            }
        }
    }
}

/// Parses a sidecar label: one class on a line of its own; `#` starts a comment.
pub fn parse_sidecar(text: &str) -> std::result::Result<Class, SidecarError> {
    let words: Vec<&str> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    match words.as_slice() {
        [one] => one
            .parse::<Class>()
            .map_err(|e| SidecarError::NotAClass(e.0)),
        [] => Err(SidecarError::Empty),
        _ => Err(SidecarError::SeveralClasses),
    }
}

fn read_sidecar(file: &Path) -> Result<Option<Label>> {
    let path = sidecar_path(file);
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        // A file whose name is near the limit cannot have a sidecar: its name would be too
        // long to exist.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::InvalidFilename
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(Error::io(IoOp::Read, &path, e)),
    };
    let text = String::from_utf8(text)
        .map_err(|_| Error::invalid(msg!("label-sidecar-not-utf8", path = &path)))?;
    let class = parse_sidecar(&text).map_err(|why| {
        Error::invalid(why.msg(&path)).with_hint(msg!("label-sidecar-invalid-hint"))
    })?;
    Ok(Some(Label {
        class,
        source: Source::Sidecar { path },
    }))
}

pub fn register_path(home: &Home, digest: &Blake3) -> PathBuf {
    home.labels_dir().join(format!("{digest}.json"))
}

fn read_register(home: &Home, digest: &Blake3) -> Result<Option<Label>> {
    let path = register_path(home, digest);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(IoOp::Read, &path, e)),
    };
    let d: Designation = serde_json::from_slice(&bytes).map_err(|e| {
        Error::invalid(msg!("label-register-invalid", path = &path))
            .with_source(e)
            .with_hint(msg!("label-register-invalid-hint"))
    })?;
    if d.blake3 != *digest {
        return Err(
            Error::invalid(msg!("label-register-other-digest", path = &path))
                .with_hint(msg!("label-register-other-digest-hint")),
        );
    }
    Ok(Some(Label {
        class: d.class,
        source: Source::Register {
            path,
            designated_by: format!("{} ({})", d.designated_by.name, d.designated_by.department),
            designated_at: d.designated_at,
        },
    }))
}

/// Where `okuri label` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    Register,
    Xattr,
    Sidecar,
}

/// Labels a file. Without a signed designation a label may only raise the class: lowering it
/// is the information officer's (情報責任者) decision, not the sender's.
pub fn set_label(
    input: &mut Input,
    home: &Home,
    policy: &Policy,
    class: Class,
    store: Store,
    who: &Identity,
    now: &Time,
) -> Result<Classification> {
    let before = classify(input, home, policy)?;
    if let Some(strictest) = before.labels.iter().map(|l| l.class).max()
        && class < strictest
    {
        return Err(Error::refused(Refusal::new(
            RefusalCode::LowerClass,
            strictest,
            Rule::Standard(StandardRule::Designation),
        )));
    }
    match store {
        Store::Xattr => {
            use xattr::FileExt;
            input
                .file
                .set_xattr(XATTR, class.as_str().as_bytes())
                .map_err(|e| {
                    Error::io(IoOp::WriteXattr, &input.path, e)
                        .with_hint(msg!("label-xattr-unsupported-hint"))
                })?;
        }
        Store::Sidecar => {
            let path = sidecar_path(&input.path);
            let text = format!(
                "# 重要性分類 (importance class) of {}, labelled by {} ({}) at {now}\n{class}\n",
                crate::base::fsname::shown(input.file_name()),
                who.name,
                who.department
            );
            fsutil::replace(&path, text.as_bytes())?;
        }
        Store::Register => {
            fsutil::create_dir(&home.labels_dir(), 0o700)?;
            let d = Designation {
                version: 1,
                blake3: before.blake3,
                size: before.size,
                class,
                file_name: input.file_name(),
                designated_at: now.clone(),
                designated_by: Designator {
                    name: who.name.clone(),
                    department: who.department.clone(),
                },
            };
            let mut bytes = serde_json::to_vec_pretty(&d).expect("designation serializes");
            bytes.push(b'\n');
            fsutil::replace(&register_path(home, &before.blake3), &bytes)?;
        }
    }
    classify(input, home, policy)
}

/// What a signed designation wrote.
pub struct Designated {
    pub classification: Classification,
    pub stored: PathBuf,
    pub record_seq: u64,
    /// The signed designation as stored, for registering it with the approval service.
    pub document: Vec<u8>,
    pub officer: crate::base::ids::StaffId,
}

/// The department a designation is for when `--department` is not given: the only one the
/// officer acts for, else their own if they act for it. An officer of 総務部 who designates
/// for 総務課 and 税務課 must say which; guessing their own department would make a
/// designation that counts for no one's files.
fn default_department(officer: &crate::policy::trust::Signer) -> Result<String> {
    match officer.departments.as_slice() {
        [only] if only != "*" => Ok(only.clone()),
        ds if ds.iter().any(|d| d == "*" || *d == officer.department) => {
            Ok(officer.department.clone())
        }
        ds => Err(Error::usage(msg!(
            "designation-department-needed",
            officer = officer.describe(),
            departments = ds.join(", ")
        ))
        .with_hint(msg!(
            "hint-designation-department-needed",
            example = ds.first().map_or("", String::as_str)
        ))),
    }
}

/// An information officer designates a file's class: signs a designation bound to the file's
/// BLAKE3 and size and stores it in the register (or beside the file), and records it.
pub fn designate(
    input: &mut Input,
    home: &Home,
    policy: &Policy,
    class: Class,
    key: &crate::secret::keys::SigningKey,
    department: Option<&str>,
    store: Store,
) -> Result<Designated> {
    use crate::policy::trust::SignerRole;
    let now = crate::sys::hooks::now();
    let refuse = || {
        Refusal::new(
            RefusalCode::DesignationNotAllowed,
            class,
            Rule::Standard(StandardRule::Designation),
        )
    };
    let officer = match policy
        .trust
        .check(SignerRole::Officer, &key.fingerprint, now.timestamp())
    {
        Ok((s, _)) => s.clone(),
        Err(d) => {
            let r = refuse()
                .with_message("refusal-designation-not-allowed-key")
                .arg("key", &key.fingerprint);
            return Err(Error::refused(distrust_args(r, &d)));
        }
    };
    let department = match department {
        Some(d) => d.to_owned(),
        None => default_department(&officer)?,
    };
    if !officer.covers(class, &department) {
        return Err(Error::refused(
            refuse()
                .arg("officer", officer.describe())
                .arg("department", &department),
        ));
    }
    if store == Store::Xattr {
        return Err(Error::usage(msg!("designation-xattr-store"))
            .with_hint(msg!("designation-xattr-store-hint")));
    }
    let before = classify(input, home, policy)?;
    let payload = DesignationPayload {
        okuri: DESIGNATION_KIND.into(),
        version: 1,
        designation_id: crate::base::ids::DesignationId::new()?,
        file: crate::signed::FileRef {
            name: input.file_name(),
            size: before.size,
            blake3: before.blake3,
        },
        class,
        department: department.clone(),
        designated_at: crate::base::time::Time::of(&now),
        officer: crate::signed::Issuer {
            id: officer.id.clone(),
            name: officer.name.clone(),
            department: officer.department.clone(),
            key: key.fingerprint.clone(),
        },
    };
    let bytes = crate::signed::payload_bytes(&payload);
    let sig = key.sign(crate::signed::NS_DESIGNATION, &bytes)?;
    let doc = crate::signed::Signed {
        payload: bytes,
        sig,
    }
    .render();
    let stored = match store {
        Store::Sidecar => designation_sidecar(&input.path),
        _ => {
            fsutil::create_dir(&home.designations_dir(), 0o700)?;
            by_digest(home)?;
            let dir = register_dir(home, &before.blake3);
            fsutil::create_dir(&dir, 0o700)?;
            dir.join(format!(
                "{}-{}{DESIGNATION_SUFFIX}",
                before.blake3,
                now.strftime("%Y%m%dT%H%M%S%.f")
            ))
        }
    };
    // The record must be able to take the entry before anything is written.
    let record = crate::record::Record::new(home);
    let mut w = record.writer()?;
    match store {
        Store::Sidecar => fsutil::replace_mode(&stored, &doc, 0o644)?,
        _ => fsutil::write_new_mode(&stored, &doc, 0o644)?,
    }
    let appended = w.append(crate::record::Event::Designation(
        crate::record::DesignationEntry {
            at: payload.designated_at.clone(),
            outcome: crate::record::Outcome::Designated,
            officer: crate::record::SignerRef {
                id: officer.id.clone(),
                name: officer.name.clone(),
                department: officer.department.clone(),
                key: key.fingerprint.clone(),
            },
            user: crate::sys::host::os_user(),
            host: crate::sys::host::host(),
            file: crate::record::FileInfo {
                name: input.file_name(),
                path: std::path::absolute(&input.path).unwrap_or_else(|_| input.path.clone()),
                size: before.size,
                blake3: before.blake3,
            },
            class,
            department,
            stored: std::path::absolute(&stored).unwrap_or_else(|_| stored.clone()),
        },
    ));
    let appended = match appended {
        Ok(a) => a,
        Err(e) => {
            let _ = std::fs::remove_file(&stored);
            return Err(e);
        }
    };
    drop(w);
    Ok(Designated {
        classification: classify(input, home, policy)?,
        document: doc,
        officer: officer.id.clone(),
        stored,
        record_seq: appended.seq,
    })
}

/// A key-trust refusal's arguments: `trust` (`unknown`, `revoked`, `not-yet-valid` or
/// `expired`, for the message to select on) and the facts of that case.
fn distrust_args(r: Refusal, d: &Distrust) -> Refusal {
    match d {
        Distrust::Unknown => r.arg("trust", "unknown"),
        Distrust::Revoked { signer, reason } => r
            .arg("trust", "revoked")
            .arg("signer", signer)
            .arg("reason", reason),
        Distrust::NotYetValid { signer, from } => r
            .arg("trust", "not-yet-valid")
            .arg("signer", signer)
            .arg("from", *from),
        Distrust::Expired { signer, until } => r
            .arg("trust", "expired")
            .arg("signer", signer)
            .arg("until", *until),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_parsing() {
        assert_eq!(parse_sidecar("# comment\nII\n"), Ok(Class::II));
        assert_eq!(parse_sidecar("III # public\n"), Ok(Class::III));
        assert!(parse_sidecar("").is_err());
        assert!(parse_sidecar("I\nII\n").is_err());
        assert!(parse_sidecar("secret").is_err());
    }
}
