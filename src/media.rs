//! Registered removable media (記録媒体, Ch.4 §3): a custodian registers a medium by writing a
//! signed marker onto it and into the media register; okuri writes only to a registered,
//! unretired medium whose device still matches its marker.
//!
//! The marker (`.okuri-medium` at the medium's root) is a [`crate::signed`] document in the
//! namespace [`NS_MEDIUM`] naming the medium's id, label, device (bus, vendor, product,
//! serial) and filesystem UUID. Sticks of one batch can share a serial, or have none: the
//! filesystem UUID and the marker's random id still tell them apart, and a marker copied to
//! another medium fails on its UUID. The register is a directory — `media/` in the home, or a
//! directory the custodians share, named with `--media` / `OKURI_MEDIA` — holding a copy of
//! each marker and a `<id>.retired` note for retired media.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::approval::Issuer;
use crate::device::{self, Bus, Device, Probe};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::home::Home;
use crate::keys::SigningKey;
use crate::policy::{Policy, Refusal, RefusalCode};
use crate::signed::Signed;
use crate::trust::SignerRole;

/// The namespace of a medium's registration marker.
pub const NS_MEDIUM: &str = "okuri-medium@city.kameoka.kyoto.jp";
/// The marker's file name at the medium's root.
pub const MARKER: &str = ".okuri-medium";
pub const MARKER_KIND: &str = "medium";

/// The device facts a marker binds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceId {
    pub bus: Bus,
    pub removable: bool,
    pub vendor_id: Option<String>,
    pub product_id: Option<String>,
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub serial: Option<String>,
    pub fs_uuid: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerPayload {
    pub okuri: String,
    pub version: u32,
    pub medium_id: String,
    pub label: String,
    pub registered_at: String,
    pub custodian: Issuer,
    pub device: DeviceId,
}

/// A retirement note in the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retired {
    pub medium_id: String,
    pub retired_at: String,
    pub by: String,
    pub reason: String,
}

/// One medium of the register.
#[derive(Clone, Debug, Serialize)]
pub struct Medium {
    pub marker: MarkerPayload,
    pub retired: Option<Retired>,
}

fn dir(home: &Home) -> PathBuf {
    home.media_dir()
}

fn check_id(id: &str) -> Result<()> {
    let ok =
        id.starts_with("med-") && id.len() == 36 && id[4..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "{id:?} is not a medium id (med- and 32 hex digits)"
        ))
        .with_hint("see `okuri media list`"))
    }
}

/// Reads and verifies a marker: signed by a custodian trusted when it was made.
pub fn read_marker(bytes: &[u8], policy: &Policy) -> std::result::Result<MarkerPayload, String> {
    let s = Signed::parse(bytes).map_err(|e| format!("not a signed marker: {e}"))?;
    let p: MarkerPayload =
        serde_json::from_slice(&s.payload).map_err(|e| format!("not a marker: {e}"))?;
    if p.okuri != MARKER_KIND || p.version != 1 {
        return Err("not a version 1 okuri medium marker".into());
    }
    let fp = s.signer_fingerprint();
    if !s.verify(NS_MEDIUM) || fp != p.custodian.key {
        return Err("its signature does not hold: the marker was altered or forged".into());
    }
    let at = crate::approval::parse_time(&p.registered_at).ok_or("its time cannot be read")?;
    match policy.trust.check(SignerRole::Custodian, &fp, at) {
        Ok((s, _)) if s.id == p.custodian.id => Ok(p),
        _ => Err(format!(
            "{fp} was not a trusted custodian's key when it was signed"
        )),
    }
}

/// The register: every registered medium, retired or not.
pub fn list(home: &Home, policy: &Policy) -> Result<Vec<Medium>> {
    let d = dir(home);
    let rd = match std::fs::read_dir(&d) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("read the media register", &d, e)),
    };
    let mut out = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_suffix(MARKER) else {
            continue;
        };
        let bytes = std::fs::read(e.path()).map_err(|x| Error::io("read", &e.path(), x))?;
        let marker = read_marker(&bytes, policy).map_err(|why| {
            Error::integrity(format!(
                "the media register entry {} is not valid: {why}",
                e.path().display()
            ))
            .with_hint("do not edit the register; report this to your auditor (監査)")
        })?;
        if marker.medium_id != id {
            return Err(Error::integrity(format!(
                "{} names another medium",
                e.path().display()
            )));
        }
        let retired_path = d.join(format!("{id}.retired"));
        let retired = match std::fs::read(&retired_path) {
            Ok(b) => Some(serde_json::from_slice(&b).map_err(|x| {
                Error::integrity(format!("{} is not valid", retired_path.display())).with_source(x)
            })?),
            Err(_) => None,
        };
        out.push(Medium { marker, retired });
    }
    out.sort_by(|a, b| a.marker.label.cmp(&b.marker.label));
    Ok(out)
}

