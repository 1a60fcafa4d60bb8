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

use crate::base::channel::Channel;
use crate::base::class::Class;
use crate::base::error::{Error, IoOp, Result};
use crate::base::ids::MediumId;
use crate::base::message::Msg;
use crate::base::refusal::{Refusal, RefusalCode, Rule, StandardRule};
use crate::base::time::Time;
use crate::msg;
use crate::policy::Policy;
use crate::policy::trust::{Distrust, SignerRole};
use crate::secret::keys::{Fingerprint, SigningKey};
use crate::signed::Issuer;
use crate::signed::Signed;
use crate::sys::device::{self, Device, Probe};
use crate::sys::fsutil;
use crate::sys::home::Home;

pub use crate::base::namespace::NS_MEDIUM;
/// The marker's file name at the medium's root.
pub const MARKER: &str = ".okuri-medium";
pub use crate::signed::marker::{MARKER_KIND, MarkerPayload};

pub use crate::sys::device::DeviceId;

mod scan;
mod usbguard;

pub use scan::{Found, Scan, ScanItem, export, is_age_reader, scan, wipe};
pub use usbguard::usbguard_rules;

/// The city's media register (`media.toml` in the system directory, signed by a custodian):
/// which media are registered and which retired, as one snapshot with a serial, like a
/// revocation list. Where a trust anchor is installed it alone decides; the register
/// directory (`--media`) and its `.retired` notes, which a staff member could choose or copy,
/// count for nothing there.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityMedia {
    pub version: u32,
    #[serde(default)]
    pub serial: Option<u64>,
    #[serde(default, serialize_with = "datetime_text")]
    pub valid_until: Option<toml::value::Datetime>,
    #[serde(default)]
    pub medium: Vec<CityMedium>,
}

/// One medium of the city's register.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityMedium {
    pub id: MediumId,
    pub label: String,
    /// Set once the medium is retired (a date in Japan, or a time); writes are refused.
    #[serde(default, serialize_with = "datetime_text")]
    pub retired_at: Option<toml::value::Datetime>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A TOML date or time as its text: outside TOML, serde would write TOML's private marker
/// (`{"$__toml_private_datetime": …}`) into `media list --json`.
fn datetime_text<S: serde::Serializer>(
    d: &Option<toml::value::Datetime>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    d.as_ref().map(ToString::to_string).serialize(s)
}

impl CityMedia {
    /// Checks a media register's text; `path` is for messages.
    pub fn parse(text: &str, path: &Path) -> Result<CityMedia> {
        let m: CityMedia = toml::from_str(text).map_err(|e| {
            Error::invalid_at(
                msg!("media-city-register-invalid", file = path),
                path,
                text,
                e.span().map_or(0, |s| s.start),
                msg!("media-city-register-toml", detail = e.message().trim()),
            )
        })?;
        if m.version != 1 {
            return Err(Error::invalid(msg!(
                "media-city-register-invalid",
                file = path
            )));
        }
        for (i, a) in m.medium.iter().enumerate() {
            if m.medium[..i].iter().any(|b| b.id == a.id) {
                return Err(Error::invalid(msg!(
                    "media-city-register-twice",
                    id = &a.id
                )));
            }
        }
        Ok(m)
    }

    /// The city's media register, where a trust anchor is installed (checked against, and
    /// remembered in, `home`); `None` in development mode. A city without `media.toml` has
    /// registered no medium.
    pub fn in_force(home: &Home, policy: &Policy) -> Result<Option<CityMedia>> {
        use crate::policy::city;
        let Some(c) = city::City::open(&city::system_dir()?)? else {
            return Ok(None);
        };
        if !c.has(city::Kind::Media)? {
            return Ok(Some(CityMedia {
                version: 1,
                ..CityMedia::default()
            }));
        }
        let now = crate::sys::hooks::now().timestamp();
        let doc = c.document(
            city::Kind::Media,
            &|fp| city::signed_by_role(&policy.trust, city::Kind::Media, fp, now),
            now,
        )?;
        city::Seen::check(home.root(), city::Kind::Media, doc.serial)?;
        Self::parse(&doc.text, &doc.path).map(Some)
    }

