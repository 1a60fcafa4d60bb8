//! The one pass over the file: read, hash the plaintext, encrypt with age (scrypt, the work
//! factor of [`crate::sys::hooks`]), hash and count what reaches the disk — so that the
//! package's size and digests are those of the bytes written, and what was encrypted can be
//! compared with what was classified.
//!
//! The work is spread over the cores so that a pack takes about as long as `age -p` of the
//! same file (docs/benchmarks.md):
//! - scrypt needs nothing but the passphrase, so [`Keying`] runs it on its own thread from the
//!   moment the passphrase exists, beside the classification pass;
//! - the pass itself is a pipeline: this thread reads, hashes the plaintext and encrypts; a
//!   second thread hashes (BLAKE3 and SHA-256) and writes what it is handed, through a bounded
//!   queue of reused buffers, so memory stays flat whatever the file's size;
//! - a third thread asks the kernel to write back what was written so far (`fdatasync`) every
//!   few dozen MiB, so that the final `fsync` before success has little left to do. Its
//!   errors are the pack's errors: a write-back error is reported once per open file, and must
//!   not be swallowed here and missed by the final `fsync`.

use std::fs::File;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

use indicatif::ProgressBar;
use sha2::Digest as _;

use crate::base::digest::{Blake3, Sha256};
use crate::base::error::{Error, IoOp, Result};
use crate::msg;
use crate::secret::passphrase::Passphrase;
use crate::sys::hooks;
use crate::sys::input::Input;

/// Bytes read from the file at a time.
const READ: usize = 1 << 20;
/// Bytes handed to the writing thread at a time, and how many such buffers may wait.
const BLOCK: usize = 1 << 20;
const QUEUE: usize = 4;
/// Write-back is started after every this many bytes.
const WRITE_BACK: u64 = 32 << 20;

/// The passphrase's key derivation (scrypt), running on its own thread.
pub struct Keying(std::thread::JoinHandle<std::result::Result<age::Encryptor, age::EncryptError>>);

impl Keying {
    /// Starts scrypt for `pass` at the work factor of [`hooks::scrypt_log_n`]. Dropping the
    /// result (a refusal) lets the thread finish and discards its work.
    pub fn start(pass: &Passphrase) -> Result<Keying> {
        let secret = pass.secret();
        let log_n = hooks::scrypt_log_n();
        std::thread::Builder::new()
            .name("okuri-scrypt".into())
            .spawn(move || {
                let mut recipient = age::scrypt::Recipient::new(secret);
                recipient.set_work_factor(log_n);
                age::Encryptor::with_recipients(std::iter::once(&recipient as _))
            })
            .map(Keying)
            .map_err(|e| Error::failure(msg!("pack-age-setup")).with_source(e))
    }