/// What `register` did.
pub struct Registered {
    pub marker: MarkerPayload,
    pub device: Device,
}

fn refusal(code: RefusalCode, ja: String, en: String, hint_ja: &str, hint_en: &str) -> Refusal {
    Refusal {
        code,
        class: crate::class::Class::I,
        channel: Some(crate::channel::Channel::Media),
        rule: "記録媒体の取扱い及び管理: 記録媒体のセキュリティに関する事故及び事件を未然に防止するため、記録媒体の取扱等について、必要な事項を定める(第4章3)".into(),
        rule_en: "Recording media: only registered media are used, their use is recorded, and they can be checked and retired (Ch.4 §3)".into(),
        ja,
        en,
        hint_ja: hint_ja.into(),
        hint_en: hint_en.into(),
    }
}

/// A custodian registers the medium mounted at `mountpoint` under `label`.
pub fn register(
    home: &Home,
    policy: &Policy,
    probe: &Probe,
    mountpoint: &Path,
    label: &str,
    key: &SigningKey,
) -> Result<Registered> {
    if label.trim().is_empty() || label.chars().count() > 64 || label.chars().any(char::is_control)
    {
        return Err(Error::usage(
            "--label must be one line of at most 64 characters, e.g. USB-01",
        ));
    }
    let now = crate::hooks::now();
    let (custodian, _) = policy
        .trust
        .check(SignerRole::Custodian, &key.fingerprint, now.timestamp())
        .map_err(|d| {
            Error::refused(refusal(
                RefusalCode::MediumNotAllowed,
                format!(
                    "鍵 {} は情報資産管理責任者の鍵として有効ではありません({d})。",
                    key.fingerprint
                ),
                format!(
                    "The key {} is not a valid custodian's (情報資産管理責任者) key: {d}.",
                    key.fingerprint
                ),
                "記録媒体の登録は情報資産管理責任者が自分の鍵で行います。",
                "A custodian registers media, with their own key.",
            ))
        })?;
    let d = device::identify(probe, mountpoint)?;
    if !d.is_removable_medium() {
        return Err(Error::refused(refusal(
            RefusalCode::MediumNotAllowed,
            format!(
                "{} は取り外し可能な記録媒体ではありません({})。",
                mountpoint.display(),
                d.describe()
            ),
            format!(
                "{} is not a removable medium ({}): okuri registers USB and SD media only.",
                mountpoint.display(),
                d.describe()
            ),
            "USBメモリ又はSDカードを指定してください。",
            "Give the mount point of a USB stick or SD card.",
        )));
    }
    let Some(fs_uuid) = d.fs_uuid.clone() else {
        return Err(Error::invalid(format!(
            "the filesystem on {} has no UUID okuri can read",
            mountpoint.display()
        ))
        .with_hint("format the medium (e.g. mkfs.vfat or mkfs.ext4), then register it"));
    };
    let marker_path = d.mountpoint.join(MARKER);
    if marker_path.exists() {
        return Err(Error::invalid(format!("{} already carries a marker", mountpoint.display()))
            .with_hint("see `okuri media list`; a medium is registered once (wipe and reformat a retired one first)"));
    }
    let registered = list(home, policy)?;
    if registered
        .iter()
        .any(|m| m.retired.is_none() && m.marker.label == label)
    {
        return Err(Error::usage(format!("the label {label} is already in use"))
            .with_hint("choose another label"));
    }
    let payload = MarkerPayload {
        okuri: MARKER_KIND.into(),
        version: 1,
        medium_id: crate::approval::new_id("med")?,
        label: label.to_owned(),
        registered_at: crate::hooks::rfc3339(&now),
        custodian: Issuer {
            id: custodian.id.clone(),
            name: custodian.name.clone(),
            department: custodian.department.clone(),
            key: key.fingerprint.clone(),
        },
        device: DeviceId {
            bus: d.bus,
            removable: d.removable,
            vendor_id: d.vendor_id.clone(),
            product_id: d.product_id.clone(),
            vendor: d.vendor.clone(),
            product: d.product.clone(),
            serial: d.serial.clone(),
            fs_uuid,
        },
    };
    let bytes = crate::approval::payload_bytes(&payload);
    let sig = key.sign(NS_MEDIUM, &bytes)?;
    let doc = Signed {
        payload: bytes,
        sig,
    }
    .render();
    fsutil::create_dir(&dir(home), 0o700)?;
    let entry = dir(home).join(format!("{}{MARKER}", payload.medium_id));
    let record = crate::record::Record::new(home);
    let mut w = record.writer()?;
    fsutil::write_new_mode(&marker_path, &doc, 0o644)?;
    if let Err(e) = fsutil::write_new_mode(&entry, &doc, 0o644) {
        let _ = std::fs::remove_file(&marker_path);
        return Err(e);
    }
    let appended = w.append(crate::record::Event::Medium(crate::record::MediumEntry {
        at: payload.registered_at.clone(),
        outcome: crate::record::Outcome::Registered,
        medium_id: payload.medium_id.clone(),
        label: label.to_owned(),
        user: crate::pack::os_user(),
        host: crate::pack::host(),
        by: custodian.id.clone(),
        device: Some(payload.device.clone()),
        files: Vec::new(),
        reason: None,
    }));
    if let Err(e) = appended {
        let _ = std::fs::remove_file(&marker_path);
        let _ = std::fs::remove_file(&entry);
        return Err(e);
    }
    Ok(Registered {
        marker: payload,
        device: d,
    })
}

