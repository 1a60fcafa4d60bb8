//! What is on a medium, and clearing it: `media scan` (recorded packages, packages past the
//! retention period, age files of other records, plain files — a violation), `media wipe`
//! (delivered packages removed and recorded) and `media export` (a recorded package copied
//! onto a registered medium).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{MARKER, read_marker, refusal, writable};
use crate::base::channel::Channel;
use crate::base::error::{Error, IoOp, Result};
use crate::base::ids::{MediumId, TransferId};
use crate::base::refusal::RefusalCode;
use crate::base::time::Time;
use crate::msg;
use crate::policy::Policy;
use crate::sys::device::{self, Probe};
use crate::sys::fsutil;
use crate::sys::home::Home;

/// What `media scan` found for one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Found {
    /// The registration marker.
    Marker,
    /// A package the record knows, within the retention period.
    Recorded {
        transfer_id: TransferId,
        packed_at: Time,
    },
    /// A recorded package past the policy's retention period: a violation.
    Expired {
        transfer_id: TransferId,
        packed_at: Time,
    },
    /// An age file this record does not know (perhaps another machine's).
    UnknownAge,
    /// Anything that is not an age package: a violation.
    Plain,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScanItem {
    #[serde(with = "crate::base::fsname")]
    pub path: PathBuf,
    pub size: u64,
    pub blake3: crate::base::digest::Blake3,
    #[serde(flatten)]
    pub found: Found,
}

#[derive(Clone, Debug, Serialize)]
pub struct Scan {
    #[serde(with = "crate::base::fsname")]
    pub mountpoint: PathBuf,
    pub medium: Option<MediumId>,
    pub label: Option<String>,
    pub items: Vec<ScanItem>,
    pub violations: usize,
}

fn file_blake3(path: &Path) -> Result<crate::base::digest::Blake3> {
    let mut h = blake3::Hasher::new();
    let f = std::fs::File::open(path).map_err(|e| Error::io(IoOp::Open, path, e))?;
    h.update_reader(f)
        .map_err(|e| Error::io(IoOp::Read, path, e))?;
    Ok(h.finalize().into())
}

/// The most of a file [`is_age`] reads: far more than any real header (a passphrase header
/// is about 150 bytes, one more per recipient about 100), and a bound on what a file made to
/// look like an endless header can cost.
const MAX_HEADER: u64 = 1 << 20;

/// Whether `path` holds an age file, binary or armored: the age crate parses its whole header
/// (the version line, every stanza, the MAC line) and the payload's nonce. A plain file that
/// merely begins like one is not. (The MAC itself needs the passphrase, which okuri does not
/// keep, so a well-formed header over other bytes passes: see docs/threat-model.md.)
fn is_age(path: &Path) -> bool {
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    is_age_reader(f)
}