    fn finish(self) -> Result<age::Encryptor> {
        self.0
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
            .map_err(|e| Error::failure(msg!("pack-age-setup")).with_source(e))
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

/// What the writing thread counted and hashed.
struct Written {
    blake3: Blake3,
    sha256: Sha256,
    n: u64,
}

/// Hands what is written to it, in blocks, to the writing thread; takes its buffers back from
/// it, so that the same few are used over and over.
struct Handoff {
    to_writer: SyncSender<Vec<u8>>,
    returned: Receiver<Vec<u8>>,
    buf: Vec<u8>,
}

impl Handoff {
    fn send(&mut self) -> io::Result<()> {
        let next = match self.returned.try_recv() {
            Ok(mut b) => {
                b.clear();
                b
            }
            Err(_) => Vec::with_capacity(BLOCK),
        };
        let full = std::mem::replace(&mut self.buf, next);
        // The writing thread stops only on an error, which the caller reports instead.
        self.to_writer
            .send(full)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the writing thread stopped"))
    }
}

impl Write for Handoff {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let take = data.len().min(BLOCK - self.buf.len());
        self.buf.extend_from_slice(&data[..take]);
        if self.buf.len() == BLOCK {
            self.send()?;
        }
        Ok(take)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.send()
    }
}

/// The writing thread: hashes and writes every block in order, and has write-back started as
/// it goes.
fn write_side(
    blocks: Receiver<Vec<u8>>,
    give_back: SyncSender<Vec<u8>>,
    out: &File,
    write_back: &SyncSender<()>,
) -> io::Result<Written> {
    let mut blake3 = blake3::Hasher::new();
    let mut sha256 = sha2::Sha256::new();
    let mut n = 0u64;
    let mut since_write_back = 0u64;
    let mut out = out;
    for block in blocks {
        out.write_all(&block)?;
        blake3.update(&block);
        sha256.update(&block);
        n += block.len() as u64;
        since_write_back += block.len() as u64;
        if since_write_back >= WRITE_BACK {
            match write_back.try_send(()) {
                // Busy with the last one: it will take this range too.
                Ok(()) | Err(TrySendError::Full(())) => {}
                // It stopped on an error: nothing more is written; its error is the one told.
                Err(TrySendError::Disconnected(())) => {
                    return Err(io::Error::other("write-back stopped"));
                }
            }
            since_write_back = 0;
        }
        let _ = give_back.try_send(block);
    }
    Ok(Written {
        blake3: blake3.finalize().into(),
        sha256: Sha256(sha256.finalize().into()),
        n,
    })
}

fn write_err(e: io::Error) -> Error {
    Error::failure(msg!("pack-write-failed"))
        .with_source(e)
        .with_hint(msg!("pack-write-failed-hint"))
}

/// Encrypts (or copies) `input` into `out` in one pass, hashing both sides.
pub fn stream(
    input: &mut Input,
    out: &mut File,
    keying: Option<Keying>,
    armor: bool,
    progress: &ProgressBar,
    interrupted: &AtomicBool,
) -> Result<Streamed> {
    input.rewind()?;
    let path = input.path.clone();
    let out: &File = out;
    let (to_writer, blocks) = sync_channel::<Vec<u8>>(QUEUE);
    let (give_back, returned) = sync_channel::<Vec<u8>>(QUEUE + 2);
    let (write_back, wanted) = sync_channel::<()>(1);
    std::thread::scope(|s| {
        let syncer = std::thread::Builder::new()
            .name("okuri-sync".into())
            .spawn_scoped(s, move || -> io::Result<()> {
                for () in wanted {
                    out.sync_data()?;
                }
                Ok(())
            })
            .map_err(write_err)?;
        let writer = std::thread::Builder::new()
            .name("okuri-write".into())
            .spawn_scoped(s, move || {
                let r = write_side(blocks, give_back, out, &write_back);
                drop(write_back);
                r
            })
            .map_err(write_err)?;
        let sink = Handoff {
            to_writer,
            returned,
            buf: Vec::with_capacity(BLOCK),
        };
        let read = encrypt(input, sink, keying, armor, progress, interrupted, &path);
        let written = writer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let synced = syncer
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        // The disk's error explains a stopped pipe, and write-back's a stopped writer: the
        // first of them in that order is the one told.
        let written = match (written, synced) {
            (_, Err(e)) | (Err(e), Ok(())) => return Err(write_err(e)),
            (Ok(w), Ok(())) => w,
        };
        let (plain, plain_size) = read?;
        Ok(Streamed {
            plain,
            plain_size,
            out_blake3: written.blake3,
            out_sha256: written.sha256,
            out_size: written.n,
        })
    })
}

/// This thread's part: read, hash the plaintext, encrypt into `sink`. Returns the plaintext's
/// digest and size; `sink` is dropped at the end, which tells the writing thread that all was
/// sent.
fn encrypt(
    input: &mut Input,
    mut sink: Handoff,
    keying: Option<Keying>,
    armor: bool,
    progress: &ProgressBar,
    interrupted: &AtomicBool,
    path: &std::path::Path,
) -> Result<(Blake3, u64)> {
    let mut plain = blake3::Hasher::new();
    let mut plain_size = 0u64;
    let mut buf = vec![0u8; READ];
    let mut copy = |w: &mut dyn Write| -> Result<()> {
        loop {
            if interrupted.load(Ordering::Relaxed) {
                return Err(Error::failure(msg!("pack-interrupted")));
            }
            let n = input
                .file
                .read(&mut buf)
                .map_err(|e| Error::io(IoOp::Read, path, e))?;
            if n == 0 {
                return Ok(());
            }
            plain.update(&buf[..n]);
            plain_size += n as u64;
            w.write_all(&buf[..n]).map_err(write_err)?;
            progress.inc(n as u64);
        }
    };
    match keying {
        None => copy(&mut sink)?,
        Some(keying) => {
            let encryptor = keying.finish()?;
            let format = if armor {
                age::armor::Format::AsciiArmor
            } else {
                age::armor::Format::Binary
            };
            let armored =
                age::armor::ArmoredWriter::wrap_output(&mut sink, format).map_err(write_err)?;
            let mut w = encryptor.wrap_output(armored).map_err(write_err)?;
            copy(&mut w)?;
            w.finish().and_then(|a| a.finish()).map_err(write_err)?;
        }
    }
    sink.flush().map_err(write_err)?;
    Ok((plain.finalize().into(), plain_size))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(dir: &std::path::Path, plain: &[u8], keying: Option<Keying>) -> (Streamed, Vec<u8>) {
        let path = dir.join(format!("in-{}", plain.len()));
        std::fs::write(&path, plain).unwrap();
        let mut input = Input::open(&path).unwrap();
        let mut out = tempfile::tempfile_in(dir).unwrap();
        let never = AtomicBool::new(false);
        let s = stream(
            &mut input,
            &mut out,
            keying,
            false,
            &ProgressBar::hidden(),
            &never,
        )
        .unwrap();
        let mut written = Vec::new();
        std::io::Seek::rewind(&mut out).unwrap();
        out.read_to_end(&mut written).unwrap();
        (s, written)
    }

    /// Every size around the blocks the pipeline hands over (buffers are reused, the last one
    /// is short): what is written is the input, and the digests are those of the bytes on disk.
    #[test]
    fn the_pipeline_writes_and_hashes_exactly_what_it_is_given() {
        let dir = tempfile::tempdir().unwrap();
        for len in [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 7 * BLOCK + 17] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 7 + i / 251) as u8).collect();
            let (s, written) = pass(dir.path(), &plain, None);
            assert!(written == plain, "{len}");
            assert_eq!(s.plain_size, len as u64);
            assert_eq!(s.out_size, len as u64);
            assert_eq!(s.plain, Blake3::of(&plain));
            assert_eq!(s.out_blake3, Blake3::of(&written));
            assert_eq!(
                s.out_sha256.0,
                <[u8; 32]>::from(sha2::Sha256::digest(&written))
            );
        }
    }

    /// Encrypted: the package decrypts (with the age crate) to the input, and its digests are
    /// those of the package.
    #[test]
    fn an_encrypted_pass_decrypts_to_its_input() {
        let dir = tempfile::tempdir().unwrap();
        let plain: Vec<u8> = (0..3 * BLOCK + 5).map(|i| (i % 253) as u8).collect();
        let p = Passphrase::generate(100).unwrap();
        let (s, written) = pass(dir.path(), &plain, Some(Keying::start(&p).unwrap()));
        assert_eq!(s.out_size, written.len() as u64);
        assert_eq!(s.out_blake3, Blake3::of(&written));
        assert_eq!(s.plain, Blake3::of(&plain));
        let d = age::Decryptor::new(&written[..]).unwrap();
        let id = age::scrypt::Identity::new(p.secret());
        let mut r = d.decrypt(std::iter::once(&id as _)).unwrap();
        let mut back = Vec::new();
        r.read_to_end(&mut back).unwrap();
        assert!(back == plain);
    }

    /// A package that cannot be written fails with the disk's error, and nothing hangs.
    #[test]
    fn a_write_error_ends_the_pass_with_that_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in");
        std::fs::write(&path, vec![1u8; 5 * BLOCK]).unwrap();
        let mut input = Input::open(&path).unwrap();
        // Opened for reading only: every write fails.
        let mut out = File::open(&path).unwrap();
        let never = AtomicBool::new(false);
        let e = stream(
            &mut input,
            &mut out,
            None,
            false,
            &ProgressBar::hidden(),
            &never,
        )
        .err()
        .unwrap();
        assert_eq!(e.message().id(), "pack-write-failed");
        assert!(
            e.causes().iter().all(|c| !c.contains("writing thread")),
            "{:?}",
            e.causes()
        );
    }
}
