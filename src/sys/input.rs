//! Opening the file to be sent: a regular file, never through a symbolic link, and watched
//! for change so that what was classified is exactly what is encrypted.

use std::fs::{File, Metadata};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::base::digest::Blake3;
use crate::base::error::{Error, IoOp, Result};
use crate::msg;

/// An input file, opened once and identified by device and inode.
pub struct Input {
    pub path: PathBuf,
    pub file: File,
    pub size: u64,
    ident: (u64, u64),
    modified: Option<SystemTime>,
}

impl Input {
    pub fn open(path: &Path) -> Result<Input> {
        let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(IoOp::Read, path, e))?;
        let ft = meta.file_type();
        if ft.is_symlink() {
            return Err(Error::invalid(msg!("input-symlink", path = path))
                .with_hint(msg!("input-symlink-hint")));
        }
        if ft.is_dir() {
            return Err(Error::invalid(msg!("input-directory", path = path))
                .with_hint(msg!("input-directory-hint")));
        }
        if !ft.is_file() {
            return Err(Error::invalid(msg!("input-not-regular", path = path))
                .with_hint(msg!("input-not-regular-hint")));
        }
        let file = File::open(path).map_err(|e| Error::io(IoOp::Open, path, e))?;
        let opened = file
            .metadata()
            .map_err(|e| Error::io(IoOp::Read, path, e))?;
        // The path could have been swapped between the check and the open.
        if (opened.dev(), opened.ino()) != (meta.dev(), meta.ino()) {
            return Err(changed(path));
        }
        Ok(Input {
            path: path.to_path_buf(),
            size: opened.len(),
            ident: (opened.dev(), opened.ino()),
            modified: opened.modified().ok(),
            file,
        })
    }

    /// The file's name as the filesystem has it (not necessarily UTF-8).
    pub fn file_name(&self) -> std::ffi::OsString {
        self.path
            .file_name()
            .map(|n| n.to_owned())
            .unwrap_or_default()
    }

    /// BLAKE3 of the whole file, read from the start.
    pub fn digest(&mut self) -> Result<Blake3> {
        self.rewind()?;
        let mut h = blake3::Hasher::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut n_total = 0u64;
        loop {
            let n = self
                .file
                .read(&mut buf)
                .map_err(|e| Error::io(IoOp::Read, &self.path, e))?;
            if n == 0 {
                break;
            }
            n_total += n as u64;
            h.update(&buf[..n]);
        }
        if n_total != self.size {
            return Err(changed(&self.path));
        }
        self.rewind()?;
        Ok(h.finalize().into())
    }

    pub fn rewind(&mut self) -> Result<()> {
        self.file
            .seek(SeekFrom::Start(0))
            .map(|_| ())
            .map_err(|e| Error::io(IoOp::Read, &self.path, e))
    }

    /// Fails if the file now differs in size or modification time from when it was opened,
    /// or if the path now names another file.
    pub fn check_unchanged(&self) -> Result<()> {
        let now: Metadata = self
            .file
            .metadata()
            .map_err(|e| Error::io(IoOp::Read, &self.path, e))?;
        let same_path = std::fs::symlink_metadata(&self.path)
            .map(|m| (m.dev(), m.ino()) == self.ident)
            .unwrap_or(false);
        if now.len() != self.size || now.modified().ok() != self.modified || !same_path {
            return Err(changed(&self.path));
        }
        Ok(())
    }
}

/// The file changed under okuri: what was classified is not what would be sent.
pub fn changed(path: &Path) -> Error {
    Error::invalid(msg!("input-changed", path = path)).with_hint(msg!("input-changed-hint"))
}