    pub fn get(&self, id: &MediumId) -> Option<&CityMedium> {
        self.medium.iter().find(|m| &m.id == id)
    }
}

/// A retirement note in the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retired {
    pub medium_id: MediumId,
    pub retired_at: Time,
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

/// Reads and verifies a marker (read from `path`): signed by a custodian trusted when it was
/// made. The error says why the marker at `path` is not valid.
pub fn read_marker(
    bytes: &[u8],
    policy: &Policy,
    path: &Path,
) -> std::result::Result<MarkerPayload, MarkerFault> {
    let m = crate::signed::Parsed::<MarkerPayload>::read(bytes).map_err(|e| MarkerFault {
        why: "unreadable",
        msg: e.msg(MARKER_KIND, &crate::base::fsname::shown(path)),
    })?;
    // A marker outlives its key's window, never its revocation (checked at its signing time).
    m.verify(&policy.trust, crate::sys::hooks::now().timestamp())
        .map_err(|r| MarkerFault {
            why: r.kind(),
            msg: r.msg(),
        })?;
    Ok(m.payload)
}

/// Why a marker is not valid: which way it failed (`unreadable`, or a
/// [`crate::signed::Rejected::kind`]) and the verification's own message.
#[derive(Clone, Debug)]
pub struct MarkerFault {
    pub why: &'static str,
    pub msg: Msg,
}

/// The register: every registered medium, retired or not.
pub fn list(home: &Home, policy: &Policy) -> Result<Vec<Medium>> {
    let d = dir(home);
    let rd = match std::fs::read_dir(&d) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(IoOp::Read, &d, e)),
    };
    let mut out = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_suffix(MARKER) else {
            continue;
        };
        let path = e.path();
        let bytes = std::fs::read(&path).map_err(|x| Error::io(IoOp::Read, &path, x))?;
        let marker = read_marker(&bytes, policy, &path).map_err(|f| {
            Error::integrity(msg!("media-register-entry-invalid", path = &path))
                .with_hint(f.msg)
                .with_hint(msg!("media-register-entry-invalid-hint"))
        })?;
        if marker.medium_id != id {
            return Err(Error::integrity(msg!(
                "media-register-entry-other",
                path = &path,
                medium = &marker.medium_id
            ))
            .with_hint(msg!("media-register-entry-invalid-hint")));
        }
        let retired_path = d.join(format!("{id}.retired"));
        let retired = match std::fs::read(&retired_path) {
            Ok(b) => Some(serde_json::from_slice(&b).map_err(|x| {
                Error::integrity(msg!("media-retired-invalid", path = &retired_path))
                    .with_source(x)
                    .with_hint(msg!("media-register-entry-invalid-hint"))
            })?),
            Err(_) => None,
        };
        out.push(Medium { marker, retired });
    }
    out.sort_by(|a, b| a.marker.label.cmp(&b.marker.label));
    Ok(out)
}

/// The media in use: the register's markers, and in a signed city only those the city's media
/// register lists and has not retired (for the USBGuard rules).
pub fn in_use(home: &Home, policy: &Policy) -> Result<Vec<Medium>> {
    let all = list(home, policy)?;
    Ok(match CityMedia::in_force(home, policy)? {
        None => all.into_iter().filter(|m| m.retired.is_none()).collect(),
        Some(city) => all
            .into_iter()
            .filter(|m| {
                city.get(&m.marker.medium_id)
                    .is_some_and(|e| e.retired_at.is_none())
            })
            .collect(),
    })
}

/// What `register` did.
pub struct Registered {
    pub marker: MarkerPayload,
    pub device: Device,
}

/// A refusal under the media rule (第4章3), about `class` (class I where no file is at stake,
/// as in registration) and the channel `media`.
fn refusal(code: RefusalCode, class: Class) -> Refusal {
    Refusal::new(code, class, Rule::Standard(StandardRule::Media)).channel(Channel::Media)
}

