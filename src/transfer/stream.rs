//! The one pass over the file: read, hash the plaintext, encrypt with age (scrypt, the work
//! factor of [`crate::sys::hooks`]), hash and count what reaches the disk — so that the
//! package's size and digests are those of the bytes written, and what was encrypted can be
//! compared with what was classified.

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::ProgressBar;
use sha2::Digest as _;

use crate::base::digest::{Blake3, Sha256};
use crate::base::error::{Error, IoOp, Result};
use crate::msg;
use crate::secret::passphrase::Passphrase;
use crate::sys::hooks;
use crate::sys::input::Input;

const CHUNK: usize = 256 * 1024;

/// Counts and hashes what is written through it: the package's size and digests come from the
/// same bytes that reach the disk.
struct HashingWriter<W> {
    inner: W,
    blake3: blake3::Hasher,
    sha256: sha2::Sha256,
    n: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.blake3.update(&buf[..n]);
        self.sha256.update(&buf[..n]);
        self.n += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The result of the streaming pass.
pub struct Streamed {
    pub plain: Blake3,
    pub plain_size: u64,
    pub out_blake3: Blake3,
    pub out_sha256: Sha256,
    pub out_size: u64,
}

/// Encrypts (or copies) `input` into `out` in one pass, hashing both sides.
pub fn stream(
    input: &mut Input,
    out: &mut std::fs::File,
    passphrase: Option<&Passphrase>,
    armor: bool,
    progress: &ProgressBar,
    interrupted: &AtomicBool,
) -> Result<Streamed> {
    input.rewind()?;
    let path = input.path.clone();
    let write_err = |e: io::Error| {
        Error::failure(msg!("pack-write-failed"))
            .with_source(e)
            .with_hint(msg!("pack-write-failed-hint"))
    };
    let sink = HashingWriter {
        inner: io::BufWriter::with_capacity(CHUNK, out),
        blake3: blake3::Hasher::new(),
        sha256: sha2::Sha256::new(),
        n: 0,
    };
    let mut plain = blake3::Hasher::new();
    let mut plain_size = 0u64;
    let mut buf = vec![0u8; CHUNK];
    let mut copy = |w: &mut dyn Write| -> Result<()> {
        loop {
            if interrupted.load(Ordering::Relaxed) {
                return Err(Error::failure(msg!("pack-interrupted")));
            }
            let n = input
                .file
                .read(&mut buf)
                .map_err(|e| Error::io(IoOp::Read, &path, e))?;
            if n == 0 {
                return Ok(());
            }
            plain.update(&buf[..n]);
            plain_size += n as u64;
            w.write_all(&buf[..n]).map_err(write_err)?;
            progress.inc(n as u64);
        }
    };
    let mut sink = match passphrase {
        None => {
            let mut sink = sink;
            copy(&mut sink)?;
            sink
        }
        Some(pass) => {
            let mut recipient = age::scrypt::Recipient::new(pass.secret());
            recipient.set_work_factor(hooks::scrypt_log_n());
            let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as _))
                .map_err(|e| Error::failure(msg!("pack-age-setup")).with_source(e))?;
            let format = if armor {
                age::armor::Format::AsciiArmor
            } else {
                age::armor::Format::Binary
            };
            let armored =
                age::armor::ArmoredWriter::wrap_output(sink, format).map_err(write_err)?;
            let mut w = encryptor.wrap_output(armored).map_err(write_err)?;
            copy(&mut w)?;
            w.finish().and_then(|a| a.finish()).map_err(write_err)?
        }
    };
    sink.flush().map_err(write_err)?;
    Ok(Streamed {
        plain: plain.finalize().into(),
        plain_size,
        out_blake3: sink.blake3.finalize().into(),
        out_sha256: Sha256(sink.sha256.finalize().into()),
        out_size: sink.n,
    })
}
