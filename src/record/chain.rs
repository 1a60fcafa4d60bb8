//! Checking the chain: one pass over the lines in order, in constant memory.
//!
//! What each line contributes (its link, whether it has an entry's fields, its BLAKE3) does
//! not depend on any other line, so a file is read in chunks of whole lines and the chunks are
//! examined on every core; only the fold over those facts ([`Chain`]) is sequential, and it is
//! a few comparisons per line. The JSON parse is the cost, so a line is parsed once, into the
//! few fields the chain needs; only a line that fails that parse is looked at again, to say
//! precisely what is wrong with it.

use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::base::digest::Blake3;
use crate::base::error::{Error, IoOp, Result};
use crate::base::message::Msg;
use crate::msg;

use super::Head;

/// The result of `record verify`.
#[derive(Clone, Debug, Serialize)]
pub struct Verified {
    pub entries: u64,
    pub head: Option<u64>,
    /// The last entry's hash: what an auditor compares with a copy kept elsewhere.
    pub last_hash: Option<Blake3>,
    /// A final line without `\n`, left by an interrupted write.
    pub torn_tail_bytes: Option<usize>,
    /// The head is one entry behind: a crash between the append and the head update.
    pub head_lagging: bool,
    /// The first entry dated more than the clock skew before an entry above it: a clock set
    /// back, or an entry added by hand to look older (which would also shorten the search for
    /// an approval token's earlier use). Not proof of tampering; for an auditor to look at.
    pub out_of_order: Option<u64>,
    pub problem: Option<Problem>,
}

/// The first thing wrong with the record.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// The first bad entry's sequence number (= its line number).
    pub entry: u64,
    pub message: Msg,
}

impl Verified {
    pub fn ok(&self) -> bool {
        self.problem.is_none()
    }
}

/// The chain fields of a line, if it is a JSON object with them, and whether the entry says
/// it was written in development mode.
pub fn parse_link(line: &[u8]) -> Option<(u64, Blake3, bool)> {
    #[derive(Deserialize)]
    struct Link {
        seq: u64,
        prev: Blake3,
        #[serde(default)]
        development: bool,
    }
    serde_json::from_slice::<Link>(line)
        .ok()
        .map(|l| (l.seq, l.prev, l.development))
}

/// Does a line have what every entry of every format has: its place in the chain, what it
/// is about, when, and what happened? The rest of an entry is checked by the chain.
pub(super) fn has_entry_fields(v: &serde_json::Value) -> bool {
    v.get("seq").is_some_and(serde_json::Value::is_u64)
        && v.get("prev").is_some_and(serde_json::Value::is_string)
        && ["event", "at", "outcome"]
            .iter()
            .all(|k| v.get(k).is_some_and(serde_json::Value::is_string))
}

/// What the chain needs of one line (with its `\n`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Facts {
    /// `seq` and `prev`, if the line has them.
    link: Option<(u64, Blake3)>,
    /// It is a JSON object with every entry's fields ([`has_entry_fields`]).
    fields: bool,
    hash: Blake3,
    /// When the entry says it was written, if that reads as a time.
    at: Option<jiff::Timestamp>,
}

/// Any JSON string, kept as nothing: the fields whose presence as strings is all that counts.
struct AnyString;

impl<'de> Deserialize<'de> for AnyString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = AnyString;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> std::result::Result<AnyString, E> {
                Ok(AnyString)
            }
        }
        d.deserialize_str(V)
    }
}