/// [`is_age`] of what `input` holds, read at most [`MAX_HEADER`] bytes into it.
pub fn is_age_reader(input: impl std::io::Read) -> bool {
    let input = age::armor::ArmoredReader::new(std::io::BufReader::new(input.take(MAX_HEADER)));
    age::Decryptor::new_buffered(input).is_ok()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(IoOp::Read, dir, e))?;
    for e in rd.flatten() {
        let p = e.path();
        let ft = e.file_type().map_err(|x| Error::io(IoOp::Read, &p, x))?;
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
    let marker_path = d.mountpoint.join(MARKER);
    let marker = std::fs::read(&marker_path)
        .ok()
        .and_then(|b| read_marker(&b, policy, &marker_path).ok());
    let packed = crate::record::Record::new(home).packed()?;
    let limit = crate::sys::hooks::now().timestamp()
        - jiff::SignedDuration::from_hours(24 * i64::from(policy.media_retention_days));
    let mut files = Vec::new();
    walk(&d.mountpoint, &mut files)?;
    files.sort();
    let mut items = Vec::new();
    for p in files {
        let rel = p.strip_prefix(&d.mountpoint).unwrap_or(&p).to_path_buf();
        let meta = std::fs::symlink_metadata(&p).map_err(|e| Error::io(IoOp::Read, &p, e))?;
        let blake3 = if meta.is_file() {
            file_blake3(&p)?
        } else {
            crate::base::digest::Blake3::ZERO
        };
        let found = if rel == Path::new(MARKER) && marker.is_some() {
            Found::Marker
        } else if rel.starts_with("lost+found") && meta.is_dir() {
            continue;
        } else if let Some(b) = packed
            .iter()
            .rev()
            // Only an encrypted package is one: a plain file packed with --no-encrypt and
            // copied here is a plain file on a medium, whatever the record says of it.
            .find(|b| {
                b.package
                    .as_ref()
                    .is_some_and(|pk| pk.blake3 == blake3 && pk.encrypted)
            })
            .filter(|_| meta.is_file() && is_age(&p))
        {
            let old = Some(b.at.at()).is_some_and(|t| t < limit);
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
        return Err(
            Error::invalid(msg!("media-wipe-unregistered", path = mountpoint))
                .with_hint(msg!("media-wipe-unregistered-hint")),
        );
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
        std::fs::remove_file(&full).map_err(|e| Error::io(IoOp::Remove, &full, e))?;
    }
    fsutil::fsync_dir(&s.mountpoint)?;
    w.append(crate::record::Event::Medium(crate::record::MediumEntry {
        files: gone.clone(),
        ..staff_entry(
            home,
            crate::record::Outcome::Wiped,
            id,
            s.label.clone().unwrap_or_default(),
        )
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
) -> Result<(MediumId, PathBuf)> {
    let bytes_digest = file_blake3(package)?;
    if !is_age(package) {
        return Err(Error::invalid(msg!("media-not-age", path = package))
            .with_hint(msg!("media-not-age-hint")));
    }
    let record = crate::record::Record::new(home);
    let entry = record
        .packed()?
        .into_iter()
        .find(|b| b.package.as_ref().is_some_and(|p| p.blake3 == bytes_digest))
        .ok_or_else(|| {
            Error::invalid(msg!("media-not-recorded", path = package))
                .with_hint(msg!("media-not-recorded-hint"))
        })?;
    let needs = policy.requirements(entry.class, Channel::Media);
    if needs.forbidden || (needs.approval && entry.channel != Channel::Media) {
        return Err(Error::refused(
            refusal(RefusalCode::MediumNotAllowed, entry.class)
                .with_message("refusal-medium-not-allowed-approval")
                .with_hint("refusal-medium-not-allowed-approval-hint")
                .arg("packed_channel", entry.channel),
        ));
    }
    let city = super::CityMedia::in_force(home, policy)?;
    let (m, d) = match writable(home, policy, city.as_ref(), probe, mountpoint, entry.class)? {
        Ok(x) => x,
        Err(r) => return Err(Error::refused(r)),
    };
    let name = package.file_name().unwrap_or_default();
    let target = d.mountpoint.join(name);
    let mut tmp = fsutil::temp_beside(&target)?;
    let mut src = std::fs::File::open(package).map_err(|e| Error::io(IoOp::Open, package, e))?;
    std::io::copy(&mut src, tmp.as_file_mut()).map_err(|e| Error::io(IoOp::Write, &target, e))?;
    let mut w = record.writer()?;
    fsutil::persist_new(tmp, &target)?;
    if let Err(e) = w.append(crate::record::Event::Medium(crate::record::MediumEntry {
        files: vec![{
            let mut f = name.to_os_string();
            f.push(format!(" ({})", entry.transfer_id));
            PathBuf::from(f)
        }],
        ..staff_entry(
            home,
            crate::record::Outcome::Exported,
            m.marker.medium_id.clone(),
            m.marker.label.clone(),
        )
    })) {
        let _ = std::fs::remove_file(&target);
        return Err(e);
    }
    Ok((m.marker.medium_id, target))
}

/// A medium entry made now by the staff member of `home` (or, before `okuri init`, the OS
/// account): what wiping and exporting record.
fn staff_entry(
    home: &Home,
    outcome: crate::record::Outcome,
    medium_id: MediumId,
    label: String,
) -> crate::record::MediumEntry {
    crate::record::MediumEntry::here(
        Time::of(&crate::sys::hooks::now()),
        outcome,
        medium_id,
        label,
        home.identity()
            .map(|i| i.id.to_string())
            .unwrap_or_else(|_| crate::sys::host::os_user()),
    )
}
