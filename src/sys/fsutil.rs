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

/// A temporary file in the directory of `target`, named so that a stray one is recognisable.
/// It is created 0600 and removed when dropped, so a failed run leaves nothing.
pub fn temp_beside(target: &Path) -> Result<NamedTempFile> {
    let dir = parent_dir(target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(IoOp::Create, &dir, e))
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