impl Facts {
    pub(super) fn of(line: &[u8]) -> Facts {
        /// Everything the chain checks, in one parse.
        #[derive(Deserialize)]
        #[allow(dead_code)] // read only to be checked
        struct Fast<'a> {
            seq: u64,
            prev: Blake3,
            event: AnyString,
            #[serde(borrow)]
            at: std::borrow::Cow<'a, str>,
            outcome: AnyString,
        }
        let hash = Blake3::of(line);
        // The fast parse decides only what the full one would decide the same way: an object
        // (a derived struct would also take an array), in UTF-8 and without `\u` escapes
        // (ignored fields are skipped unchecked, a lone surrogate too), without a repeated key
        // (the full parse keeps the last one). okuri writes no `\u` escapes.
        let object = line.trim_ascii_start().first() == Some(&b'{');
        if object
            && std::str::from_utf8(line).is_ok()
            && memchr::memmem::find(line, b"\\u").is_none()
            && let Ok(f) = serde_json::from_slice::<Fast>(line)
        {
            return Facts {
                link: Some((f.seq, f.prev)),
                fields: true,
                hash,
                at: f.at.parse().ok(),
            };
        }
        let link = parse_link(line).map(|(seq, prev, _)| (seq, prev));
        let value = serde_json::from_slice::<serde_json::Value>(line).ok();
        let fields = value.as_ref().is_some_and(has_entry_fields);
        let at = value
            .as_ref()
            .and_then(|v| v.get("at"))
            .and_then(serde_json::Value::as_str)
            .and_then(|t| t.parse().ok());
        Facts {
            link,
            fields,
            hash,
            at,
        }
    }

    /// The facts of a line, or, past `max_line` bytes, of a line too long to be an entry: it
    /// is hashed, never parsed.
    fn of_line(line: &[u8], max_line: usize) -> Facts {
        if line.len() > max_line {
            Facts::oversize(Blake3::of(line))
        } else {
            Facts::of(line)
        }
    }

    /// A line too long to be an entry (its hash was taken as it streamed past).
    fn oversize(hash: Blake3) -> Facts {
        Facts {
            link: None,
            fields: false,
            hash,
            at: None,
        }
    }
}

/// The fold over the lines' facts, in order: the first problem, and what the end of the record
/// must be compared with the head.
pub(super) struct Chain {
    /// Lines seen.
    n: u64,
    /// The hash of the last line, and that line's `prev`.
    last_hash: Option<Blake3>,
    last_prev: Option<Blake3>,
    /// What the next line's `prev` must be (once the chain is checked that far).
    expected_prev: Blake3,
    /// A line whose `prev` does not match: the next line (or the head) tells whether that line
    /// or the one before it was altered.
    pending: Option<(u64, Blake3)>,
    problem: Option<Problem>,
    /// The latest time an entry so far says, and the first entry dated well before it.
    latest: Option<jiff::Timestamp>,
    out_of_order: Option<u64>,
}

impl Default for Chain {
    fn default() -> Chain {
        Chain {
            n: 0,
            last_hash: None,
            last_prev: None,
            expected_prev: Blake3::ZERO,
            pending: None,
            problem: None,
            latest: None,
            out_of_order: None,
        }
    }
}

fn problem(entry: u64, message: Msg) -> Option<Problem> {
    Some(Problem { entry, message })
}

fn altered(bad: u64, seq: u64) -> Msg {
    msg!(
        "record-entry-altered",
        entry = bad,
        before = seq - 1,
        after = seq
    )
}

impl Chain {
    pub(super) fn push(&mut self, f: &Facts) {
        self.n += 1;
        let seq = self.n;
        self.last_hash = Some(f.hash);
        self.last_prev = f.link.map(|l| l.1);
        if self.problem.is_some() {
            return; // counted, for the totals; the first problem is the one reported
        }
        if let Some((at, hash)) = self.pending.take() {
            // Whether that line still hashes to what this one recorded.
            let intact = f.link.is_some_and(|(_, prev)| prev == hash);
            self.problem = problem(
                if intact { at - 1 } else { at },
                altered(if intact { at - 1 } else { at }, at),
            );
            return;
        }
        let Some((got_seq, prev)) = f.link else {
            self.problem = problem(seq, msg!("record-entry-unreadable", entry = seq));
            return;
        };
        if !f.fields {
            self.problem = problem(seq, msg!("record-entry-fields", entry = seq));
            return;
        }
        if got_seq != seq {
            self.problem = problem(seq, msg!("record-entry-moved", line = seq, holds = got_seq));
            return;
        }
        if prev != self.expected_prev {
            self.pending = Some((seq, f.hash));
            return;
        }
        self.expected_prev = f.hash;
        if let Some(at) = f.at {
            let skew = crate::signed::verify::CLOCK_SKEW;
            if self.out_of_order.is_none()
                && self
                    .latest
                    .is_some_and(|l| at.checked_add(skew).is_ok_and(|a| a < l))
            {
                self.out_of_order = Some(seq);
            }
            self.latest = Some(self.latest.map_or(at, |l| l.max(at)));
        }
    }