/// A key that is not a custodian's, refused for media registration: one wording for each way
/// a key can fail the trust list.
fn key_refusal(key: &Fingerprint, distrust: &Distrust) -> Refusal {
    let r = refusal(RefusalCode::MediumNotAllowed, Class::I)
        .with_hint("refusal-medium-not-allowed-key-hint")
        .arg("key", key);
    match distrust {
        Distrust::Unknown => r.with_message("refusal-medium-not-allowed-key-unknown"),
        Distrust::Revoked { signer, reason } => r
            .with_message("refusal-medium-not-allowed-key-revoked")
            .arg("signer", signer)
            .arg("reason", reason),
        Distrust::NotYetValid { signer, from } => r
            .with_message("refusal-medium-not-allowed-key-not-yet-valid")
            .arg("signer", signer)
            .arg("from", *from),
        Distrust::Expired { signer, until } => r
            .with_message("refusal-medium-not-allowed-key-expired")
            .arg("signer", signer)
            .arg("until", *until),
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
        return Err(Error::usage(msg!("media-label-invalid", max = 64u32)));
    }
    let now = crate::sys::hooks::now();
    let (custodian, _) = policy
        .trust
        .check(SignerRole::Custodian, &key.fingerprint, now.timestamp())
        .map_err(|d| Error::refused(key_refusal(&key.fingerprint, &d)))?;
    let d = device::identify(probe, mountpoint)?;
    if !d.is_removable_medium() {
        return Err(Error::refused(
            refusal(RefusalCode::MediumNotAllowed, Class::I)
                .arg("path", mountpoint)
                .arg("device", d.describe()),
        ));
    }
    let Some(fs_uuid) = d.fs_uuid.clone() else {
        return Err(Error::invalid(msg!("media-no-uuid", path = mountpoint))
            .with_hint(msg!("media-no-uuid-hint")));
    };
    let marker_path = d.mountpoint.join(MARKER);
    if marker_path.exists() {
        return Err(
            Error::invalid(msg!("media-already-marked", path = mountpoint))
                .with_hint(msg!("media-already-marked-hint")),
        );
    }
    let registered = list(home, policy)?;
    if registered
        .iter()
        .any(|m| m.retired.is_none() && m.marker.label == label)
    {
        return Err(Error::usage(msg!("media-label-in-use", label = label))
            .with_hint(msg!("media-label-in-use-hint")));
    }
    let payload = MarkerPayload {
        okuri: MARKER_KIND.into(),
        version: 1,
        medium_id: crate::base::ids::MediumId::new()?,
        label: label.to_owned(),
        registered_at: crate::base::time::Time::of(&now),
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
    let bytes = crate::signed::payload_bytes(&payload);
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
        device: Some(payload.device.clone()),
        ..crate::record::MediumEntry::here(
            payload.registered_at.clone(),
            crate::record::Outcome::Registered,
            payload.medium_id.clone(),
            label.to_owned(),
            custodian.id.to_string(),
        )
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
pub fn retire(
    home: &Home,
    policy: &Policy,
    id: &MediumId,
    by: &str,
    reason: &str,
) -> Result<Medium> {
    if crate::policy::city::anchored() {
        return Err(Error::usage(msg!("media-retire-signed-city", id = id))
            .with_hint(msg!("hint-media-retire-signed-city", id = id)));
    }
    let m = list(home, policy)?
        .into_iter()
        .find(|m| m.marker.medium_id == *id)
        .ok_or_else(|| {
            Error::invalid(msg!("media-unknown", id = id)).with_hint(msg!("media-see-list"))
        })?;
    if m.retired.is_some() {
        return Err(Error::invalid(msg!("media-already-retired", id = id)));
    }
    let r = Retired {
        medium_id: id.clone(),
        retired_at: crate::base::time::Time::of(&crate::sys::hooks::now()),
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
        reason: Some(reason.to_owned()),
        ..crate::record::MediumEntry::here(
            r.retired_at.clone(),
            crate::record::Outcome::Retired,
            id.clone(),
            m.marker.label.clone(),
            by.to_owned(),
        )
    })) {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(Medium {
        marker: m.marker,
        retired: Some(r),
    })
}

/// May okuri write files of `class` to the medium at `mountpoint`? Registered, not retired,
/// and the device is the one its marker names. Returns the medium, or the refusal. `city` is
/// the city's signed media register ([`CityMedia::in_force`]), which alone decides where a
/// trust anchor is installed.
pub fn writable(
    home: &Home,
    policy: &Policy,
    city: Option<&CityMedia>,
    probe: &Probe,
    mountpoint: &Path,
    class: Class,
) -> Result<std::result::Result<(Medium, Device), Refusal>> {
    let d = device::identify(probe, mountpoint)?;
    let no = |r: Refusal| Ok(Err(r));
    let marker_path = d.mountpoint.join(MARKER);
    let bytes = match std::fs::read(&marker_path) {
        Ok(b) => b,
        Err(_) => {
            return no(refusal(RefusalCode::MediumUnregistered, class).arg("path", mountpoint));
        }
    };
    let marker = match read_marker(&bytes, policy, &marker_path) {
        Ok(m) => m,
        Err(f) => {
            return no(refusal(RefusalCode::MediumUnregistered, class)
                .with_message("refusal-medium-unregistered-invalid-marker")
                .arg("path", mountpoint)
                .arg("why", f.why));
        }
    };
    // A signed city: its media register alone says registered or retired; the medium's own
    // marker (signed by a custodian) still binds the device.
    if let Some(city) = city {
        let Some(entry) = city.get(&marker.medium_id) else {
            return no(refusal(RefusalCode::MediumUnregistered, class)
                .with_message("refusal-medium-unregistered-not-in-register")
                .arg("label", &marker.label)
                .arg("medium", &marker.medium_id));
        };
        if let Some(at) = &entry.retired_at {
            return no(refusal(RefusalCode::MediumRetired, class)
                .arg("label", &marker.label)
                .arg("medium", &marker.medium_id)
                .arg("at", at.to_string())
                .arg("reason", entry.reason.clone().unwrap_or_default()));
        }
        let m = Medium {
            marker: marker.clone(),
            retired: None,
        };
        return Ok(if same_device(&d, &m, &marker) {
            Ok((m, d))
        } else {
            Err(mismatch(&d, mountpoint, &marker, class))
        });
    }
    let Some(m) = list(home, policy)?
        .into_iter()
        .find(|m| m.marker.medium_id == marker.medium_id)
    else {
        return no(refusal(RefusalCode::MediumUnregistered, class)
            .with_message("refusal-medium-unregistered-not-in-register")
            .arg("label", &marker.label)
            .arg("medium", &marker.medium_id));
    };
    if let Some(r) = &m.retired {
        return no(refusal(RefusalCode::MediumRetired, class)
            .arg("label", &marker.label)
            .arg("medium", &marker.medium_id)
            .arg("at", &r.retired_at)
            .arg("reason", &r.reason));
    }
    if !same_device(&d, &m, &marker) {
        return no(mismatch(&d, mountpoint, &marker, class));
    }
    Ok(Ok((m, d)))
}

/// Is the device the one the medium's registered marker names, and its marker that one?
fn same_device(d: &Device, m: &Medium, marker: &MarkerPayload) -> bool {
    let id = &m.marker.device;
    d.fs_uuid.as_deref() == Some(id.fs_uuid.as_str())
        && (id.serial.is_none() || d.serial == id.serial)
        && (id.vendor_id.is_none() || d.vendor_id == id.vendor_id)
        && (id.product_id.is_none() || d.product_id == id.product_id)
        && m.marker == *marker
}

fn mismatch(d: &Device, mountpoint: &Path, marker: &MarkerPayload, class: Class) -> Refusal {
    refusal(RefusalCode::MediumMismatch, class)
        .arg("path", mountpoint)
        .arg("device", d.describe())
        .arg("label", &marker.label)
        .arg("medium", &marker.medium_id)
}
