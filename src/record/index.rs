//! Which transfers are prepared and have no outcome yet, remembered between writers in
//! `record.index`, so that opening the record for an append does not read all of it.
//!
//! The index is a cache, never a source of truth: it names the record's line it was written
//! after (seq, byte offset, hash) and the offsets of the open `prepared` entries, and every one
//! of those is read back from the record and checked before it is used. An index that is
//! missing, stale, damaged or does not match is rebuilt by reading the record from its start
//! (once; a record of a million entries takes a few seconds). The lines written since the
//! index are read forward from its offset, so a writer that died before saving it costs only
//! those lines.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::base::digest::Blake3;
use crate::base::error::{Error, IoOp, Result};
use crate::base::ids::TransferId;

use super::chain::{Chunks, MAX_LINE, Piece};
use super::{Body, Entry, Event, Head, Outcome};

/// `record.index` as stored.
#[derive(Serialize, Deserialize)]
struct Stored {
    /// The last line the index has taken into account, and where it ends.
    seq: u64,
    end: u64,
    hash: Blake3,
    /// Open transfers: the `seq` and byte offset of each `prepared` entry.
    open: Vec<At>,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
struct At {
    seq: u64,
    offset: u64,
}

/// A transfer prepared and not yet packed or aborted.
#[derive(Clone, Debug)]
pub(super) struct Open {
    pub seq: u64,
    pub offset: u64,
    pub body: Body,
}

/// The open transfers as of the record's end, and how many lines were read to know it.
pub(super) struct State {
    pub open: Vec<Open>,
    pub lines_read: u64,
    /// A valid index was found (else the record was read from its start), and the open
    /// transfers it named.
    pub indexed: bool,
    pub indexed_open: Vec<u64>,
}

/// Writing the index again is worth it once this many lines were read past it.
pub(super) const REFRESH_AFTER: u64 = 256;

/// The whole line that starts at `offset`, without reading past `MAX_LINE`.
fn line_at(file: &File, offset: u64) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    let mut block = vec![0u8; 16 * 1024];
    loop {
        let got = file
            .read_at(&mut block, offset + line.len() as u64)
            .ok()
            .filter(|n| *n > 0)?;
        match block[..got].iter().position(|b| *b == b'\n') {
            Some(i) => {
                line.extend_from_slice(&block[..=i]);
                return Some(line);
            }
            None if line.len() + got > MAX_LINE => return None,
            None => line.extend_from_slice(&block[..got]),
        }
    }
}

/// The open transfer an index names, if the record still says so at that place.
fn open_at(file: &File, at: At) -> Option<Open> {
    let e: Entry = serde_json::from_slice(&line_at(file, at.offset)?).ok()?;
    match e.event {
        Event::Transfer(body) if e.seq == at.seq && body.outcome == Outcome::Prepared => {
            Some(Open {
                seq: at.seq,
                offset: at.offset,
                body,
            })
        }
        _ => None,
    }
}

/// The index's bytes, if it is a regular file of at most a MiB: never through a link, never
/// blocking on a FIFO, never a device read without end.
fn read_small(index: &Path) -> Option<Vec<u8>> {
    let f = crate::sys::fsutil::open_no_follow(index).ok()?;
    let m = f.metadata().ok()?;
    if !m.is_file() || m.len() > 1 << 20 {
        return None;
    }
    let mut bytes = Vec::new();
    f.take(1 << 20).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Where a valid index lets the reading start: its offset, and the open transfers there.
fn from_index(index: &Path, file: &File, path: &Path, end: u64) -> Option<(u64, Vec<Open>)> {
    let s: Stored = serde_json::from_slice(&read_small(index)?).ok()?;
    if s.end == 0 {
        return (s.seq == 0 && s.open.is_empty()).then_some((0, Vec::new()));
    }
    if s.end > end {
        return None;
    }
    // The line the index was written after must still be there, byte for byte.
    let mut back = super::tail::Backwards::new(file, path, s.end, 64 * 1024).ok()?;
    if !back.torn.is_empty() {
        return None;
    }
    let (offset, last) = back.next_line().ok()??;
    let link = super::parse_link(&last)?;
    if link.0 != s.seq || Blake3::of(&last) != s.hash || (offset == 0) != (s.seq == 1) {
        return None;
    }
    // Each open transfer once, in the record's order, before the index's end.
    let ordered = s
        .open
        .windows(2)
        .all(|w| w[0].seq < w[1].seq && w[0].offset < w[1].offset);
    if !ordered || s.open.last().is_some_and(|a| a.offset >= s.end) {
        return None;
    }
    let open = s
        .open
        .iter()
        .map(|a| open_at(file, *a))
        .collect::<Option<Vec<_>>>()?;
    // And still open there: an index that names a finished transfer would have it settled a
    // second time (and its files removed). Read only from each to the index's end, looking
    // for its id; such transfers are rare (a crash with the output directory gone).
    for o in &open {
        if closed_after(file, o.offset, s.end, &o.body.transfer_id)? {
            return None;
        }
    }
    Some((s.end, open))
}

/// A region of a file, read with `pread`.
struct Region<'f> {
    file: &'f File,
    pos: u64,
    end: u64,
}

