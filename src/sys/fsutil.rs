//! Files that are never half-written and never overwrite: temporary name, fsync, rename.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::base::error::{Error, IoOp, Result};
use crate::msg;

/// Creates `dir` and its parents; the last component gets `mode` (e.g. 0o700 for the home).
pub fn create_dir(dir: &Path, mode: u32) -> Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(mode)
        .create(dir)
        .map_err(|e| Error::io(IoOp::Create, dir, e))
}

/// Makes a rename or creation in `dir` durable.
pub fn fsync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(IoOp::Sync, dir, e))
}

/// The end of every temporary file's name: `.<target>.<random>.okuri.part`.
const TEMP_SUFFIX: &str = ".okuri.part";

/// How much of the target's name a temporary name repeats: enough to tell whose it is, short
/// enough that the temporary name fits wherever the target's does.
const TEMP_NAME_KEEP: usize = 64;

/// The longest file name (in bytes) okuri creates: `NAME_MAX` of every file system a city
/// uses for this (ext4, XFS, Btrfs, tmpfs, and exFAT/VFAT media in ASCII).
pub const NAME_MAX: usize = 255;

/// A temporary file in the directory of `target`, named so that a stray one is recognisable.
/// It is created 0600, removed when dropped, and locked (`flock`) for as long as this process
/// holds it, so that [`sweep_stale`] can tell one a killed run left behind from one a running
/// okuri is writing.
pub fn temp_beside(target: &Path) -> Result<NamedTempFile> {
    use std::os::unix::ffi::OsStrExt;
    name_fits(target)?;
    let dir = parent_dir(target);
    let name = target
        .file_name()
        .map(OsStrExt::as_bytes)
        .unwrap_or_default();
    // Cut at a character, not inside one: exFAT and VFAT media refuse names that are not UTF-8.
    let keep = match std::str::from_utf8(name) {
        Ok(text) => text.floor_char_boundary(TEMP_NAME_KEEP),
        Err(_) => name.len().min(TEMP_NAME_KEEP),
    };
    let mut prefix = b".".to_vec();
    prefix.extend_from_slice(&name[..keep]);
    prefix.push(b'.');
    let tmp = tempfile::Builder::new()
        .prefix(std::ffi::OsStr::from_bytes(&prefix))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(&dir)
        .map_err(|e| Error::io(IoOp::Create, &dir, e))?;
    tmp.as_file()
        .try_lock()
        .map_err(|e| Error::io(IoOp::Lock, tmp.path(), std::io::Error::other(e)))?;
    Ok(tmp)
}

/// Refuses a name longer than [`NAME_MAX`] bytes with a message that says so, where the
/// operating system would only say "File name too long" half-way through the work.
pub fn name_fits(target: &Path) -> Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let len = target.file_name().map_or(0, |n| n.as_bytes().len());
    if len <= NAME_MAX {
        return Ok(());
    }
    Err(Error::invalid(msg!(
        "file-name-too-long",
        path = target,
        bytes = len,
        max = NAME_MAX
    ))
    .with_hint(msg!("file-name-too-long-hint")))
}

/// How old an unlocked temporary file must be before [`sweep_stale`] takes it for a dead
/// run's: a file is created an instant before its creator locks it.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// Removes the temporary files ([`temp_beside`]) that runs of okuri killed before they could
/// clean up left in `dir`: a `.part` of a package, a slip, a record head. Only regular files
/// of this user are touched, never through a symbolic link, never a FIFO or device (opened
/// without blocking), and one that another okuri still holds (its lock is taken) or that was
/// made a moment ago is left alone. Returns what was removed.
pub fn sweep_stale(dir: &Path) -> Vec<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return removed;
    };
    let me = rustix::process::geteuid().as_raw();
    for e in entries.flatten() {
        let name = e.file_name();
        let b = name.as_bytes();
        let candidate = b.starts_with(b".")
            && b.ends_with(TEMP_SUFFIX.as_bytes())
            && e.file_type().is_ok_and(|t| t.is_file());
        if !candidate {
            continue;
        }
        let path = e.path();
        let Ok(f) = open_no_follow(&path) else {
            continue;
        };
        let Ok(m) = f.metadata() else { continue };
        let old = m
            .modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if !(m.is_file() && m.uid() == me && old) || f.try_lock().is_err() {
            continue;
        }
        // Still the file that was checked, not another swapped in under the same name.
        let same =
            fs::symlink_metadata(&path).is_ok_and(|n| (n.dev(), n.ino()) == (m.dev(), m.ino()));
        if same && fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// Moves a finished temporary file to `target` unless something is already there, then makes
/// the new name durable.
pub fn persist_new(tmp: NamedTempFile, target: &Path) -> Result<()> {
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io(IoOp::Sync, tmp.path(), e))?;
    match tmp.persist_noclobber(target) {
        Ok(_) => {}
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
            return Err(exists_error(target));
        }
        Err(e) => return Err(Error::io(IoOp::Write, target, e.error)),
    }
    fsync_dir(&parent_dir(target))
}

/// Writes `bytes` to a new file at `target`, mode 0600, atomically; refuses to overwrite.
pub fn write_new(target: &Path, bytes: &[u8]) -> Result<()> {
    write_new_mode(target, bytes, 0o600)
}

/// [`write_new`] with another mode, for files meant to be read by others (public keys, tokens).
pub fn write_new_mode(target: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut tmp = temp_beside(target)?;
    tmp.write_all(bytes)
        .and_then(|_| {
            tmp.as_file()
                .set_permissions(fs::Permissions::from_mode(mode))
        })
        .map_err(|e| Error::io(IoOp::Write, tmp.path(), e))?;
    persist_new(tmp, target)
}

/// Replaces `target` atomically (for files that are meant to change, like a record head).
pub fn replace(target: &Path, bytes: &[u8]) -> Result<()> {
    replace_mode(target, bytes, 0o600)
}

/// [`replace`] with another mode, for files others read (a designation beside its file).
pub fn replace_mode(target: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut tmp = temp_beside(target)?;
    tmp.write_all(bytes)
        .and_then(|_| {
            tmp.as_file()
                .set_permissions(fs::Permissions::from_mode(mode))
        })
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| Error::io(IoOp::Write, tmp.path(), e))?;
    tmp.persist(target)
        .map_err(|e| Error::io(IoOp::Write, target, e.error))?;
    fsync_dir(&parent_dir(target))
}

/// Opens `path` for appending, creating it 0600.
/// Opens `path` for reading as what it is: never through a symbolic link, never blocking on a
/// FIFO, never becoming a controlling terminal. The caller checks what it got.
pub fn open_no_follow(path: &Path) -> io::Result<File> {
    use rustix::fs::OFlags;
    let flags = OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY;
    OpenOptions::new()
        .read(true)
        .custom_flags(flags.bits() as i32)
        .open(path)
}

pub fn open_append(path: &Path) -> Result<File> {
    OpenOptions::new()
        .append(true)
        .read(true)
        .create(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::io(IoOp::Open, path, e))
}

/// The error for an output that is already there: okuri never replaces a file.
pub fn exists_error(target: &Path) -> Error {
    Error::invalid(msg!("file-exists", path = target)).with_hint(msg!("file-exists-hint"))
}

pub fn parent_dir(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