/// Retires a medium: writes to it are refused from now on.
pub fn retire(home: &Home, policy: &Policy, id: &str, by: &str, reason: &str) -> Result<Medium> {
    check_id(id)?;
    let m = list(home, policy)?
        .into_iter()
        .find(|m| m.marker.medium_id == id)
        .ok_or_else(|| {
            Error::invalid(format!("no medium {id} in the register"))
                .with_hint("see `okuri media list`")
        })?;
    if m.retired.is_some() {
        return Err(Error::invalid(format!("medium {id} is already retired")));
    }
    let r = Retired {
        medium_id: id.to_owned(),
        retired_at: crate::hooks::rfc3339(&crate::hooks::now()),
        by: by.to_owned(),
        reason: reason.to_owned(),
    };
    let record = crate::record::Record::new(home);
    let mut w = record.writer()?;
    let path = dir(home).join(format!("{id}.retired"));
    let mut bytes = serde_json::to_vec_pretty(&r).expect("serializes");
    bytes.push(b'\n');
    fsutil::write_new_mode(&path, &bytes, 0o644)?;
    if let Err(e) = w.append(crate::record::Event::Medium(crate::record::MediumEntry {
        at: r.retired_at.clone(),
        outcome: crate::record::Outcome::Retired,
        medium_id: id.to_owned(),
        label: m.marker.label.clone(),
        user: crate::pack::os_user(),
        host: crate::pack::host(),
        by: by.to_owned(),
        device: None,
        files: Vec::new(),
        reason: Some(reason.to_owned()),
    })) {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(Medium {
        marker: m.marker,
        retired: Some(r),
    })
}

/// May okuri write to the medium at `mountpoint`? Registered, not retired, and the device is
/// the one its marker names. Returns the medium, or the refusal.
pub fn writable(
    home: &Home,
    policy: &Policy,
    probe: &Probe,
    mountpoint: &Path,
) -> Result<std::result::Result<(Medium, Device), Refusal>> {
    let d = device::identify(probe, mountpoint)?;
    let no = |code, ja: String, en: String| {
        Ok(Err(refusal(
            code,
            ja,
            en,
            "情報資産管理責任者が登録した記録媒体を使ってください(okuri media list)。",
            "Use a medium your custodian registered (see `okuri media list`).",
        )))
    };
    let bytes = match std::fs::read(d.mountpoint.join(MARKER)) {
        Ok(b) => b,
        Err(_) => {
            return no(
                RefusalCode::MediumUnregistered,
                format!(
                    "{} は登録された記録媒体ではありません。",
                    mountpoint.display()
                ),
                format!(
                    "{} is not a registered medium: it carries no okuri marker.",
                    mountpoint.display()
                ),
            );
        }
    };
    let marker = match read_marker(&bytes, policy) {
        Ok(m) => m,
        Err(why) => {
            return no(
                RefusalCode::MediumUnregistered,
                format!("{} の登録マーカーが無効です({why})。", mountpoint.display()),
                format!(
                    "The marker on {} is not valid: {why}.",
                    mountpoint.display()
                ),
            );
        }
    };
    let Some(m) = list(home, policy)?
        .into_iter()
        .find(|m| m.marker.medium_id == marker.medium_id)
    else {
        return no(
            RefusalCode::MediumUnregistered,
            format!(
                "記録媒体 {} ({}) は媒体台帳にありません。",
                marker.label, marker.medium_id
            ),
            format!(
                "The medium {} ({}) is not in this media register.",
                marker.label, marker.medium_id
            ),
        );
    };
    if let Some(r) = &m.retired {
        return no(
            RefusalCode::MediumRetired,
            format!(
                "記録媒体 {} は {} に廃止されています(理由: {})。",
                marker.label, r.retired_at, r.reason
            ),
            format!(
                "The medium {} was retired at {} ({}).",
                marker.label, r.retired_at, r.reason
            ),
        );
    }
    let id = &m.marker.device;
    let same = d.fs_uuid.as_deref() == Some(id.fs_uuid.as_str())
        && (id.serial.is_none() || d.serial == id.serial)
        && (id.vendor_id.is_none() || d.vendor_id == id.vendor_id)
        && (id.product_id.is_none() || d.product_id == id.product_id)
        && m.marker == marker;
    if !same {
        return no(
            RefusalCode::MediumMismatch,
            format!(
                "{} の装置は登録マーカー {} ({}) と一致しません。マーカーが別の媒体から複製された可能性があります。",
                mountpoint.display(),
                marker.label,
                marker.medium_id
            ),
            format!(
                "The device at {} ({}) does not match the marker of {} ({}): the marker was copied from another medium, or the medium was reformatted.",
                mountpoint.display(),
                d.describe(),
                marker.label,
                marker.medium_id
            ),
        );
    }
    Ok(Ok((m, d)))
}

/// An OpenSSH-free USBGuard rules drop-in: allow the registered media, reject other mass
/// storage. Checked by `usbguard-rule-parser` in the test suite.
pub fn usbguard_rules(media: &[Medium]) -> String {
    let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = String::from(
        "# USBGuard rules from okuri's media register (okuri media usbguard-rules).\n# Registered media are allowed; every other mass-storage interface is rejected.\n",
    );
    for m in media.iter().filter(|m| m.retired.is_none()) {
        let d = &m.marker.device;
        let (Some(v), Some(p)) = (&d.vendor_id, &d.product_id) else {
            out.push_str(&format!(
                "# {} ({}): {:?}, no USB id — not a USB device, nothing to allow\n",
                m.marker.label, m.marker.medium_id, d.bus
            ));
            continue;
        };
        if d.bus != Bus::Usb {
            out.push_str(&format!(
                "# {} ({}): {:?} reader, not a USB device\n",
                m.marker.label, m.marker.medium_id, d.bus
            ));
            continue;
        }
        let mut rule = format!("allow id {v}:{p}");
        if let Some(s) = &d.serial {
            rule.push_str(&format!(" serial \"{}\"", q(s)));
        }
        if let Some(n) = &d.product {
            rule.push_str(&format!(" name \"{}\"", q(n)));
        }
        rule.push_str(&format!(
            " label \"okuri:{} {}\"",
            m.marker.medium_id,
            q(&m.marker.label)
        ));
        out.push_str(&rule);
        out.push('\n');
    }
    out.push_str("reject with-interface one-of { 08:*:* }\n");
    out
}

/// What `media scan` found for one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Found {
    /// The registration marker.
    Marker,
    /// A package the record knows, within the retention period.
    Recorded {
        transfer_id: String,
        packed_at: String,
    },
    /// A recorded package past the policy's retention period: a violation.
    Expired {
        transfer_id: String,
        packed_at: String,
    },
    /// An age file this record does not know (perhaps another machine's).
    UnknownAge,
    /// Anything that is not an age package: a violation.
    Plain,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScanItem {
    pub path: PathBuf,
    pub size: u64,
    pub blake3: crate::digest::Blake3,
    #[serde(flatten)]
    pub found: Found,
}

#[derive(Clone, Debug, Serialize)]
pub struct Scan {
    pub mountpoint: PathBuf,
    pub medium: Option<String>,
    pub label: Option<String>,
    pub items: Vec<ScanItem>,
    pub violations: usize,
}

fn file_blake3(path: &Path) -> Result<crate::digest::Blake3> {
    let mut h = blake3::Hasher::new();
    let f = std::fs::File::open(path).map_err(|e| Error::io("read", path, e))?;
    h.update_reader(f).map_err(|e| Error::io("read", path, e))?;
    Ok(h.finalize().into())
}

fn is_age(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 36];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head[..n].starts_with(b"age-encryption.org/v1\n")
        || head[..n].starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
    for e in rd.flatten() {
        let p = e.path();
        let ft = e.file_type().map_err(|x| Error::io("read", &p, x))?;
        if ft.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// Lists every file on the medium as a recorded package, an expired one, an unknown age file,
/// or a plain file (a violation).
pub fn scan(home: &Home, policy: &Policy, probe: &Probe, mountpoint: &Path) -> Result<Scan> {
    let d = device::identify(probe, mountpoint)?;
    let marker = std::fs::read(d.mountpoint.join(MARKER))
        .ok()
        .and_then(|b| read_marker(&b, policy).ok());
    let packed = crate::record::Record::new(home).packed()?;
    let limit = crate::hooks::now().timestamp()
        - jiff::SignedDuration::from_hours(24 * i64::from(policy.media_retention_days));
    let mut files = Vec::new();
    walk(&d.mountpoint, &mut files)?;
    files.sort();
    let mut items = Vec::new();
    for p in files {
        let rel = p.strip_prefix(&d.mountpoint).unwrap_or(&p).to_path_buf();
        let meta = std::fs::symlink_metadata(&p).map_err(|e| Error::io("read", &p, e))?;
        let blake3 = if meta.is_file() {
            file_blake3(&p)?
        } else {
            crate::digest::Blake3::ZERO
        };
        let found = if rel == Path::new(MARKER) && marker.is_some() {
            Found::Marker
        } else if rel.starts_with("lost+found") && meta.is_dir() {
            continue;
        } else if let Some(b) = packed
            .iter()
            .rev()
            .find(|b| b.package.as_ref().is_some_and(|pk| pk.blake3 == blake3))
        {
            let old = crate::approval::parse_time(&b.at).is_some_and(|t| t < limit);
            if old {
                Found::Expired {
                    transfer_id: b.transfer_id.clone(),
                    packed_at: b.at.clone(),
                }
            } else {
                Found::Recorded {
                    transfer_id: b.transfer_id.clone(),
                    packed_at: b.at.clone(),
                }
            }
        } else if meta.is_file() && is_age(&p) {
            Found::UnknownAge
        } else {
            Found::Plain
        };
        items.push(ScanItem {
            path: rel,
            size: meta.len(),
            blake3,
            found,
        });
    }
    let violations = items
        .iter()
        .filter(|i| matches!(i.found, Found::Plain | Found::Expired { .. }))
        .count();
    Ok(Scan {
        mountpoint: d.mountpoint,
        medium: marker.as_ref().map(|m| m.medium_id.clone()),
        label: marker.map(|m| m.label),
        items,
        violations,
    })
}

/// Removes the delivered (recorded) packages from a registered medium and records which.
/// Plain files and unknown age files stay, for whoever investigates.
pub fn wipe(
    home: &Home,
    policy: &Policy,
    probe: &Probe,
    mountpoint: &Path,
) -> Result<(Scan, Vec<PathBuf>)> {
    let s = scan(home, policy, probe, mountpoint)?;
    let Some(id) = s.medium.clone() else {
        return Err(Error::invalid(format!(
            "{} is not a registered medium",
            mountpoint.display()
        ))
        .with_hint("okuri wipes only registered media; see `okuri media list`"));
    };
    let gone: Vec<PathBuf> = s
        .items
        .iter()
        .filter(|i| matches!(i.found, Found::Recorded { .. } | Found::Expired { .. }))
        .map(|i| i.path.clone())
        .collect();
    let record = crate::record::Record::new(home);
    let mut w = record.writer()?;
    for p in &gone {
        let full = s.mountpoint.join(p);
        std::fs::remove_file(&full).map_err(|e| Error::io("remove", &full, e))?;
    }
    fsutil::fsync_dir(&s.mountpoint)?;
    w.append(crate::record::Event::Medium(crate::record::MediumEntry {
        at: crate::hooks::rfc3339(&crate::hooks::now()),
        outcome: crate::record::Outcome::Wiped,
        medium_id: id,
        label: s.label.clone().unwrap_or_default(),
        user: crate::pack::os_user(),
        host: crate::pack::host(),
        by: home
            .identity()
            .map(|i| i.id)
            .unwrap_or_else(|_| crate::pack::os_user()),
        device: None,
        files: gone.iter().map(|p| p.display().to_string()).collect(),
        reason: None,
    }))?;
    Ok((s, gone))
}

/// Copies a recorded age package onto a registered medium, if its class may go by medium.
pub fn export(
    home: &Home,
    policy: &Policy,
    probe: &Probe,
    package: &Path,
    mountpoint: &Path,
) -> Result<(String, PathBuf)> {
    let bytes_digest = file_blake3(package)?;
    if !is_age(package) {
        return Err(
            Error::invalid(format!("{} is not an age package", package.display()))
                .with_hint("only packages made by `okuri pack` go onto a medium"),
        );
    }
    let record = crate::record::Record::new(home);
    let entry = record
        .packed()?
        .into_iter()
        .find(|b| b.package.as_ref().is_some_and(|p| p.blake3 == bytes_digest))
        .ok_or_else(|| {
            Error::invalid(format!(
                "{} is not a package in this record",
                package.display()
            ))
            .with_hint("pack the file with `okuri pack … --channel media --out MOUNTPOINT`")
        })?;
    let needs = policy.requirements(entry.class, crate::channel::Channel::Media);
    if needs.forbidden || (needs.approval && entry.channel != crate::channel::Channel::Media) {
        return Err(Error::refused(refusal(
            RefusalCode::MediumNotAllowed,
            format!(
                "{}の情報資産を記録媒体で渡すには、記録媒体(media)での承認が必要です。",
                entry.class.ja()
            ),
            format!(
                "Class {} ({}) goes by medium only with an approval for the medium channel; this package was packed for {}.",
                entry.class,
                entry.class.ja(),
                entry.channel
            ),
            "--channel media で承認を受けて pack し直してください。",
            "Request approval for --channel media and pack it again.",
        )));
    }
    let (m, d) = match writable(home, policy, probe, mountpoint)? {
        Ok(x) => x,
        Err(r) => return Err(Error::refused(r)),
    };
    let name = package.file_name().unwrap_or_default();
    let target = d.mountpoint.join(name);
    let mut tmp = fsutil::temp_beside(&target)?;
    let mut src = std::fs::File::open(package).map_err(|e| Error::io("read", package, e))?;
    std::io::copy(&mut src, tmp.as_file_mut()).map_err(|e| Error::io("write", &target, e))?;
    let mut w = record.writer()?;
    fsutil::persist_new(tmp, &target)?;
    if let Err(e) = w.append(crate::record::Event::Medium(crate::record::MediumEntry {
        at: crate::hooks::rfc3339(&crate::hooks::now()),
        outcome: crate::record::Outcome::Exported,
        medium_id: m.marker.medium_id.clone(),
        label: m.marker.label.clone(),
        user: crate::pack::os_user(),
        host: crate::pack::host(),
        by: home
            .identity()
            .map(|i| i.id)
            .unwrap_or_else(|_| crate::pack::os_user()),
        device: None,
        files: vec![format!(
            "{} ({})",
            name.to_string_lossy(),
            entry.transfer_id
        )],
        reason: None,
    })) {
        let _ = std::fs::remove_file(&target);
        return Err(e);
    }
    Ok((m.marker.medium_id, target))
}