    /// The verdict, given the head and the length of a torn tail after the last line.
    pub(super) fn finish(mut self, head: Option<Head>, torn: Option<usize>) -> Verified {
        let n = self.n;
        if let Some((at, hash)) = self.pending.take() {
            // The last line's link is wrong: the head says whether the line itself changed.
            let intact = head.is_some_and(|h| h.seq == at && h.hash == hash);
            self.problem = problem(
                if intact { at - 1 } else { at },
                altered(if intact { at - 1 } else { at }, at),
            );
        }
        let mut out = Verified {
            entries: n,
            head: head.map(|h| h.seq),
            last_hash: self.last_hash,
            torn_tail_bytes: torn,
            head_lagging: false,
            out_of_order: self.out_of_order,
            problem: self.problem,
        };
        if out.problem.is_some() {
            return out;
        }
        // An interrupted append leaves at most one entry's bytes; more is not a crash, and no
        // writer will set it aside (tail.rs refuses it the same way).
        if let Some(t) = torn.filter(|t| *t > MAX_LINE) {
            out.problem = problem(
                n.saturating_add(1),
                msg!(
                    "record-torn-too-long",
                    bytes = t as u64,
                    max = MAX_LINE as u64
                ),
            );
            return out;
        }
        let last = Head {
            seq: n,
            hash: self.expected_prev,
        };
        match head {
            None if n == 0 => {}
            None if n == 1 => out.head_lagging = true,
            None => out.problem = problem(n, msg!("record-head-missing")),
            Some(h) if h == last => {}
            Some(h) if n.checked_sub(1) == Some(h.seq) && self.last_prev == Some(h.hash) => {
                out.head_lagging = true
            }
            Some(h) if h.seq > n => {
                out.problem = problem(
                    n.saturating_add(1),
                    msg!("record-cut-short", entries = n, head = h.seq),
                )
            }
            Some(h) if h.seq == n => {
                out.problem = problem(n, msg!("record-last-altered", entry = n))
            }
            Some(h) => {
                out.problem = problem(
                    h.seq.saturating_add(1),
                    msg!("record-past-head", head = h.seq),
                )
            }
        }
        out
    }
}

/// The lines of `bytes` (each with its `\n`), found with `memchr`; bytes after the last `\n`
/// are not a line.
pub(super) fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', bytes).map(move |end| {
        let line = &bytes[start..=end];
        start = end + 1;
        line
    })
}

/// The verification proper, on the record's bytes and its head.
pub fn verify_bytes(bytes: &[u8], head: Option<Head>) -> Verified {
    let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let torn = (complete < bytes.len()).then_some(bytes.len() - complete);
    let mut chain = Chain::default();
    for line in lines(&bytes[..complete]) {
        chain.push(&Facts::of_line(line, MAX_LINE));
    }
    chain.finish(head, torn)
}

/// The end of a record checked against its head, as `record verify` would judge it: the last
/// line, its link to the line before (when there is one; that line's own link is not
/// followed), and the head. The result's `entries` and `last_hash` are the last line's `seq`
/// and hash. Constant work, whatever the record's length.
pub(super) fn check_end(
    before: Option<(u64, &[u8])>,
    last: Option<&[u8]>,
    head: Option<Head>,
) -> Verified {
    let facts = |l: &[u8]| Facts::of_line(l, MAX_LINE);
    let Some(last) = last else {
        return Chain::default().finish(head, None);
    };
    let last = facts(last);
    let mut chain = Chain::default();
    if let Some((offset, before)) = before {
        let before = facts(before);
        // The file's first line is entry 1, after nothing. Any other line before the last is
        // trusted where it says it stands (else where the last line says, or the head): only
        // what the append extends is checked.
        if offset > 0 {
            chain.n = match (before.link, last.link, head) {
                (Some((seq, _)), _, _) => seq.saturating_sub(1),
                (None, Some((seq, _)), _) => seq.saturating_sub(2),
                (None, None, h) => h.map_or(0, |h| h.seq.saturating_sub(2)),
            };
            chain.expected_prev = before.link.map_or(Blake3::ZERO, |l| l.1);
        }
        chain.push(&before);
    }
    chain.push(&last);
    chain.finish(head, None)
}

/// Bytes read at a time, per core.
const CHUNK: usize = 8 << 20;
/// No entry okuri writes comes near this; a longer line is not parsed, only hashed and
/// reported, so that memory stays bounded whatever the file holds.
pub(super) const MAX_LINE: usize = 4 << 20;

/// Reads a file as chunks of whole lines (each chunk ends with `\n`), in bounded memory.
pub(super) struct Chunks<R> {
    reader: R,
    /// Bytes read after the last `\n` handed out: the start of the next line.
    carry: Vec<u8>,
    eof: bool,
    chunk: usize,
    max_line: usize,
    /// Buffers handed out and given back, to be filled again rather than allocated.
    spare: Vec<Vec<u8>>,
    /// The torn tail's length, once the end is reached.
    pub torn: Option<usize>,
}

