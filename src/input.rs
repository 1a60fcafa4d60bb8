//! Opening the file to be sent: a regular file, never through a symbolic link, and watched
//! for change so that what was classified is exactly what is encrypted.

use std::fs::{File, Metadata};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::digest::Blake3;
use crate::error::{Error, Result};

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
        let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io("read", path, e))?;
        let ft = meta.file_type();
        if ft.is_symlink() {
            return Err(Error::invalid(format!(
                "{} is a symbolic link; okuri does not follow links, so that the file that was labelled is the file that is sent",
                path.display()
            ))
            .with_hint("give the path of the file itself"));
        }
        if ft.is_dir() {
            return Err(Error::invalid(format!(
                "{} is a directory; okuri sends single files",
                path.display()
            ))
            .with_hint(
                "put the files in one archive (zip, tar), have it labelled, and send that",
            ));
        }
        if !ft.is_file() {
            return Err(Error::invalid(format!(
                "{} is not a regular file (a device, pipe or socket)",
                path.display()
            ))
            .with_hint("copy the data into a regular file first"));
        }
        let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
        let opened = file.metadata().map_err(|e| Error::io("read", path, e))?;
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

    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
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
                .map_err(|e| Error::io("read", &self.path, e))?;
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
            .map_err(|e| Error::io("read", &self.path, e))
    }

    /// Fails if the file now differs in size or modification time from when it was opened,
    /// or if the path now names another file.
    pub fn check_unchanged(&self) -> Result<()> {
        let now: Metadata = self
            .file
            .metadata()
            .map_err(|e| Error::io("read", &self.path, e))?;
        let same_path = std::fs::symlink_metadata(&self.path)
            .map(|m| (m.dev(), m.ino()) == self.ident)
            .unwrap_or(false);
        if now.len() != self.size || now.modified().ok() != self.modified || !same_path {
            return Err(changed(&self.path));
        }
        Ok(())
    }
}

pub fn changed(path: &Path) -> Error {
    Error::invalid(format!(
        "{} changed while okuri was reading it; nothing was sent or recorded",
        path.display()
    ))
    .with_hint("wait until the file is no longer being written (close the program that edits it), then run okuri again")
}
