//! Reading the record from its end: what an append checks, what the witness has not seen, and
//! what a token's single use is checked against all lie at the end, so their cost is what is
//! read there, not the record's length.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

use crate::base::error::{Error, IoOp, Result};
use crate::msg;

use super::chain::MAX_LINE;

/// The complete lines of a file, newest first, read backwards in blocks.
pub(super) struct Backwards<'f> {
    file: &'f File,
    path: &'f Path,
    /// The file offset of `buf[0]`.
    start: u64,
    /// Bytes not yet handed out; ends with `\n` unless empty.
    buf: Vec<u8>,
    block: u64,
    /// Bytes after the last `\n`: an interrupted write.
    pub torn: Vec<u8>,
}

impl<'f> Backwards<'f> {
    /// Starts at `end` (the file's length, or the end of a line).
    pub(super) fn new(file: &'f File, path: &'f Path, end: u64, block: u64) -> Result<Self> {
        let mut b = Backwards {
            file,
            path,
            start: end,
            buf: Vec::new(),
            block: block.max(1),
            torn: Vec::new(),
        };
        // The torn tail: everything after the last line end.
        loop {
            if let Some(i) = b.buf.iter().rposition(|c| *c == b'\n') {
                b.torn = b.buf.split_off(i + 1);
                break;
            }
            if b.start == 0 {
                b.torn = std::mem::take(&mut b.buf);
                break;
            }
            if b.buf.len() > MAX_LINE {
                return Err(b.too_long());
            }
            b.read_block()?;
        }
        Ok(b)
    }

    fn too_long(&self) -> Error {
        Error::integrity(msg!(
            "record-line-too-long",
            path = self.path,
            max = MAX_LINE
        ))
        .with_hint(msg!("hint-record-verify-report"))
    }

    /// Puts the block before `start` in front of `buf`.
    fn read_block(&mut self) -> Result<()> {
        let from = self.start.saturating_sub(self.block);
        let mut block = vec![0u8; (self.start - from) as usize];
        self.file
            .read_exact_at(&mut block, from)
            .map_err(|e| Error::io(IoOp::Read, self.path, e))?;
        block.extend_from_slice(&self.buf);
        self.buf = block;
        self.start = from;
        Ok(())
    }

    /// The offset just past the complete lines not yet handed out.
    pub(super) fn end(&self) -> u64 {
        self.start + self.buf.len() as u64
    }

    /// The next line back (with its `\n`) and its offset, or `None` at the file's start.
    pub(super) fn next_line(&mut self) -> Result<Option<(u64, Vec<u8>)>> {
        if self.buf.is_empty() && self.start == 0 {
            return Ok(None);
        }
        loop {
            let body = &self.buf[..self.buf.len().saturating_sub(1)];
            if let Some(i) = body.iter().rposition(|c| *c == b'\n') {
                let line = self.buf.split_off(i + 1);
                return Ok(Some((self.start + i as u64 + 1, line)));
            }
            if self.start == 0 {
                return Ok(Some((0, std::mem::take(&mut self.buf))));
            }
            if self.buf.len() > MAX_LINE {
                return Err(self.too_long());
            }
            self.read_block()?;
        }
    }
}

/// The last `n` complete lines of the record at `path` (each with its `\n`), oldest first,
/// read backwards from the end in blocks: the cost is what is read, not the record's length.
/// A torn tail (bytes after the last `\n`) is not a line. Fewer lines if the record has fewer.
pub fn last_lines(path: &Path, n: u64) -> Result<Vec<Vec<u8>>> {
    last_lines_in(path, n, 64 * 1024)
}

pub(super) fn last_lines_in(path: &Path, n: u64, block: u64) -> Result<Vec<Vec<u8>>> {
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(IoOp::Read, path, e)),
    };
    let len = f
        .metadata()
        .map_err(|e| Error::io(IoOp::Read, path, e))?
        .len();
    let mut back = Backwards::new(&f, path, len, block)?;
    let mut lines = Vec::new();
    while (lines.len() as u64) < n
        && let Some((_, l)) = back.next_line()?
    {
        lines.push(l);
    }
    lines.reverse();
    Ok(lines)
}

#[cfg(test)]
mod tests {
    #[test]
    fn last_lines_reads_back_across_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r");
        let mut text = Vec::new();
        for i in 1..=50u32 {
            text.extend_from_slice(format!("line {i} {}\n", "x".repeat(i as usize % 7)).as_bytes());
        }
        text.extend_from_slice(b"torn");
        std::fs::write(&p, &text).unwrap();
        let all: Vec<Vec<u8>> = text
            .split_inclusive(|b| *b == b'\n')
            .filter(|l| l.ends_with(b"\n"))
            .map(|l| l.to_vec())
            .collect();
        for block in [1u64, 3, 7, 64, 4096] {
            for n in [0u64, 1, 2, 13, 49, 50, 51, 1000] {
                let got = super::last_lines_in(&p, n, block).unwrap();
                let want = &all[all.len().saturating_sub(n as usize)..];
                assert_eq!(got, want, "block {block}, n {n}");
            }
        }
        assert!(
            super::last_lines(&dir.path().join("none"), 3)
                .unwrap()
                .is_empty()
        );
        // A record without a single complete line has none.
        std::fs::write(&p, b"torn only").unwrap();
        assert!(super::last_lines_in(&p, 5, 2).unwrap().is_empty());
        // Offsets name where each line starts; the torn tail is kept apart.
        std::fs::write(&p, b"a\nbb\n\nccc").unwrap();
        let f = std::fs::File::open(&p).unwrap();
        let mut b = super::Backwards::new(&f, &p, 9, 2).unwrap();
        assert_eq!(b.torn, b"ccc");
        assert_eq!(b.end(), 6);
        assert_eq!(b.next_line().unwrap(), Some((5, b"\n".to_vec())));
        assert_eq!(b.next_line().unwrap(), Some((2, b"bb\n".to_vec())));
        assert_eq!(b.next_line().unwrap(), Some((0, b"a\n".to_vec())));
        assert_eq!(b.next_line().unwrap(), None);
    }
}