/// One piece of the file: whole lines, or a line too long to hold, already hashed (and its
/// length, `\n` included).
pub(super) enum Piece {
    Lines(Vec<u8>),
    Oversize(Blake3, u64),
}

impl<R: Read> Chunks<R> {
    pub(super) fn new(reader: R) -> Chunks<R> {
        Chunks::sized(reader, CHUNK, MAX_LINE)
    }

    /// Chunks of about `chunk` bytes; a line longer than `max_line` is hashed, not held.
    pub(super) fn sized(reader: R, chunk: usize, max_line: usize) -> Chunks<R> {
        Chunks {
            reader,
            carry: Vec::new(),
            eof: false,
            chunk: chunk.max(1),
            max_line,
            spare: Vec::new(),
            torn: None,
        }
    }

    /// Takes back a piece's buffer once its lines are done with.
    pub(super) fn give_back(&mut self, piece: Piece) {
        if let Piece::Lines(b) = piece
            && self.spare.len() < 8
        {
            self.spare.push(b);
        }
    }

    fn fill(&mut self, want: usize) -> std::io::Result<()> {
        while !self.eof && self.carry.len() < want {
            let start = self.carry.len();
            self.carry.resize(want, 0);
            let got = loop {
                match self.reader.read(&mut self.carry[start..]) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    r => break r,
                }
            };
            let got = got.inspect_err(|_| self.carry.truncate(start))?;
            self.carry.truncate(start + got);
            self.eof = got == 0;
        }
        Ok(())
    }

    /// The next piece, or `None` at the end (then [`Chunks::torn`] is set).
    pub(super) fn next_piece(&mut self) -> std::io::Result<Option<Piece>> {
        self.fill(self.chunk)?;
        loop {
            if let Some(end) = memchr::memrchr(b'\n', &self.carry) {
                let mut rest = self.spare.pop().unwrap_or_default();
                rest.clear();
                rest.extend_from_slice(&self.carry[end + 1..]);
                self.carry.truncate(end + 1);
                return Ok(Some(Piece::Lines(std::mem::replace(&mut self.carry, rest))));
            }
            if self.eof {
                self.torn = (!self.carry.is_empty()).then_some(self.carry.len());
                return Ok(None);
            }
            if self.carry.len() > self.max_line {
                break;
            }
            self.fill(self.carry.len() + self.chunk)?;
        }
        // A line longer than any entry: it is hashed as it streams past, never held whole.
        let mut h = blake3::Hasher::new();
        let mut len = 0usize;
        loop {
            if let Some(end) = memchr::memchr(b'\n', &self.carry) {
                h.update(&self.carry[..=end]);
                self.carry.drain(..=end);
                let len = (len + end + 1) as u64;
                return Ok(Some(Piece::Oversize(Blake3::from(h.finalize()), len)));
            }
            if self.eof {
                self.torn = Some(len + self.carry.len());
                return Ok(None);
            }
            h.update(&self.carry);
            len += self.carry.len();
            self.carry.clear();
            self.fill(self.chunk)?;
        }
    }
}

/// The facts of every line in a piece.
fn facts_of(piece: &Piece, max_line: usize) -> Vec<Facts> {
    match piece {
        Piece::Lines(bytes) => lines(bytes).map(|l| Facts::of_line(l, max_line)).collect(),
        Piece::Oversize(hash, _) => vec![Facts::oversize(*hash)],
    }
}

/// Verifies a record as it streams from `reader`, on every core, in memory bounded by the
/// number of cores (at most four chunks at a time).
pub(super) fn verify_reader<R: Read>(
    reader: R,
    path: &std::path::Path,
    head: Option<Head>,
) -> Result<Verified> {
    verify_chunks(Chunks::new(reader), path, head)
}