impl Read for Region<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let room = (self.end.saturating_sub(self.pos)).min(buf.len() as u64) as usize;
        let n = self.file.read_at(&mut buf[..room], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// Whether a `packed` or `aborted` entry of `transfer` lies between `from` and `end`; `None`
/// if the record cannot be read.
fn closed_after(file: &File, from: u64, end: u64, transfer: &TransferId) -> Option<bool> {
    let id = memchr::memmem::Finder::new(transfer.as_str().as_bytes());
    let mut chunks = Chunks::new(Region {
        file,
        pos: from,
        end,
    });
    while let Some(piece) = chunks.next_piece().ok()? {
        if let Piece::Lines(bytes) = &piece {
            for line in super::chain::lines(bytes) {
                if id.find(line).is_some()
                    && let Ok(Entry {
                        event: Event::Transfer(b),
                        ..
                    }) = serde_json::from_slice::<Entry>(line)
                    && b.transfer_id == *transfer
                    && matches!(b.outcome, Outcome::Packed | Outcome::Aborted)
                {
                    return Some(true);
                }
            }
        }
        chunks.give_back(piece);
    }
    Some(false)
}

/// Marks a transfer's outcome: `prepared` opens it, `packed` or `aborted` closes it.
pub(super) fn track(open: &mut Vec<Open>, seq: u64, offset: u64, body: &Body) {
    match body.outcome {
        Outcome::Prepared => open.push(Open {
            seq,
            offset,
            body: body.clone(),
        }),
        Outcome::Packed | Outcome::Aborted => {
            open.retain(|o| o.body.transfer_id != body.transfer_id)
        }
        _ => {}
    }
}

/// The open transfers of the record `file` (complete lines up to `end`), from the index at
/// `index` and the lines after it.
pub(super) fn load(index: &Path, file: &File, path: &Path, end: u64) -> Result<State> {
    let found = from_index(index, file, path, end);
    let indexed = found.is_some();
    let (start, mut open) = found.unwrap_or((0, Vec::new()));
    let indexed_open = open.iter().map(|o| o.seq).collect();
    let mut chunks = Chunks::new(Region {
        file,
        pos: start,
        end,
    });
    let mut offset = start;
    let mut lines_read = 0u64;
    let finder = |p: &str| memchr::memmem::Finder::new(p.as_bytes()).into_owned();
    let outcomes = [
        finder(r#""outcome":"prepared""#),
        finder(r#""outcome":"packed""#),
        finder(r#""outcome":"aborted""#),
    ];
    while let Some(piece) = chunks
        .next_piece()
        .map_err(|e| Error::io(IoOp::Read, path, e))?
    {
        let bytes = match piece {
            Piece::Lines(bytes) => bytes,
            Piece::Oversize(_, len) => {
                // Too long to be an entry (`record verify` reports it): only passed over.
                lines_read += 1;
                offset += len;
                continue;
            }
        };
        for line in super::chain::lines(&bytes) {
            lines_read += 1;
            // Only transfer outcomes matter here; serde writes them exactly so, and any line
            // that names one is parsed, so a match inside some other field costs a parse only.
            let relevant = outcomes[0].find(line).is_some()
                || (!open.is_empty() && outcomes[1..].iter().any(|f| f.find(line).is_some()));
            if relevant
                && let Ok(Entry {
                    seq,
                    event: Event::Transfer(body),
                    ..
                }) = serde_json::from_slice::<Entry>(line)
            {
                track(&mut open, seq, offset, &body);
            }
            offset += line.len() as u64;
        }
        chunks.give_back(Piece::Lines(bytes));
    }
    Ok(State {
        open,
        lines_read,
        indexed,
        indexed_open,
    })
}

/// Writes the index for a record whose last line is `last`, ending at `end`. A cache: it is
/// renamed into place but not synced, and failing to write it costs the next writer a read.
pub(super) fn save(index: &Path, last: Head, end: u64, open: &[Open]) {
    let stored = Stored {
        seq: last.seq,
        end,
        hash: last.hash,
        open: open
            .iter()
            .map(|o| At {
                seq: o.seq,
                offset: o.offset,
            })
            .collect(),
    };
    let Ok(text) = serde_json::to_vec(&stored) else {
        return;
    };
    // Named as okuri's temporary files are, so that one a killed writer left is swept.
    let Ok(mut t) = crate::sys::fsutil::temp_beside(index) else {
        return;
    };
    let _ = std::io::Write::write_all(&mut t, &text)
        .and_then(|()| t.persist(index).map(drop).map_err(|e| e.error));
}