fn verify_chunks<R: Read>(
    mut chunks: Chunks<R>,
    path: &std::path::Path,
    head: Option<Head>,
) -> Result<Verified> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let max_line = chunks.max_line;
    let read_batch = |chunks: &mut Chunks<R>| -> Result<Vec<Piece>> {
        let mut batch = Vec::with_capacity(cores);
        while batch.len() < cores
            && let Some(p) = chunks
                .next_piece()
                .map_err(|e| Error::io(IoOp::Read, path, e))?
        {
            batch.push(p);
        }
        Ok(batch)
    };
    let mut chain = Chain::default();
    let mut batch = read_batch(&mut chunks)?;
    while !batch.is_empty() {
        // Every piece of the batch on its own thread, while this one reads the next batch.
        let (facts, next) = std::thread::scope(|s| {
            let workers: Vec<_> = batch
                .iter()
                .map(|p| s.spawn(move || facts_of(p, max_line)))
                .collect();
            let next = read_batch(&mut chunks);
            // A worker only parses and hashes bytes; should one panic all the same, its
            // panic is the caller's.
            let facts: Vec<Vec<Facts>> = workers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect();
            (facts, next)
        });
        for f in facts.iter().flatten() {
            chain.push(f);
        }
        for p in batch {
            chunks.give_back(p);
        }
        batch = next?;
    }
    Ok(chain.finish(head, chunks.torn))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record of `n` chained lines, some of them long, and its head.
    fn record(n: u64) -> (Vec<u8>, Head) {
        let mut out = Vec::new();
        let mut prev = Blake3::ZERO;
        for seq in 1..=n {
            let pad = "x".repeat((seq as usize * 37) % 300);
            let line = format!(
                "{{\"seq\":{seq},\"prev\":\"{prev}\",\"event\":\"transfer\",\"at\":\"t\",\"outcome\":\"packed\",\"pad\":\"{pad}\"}}\n"
            );
            prev = Blake3::of(line.as_bytes());
            out.extend_from_slice(line.as_bytes());
        }
        (out, Head { seq: n, hash: prev })
    }

    fn same(a: &Verified, b: &Verified) -> bool {
        a.entries == b.entries
            && a.last_hash == b.last_hash
            && a.torn_tail_bytes == b.torn_tail_bytes
            && a.head_lagging == b.head_lagging
            && a.out_of_order == b.out_of_order
            && a.problem
                .as_ref()
                .map(|p| (p.entry, format!("{:?}", p.message)))
                == b.problem
                    .as_ref()
                    .map(|p| (p.entry, format!("{:?}", p.message)))
    }

    /// The streamed, parallel pass says exactly what the pass over the whole file says, for
    /// any chunk size, on intact and edited records, torn tails and lines too long to hold.
    #[test]
    fn streaming_agrees_with_the_whole_file_pass() {
        let (good, head) = record(40);
        let mut cases: Vec<(Vec<u8>, Option<Head>)> = vec![
            (good.clone(), Some(head)),
            (good.clone(), None),
            (Vec::new(), None),
            ([good.as_slice(), b"torn"].concat(), Some(head)),
        ];
        for at in [0usize, 17, 400, good.len() / 2, good.len() - 2] {
            let mut edited = good.clone();
            edited[at] ^= 1;
            cases.push((edited, Some(head)));
            let mut cut = good.clone();
            cut.drain(at..(at + 90).min(good.len()));
            cases.push((cut, Some(head)));
        }
        let mut long = good.clone();
        long.splice(500..500, std::iter::repeat_n(b'y', 5000));
        cases.push((long.clone(), Some(head)));
        cases.push(([good.as_slice(), &[b'z'; 5000]].concat(), Some(head)));
        let path = std::path::Path::new("test");
        for (i, (bytes, head)) in cases.iter().enumerate() {
            let whole = verify_bytes(bytes, *head);
            for chunk in [1usize, 7, 64, 1000, 1 << 20] {
                // Lines up to 1000 bytes are entries here; longer ones are only hashed.
                let streamed =
                    verify_chunks(Chunks::sized(&bytes[..], chunk, 1000), path, *head).unwrap();
                // A line too long to hold is no entry to either pass; the whole-file pass
                // parses it and finds that, the stream only hashes it.
                let expect = whole.problem.as_ref().map(|p| p.entry);
                assert_eq!(
                    streamed.problem.as_ref().map(|p| p.entry),
                    expect,
                    "case {i}, chunk {chunk}"
                );
                if !bytes.split(|b| *b == b'\n').any(|l| l.len() >= 1000) {
                    assert!(
                        same(&streamed, &whole),
                        "case {i}, chunk {chunk}: {streamed:?} {whole:?}"
                    );
                } else {
                    assert_eq!(streamed.entries, whole.entries, "case {i}, chunk {chunk}");
                    assert_eq!(
                        streamed.last_hash, whole.last_hash,
                        "case {i}, chunk {chunk}"
                    );
                }
            }
        }
    }

    /// An entry dated well before one above it is pointed out (once, the first), a few
    /// minutes back is a clock's drift and is not, and neither makes the record fail.
    #[test]
    fn an_entry_dated_before_one_above_it_is_pointed_out() {
        let at = |times: &[&str]| {
            let mut out = Vec::new();
            let mut prev = Blake3::ZERO;
            for (i, t) in times.iter().enumerate() {
                let line = format!(
                    "{{\"seq\":{},\"prev\":\"{prev}\",\"event\":\"transfer\",\"at\":\"{t}\",\"outcome\":\"packed\"}}\n",
                    i + 1
                );
                prev = Blake3::of(line.as_bytes());
                out.extend_from_slice(line.as_bytes());
            }
            let head = Head {
                seq: times.len() as u64,
                hash: prev,
            };
            verify_bytes(&out, Some(head))
        };
        let v = at(&[
            "2026-12-07T10:00:00+09:00",
            "2026-12-07T10:30:00+09:00",
            "2026-12-07T10:27:00+09:00",
            "2026-12-07T01:29:00Z",
            "2001-01-01T00:00:00+09:00",
            "2000-01-01T00:00:00+09:00",
        ]);
        assert!(v.ok(), "{v:?}");
        assert_eq!(v.out_of_order, Some(5));
        let v = at(&["2026-12-07T10:00:00+09:00", "2026-12-07T10:04:00+09:00"]);
        assert_eq!(v.out_of_order, None);
    }

    /// A torn tail longer than any entry is no interrupted write: both passes say so, as
    /// the writer does.
    #[test]
    fn a_torn_tail_longer_than_any_entry_is_a_problem() {
        let (good, head) = record(3);
        let bytes = [good.as_slice(), &vec![b'z'; MAX_LINE + 1]].concat();
        let whole = verify_bytes(&bytes, Some(head));
        assert_eq!(whole.problem.as_ref().map(|p| p.entry), Some(4));
        let path = std::path::Path::new("test");
        let streamed = verify_reader(&bytes[..], path, Some(head)).unwrap();
        assert_eq!(streamed.problem.map(|p| p.entry), Some(4));
        let short = [good.as_slice(), b"zz"].concat();
        assert!(verify_bytes(&short, Some(head)).ok());
    }

    /// The end of a record, checked alone, says what the whole pass says about its end.
    #[test]
    fn the_end_alone_is_judged_as_the_whole_pass_judges_it() {
        let (good, head) = record(5);
        let lines: Vec<&[u8]> = good.split_inclusive(|b| *b == b'\n').collect();
        let v = check_end(Some((9, lines[3])), Some(lines[4]), Some(head));
        assert!(v.ok() && v.entries == 5 && v.last_hash == Some(head.hash));
        // A head one behind is a crash between the line and the head: accepted.
        let behind = Head {
            seq: 4,
            hash: Blake3::of(lines[3]),
        };
        let v = check_end(Some((9, lines[3])), Some(lines[4]), Some(behind));
        assert!(v.ok() && v.head_lagging);
        // The last line edited, the head from elsewhere, lines swapped, the head missing.
        let mut edited = lines[4].to_vec();
        edited[20] ^= 1;
        assert_eq!(
            check_end(Some((9, lines[3])), Some(&edited), Some(head))
                .problem
                .unwrap()
                .entry,
            5
        );
        let other = Head {
            seq: 5,
            hash: Blake3::ZERO,
        };
        assert!(!check_end(Some((9, lines[3])), Some(lines[4]), Some(other)).ok());
        assert!(!check_end(Some((9, lines[4])), Some(lines[3]), Some(head)).ok());
        assert!(!check_end(Some((9, lines[3])), Some(lines[4]), None).ok());
        // A first line that is not entry 1: the start of the record was cut off.
        assert!(!check_end(None, Some(lines[4]), Some(head)).ok());
        // Two lines, the first not entry 1 (or not after nothing): not trusted as the start.
        let two = Head {
            seq: 5,
            hash: Blake3::of(lines[4]),
        };
        assert!(check_end(Some((100, lines[3])), Some(lines[4]), Some(two)).ok());
        assert!(!check_end(Some((0, lines[3])), Some(lines[4]), Some(two)).ok());
        let v = check_end(
            Some((0, lines[0])),
            Some(lines[1]),
            Some(Head {
                seq: 2,
                hash: Blake3::of(lines[1]),
            }),
        );
        assert!(v.ok() && v.entries == 2);
        assert!(check_end(None, Some(lines[0]), None).ok());
        assert!(check_end(None, None, None).ok());
        assert!(!check_end(None, None, Some(head)).ok());
    }
}
