//! The transfer record: an append-only JSON-Lines file in which each entry names the BLAKE3
//! of the line before it, so that an edited, deleted or reordered entry breaks the chain.
//!
//! Format (documented for auditors in docs/record.md):
//! - one JSON object per line, UTF-8, ending in `\n`;
//! - `seq` counts from 1; `prev` is the lower-case hex BLAKE3 of the previous line's bytes
//!   *including its `\n`* (64 zeros for the first), i.e. `sed -n "$((N-1))p" record.jsonl | b3sum`;
//! - `record.head` holds `<seq> <blake3 of that line>` of the last entry, so that a record cut
//!   short at the end is noticed too.
//!
//! Appending takes an exclusive lock on `record.lock`, writes the whole line with one `write`
//! on an `O_APPEND` descriptor, fsyncs, then updates the head. A crash can therefore leave (a)
//! a torn final line with no `\n`, which was never reported as success and is set aside into
//! `record.torn-<time>` by the next append, or (b) a head one entry behind, which the next
//! append brings up to date. Anything else is tampering and stops every writer.

use std::ffi::OsString;
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::base::channel::Channel;
use crate::base::class::Class;
use crate::base::digest::{Blake3, Sha256};
use crate::base::error::{Error, IoOp, Result};
use crate::base::ids::{MediumId, RequestId, StaffId, TokenId, TransferId};
use crate::base::message::Msg;
use crate::base::refusal::{Refusal, RefusalCode};
use crate::base::time::Time;
use crate::msg;
use crate::sys::fsutil;
use crate::sys::home::Home;

mod chain;
mod index;
mod tail;

pub use chain::{Problem, Verified, parse_link, verify_bytes};
pub use tail::last_lines;

/// The format of entries this okuri writes: 2 since refusals are stored as codes and
/// arguments, 3 since transfers are two-phase (`prepared`, `aborted`, `detail`) and names are
/// stored losslessly, 4 since an entry written without the city's signed documents says so
/// (`development`). Entries without a `format` field are format 1. A record holding an entry
/// of a later format than this okuri knows is not appended to: this okuri could misread it
/// (an older one would not count a `prepared` transfer's token as spent).
pub const FORMAT: u32 = 4;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A transfer's package and slip are about to be put in place (the first phase): the
    /// token is spent from here on, and a later entry says `packed` or `aborted`.
    Prepared,
    Packed,
    /// A prepared transfer whose outputs were removed, or never put in place.
    Aborted,
    Refused,
    Requested,
    Approved,
    Denied,
    Designated,
    Registered,
    Retired,
    Wiped,
    Exported,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Prepared => "prepared",
            Outcome::Packed => "packed",
            Outcome::Aborted => "aborted",
            Outcome::Refused => "refused",
            Outcome::Requested => "requested",
            Outcome::Approved => "approved",
            Outcome::Denied => "denied",
            Outcome::Designated => "designated",
            Outcome::Registered => "registered",
            Outcome::Retired => "retired",
            Outcome::Wiped => "wiped",
            Outcome::Exported => "exported",
        }
    }
}

/// Who signed, by id and key.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SignerRef {
    pub id: StaffId,
    pub name: String,
    pub department: String,
    pub key: crate::base::digest::Fingerprint,
}

/// The approval a transfer was packed under.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ApprovalRef {
    pub token_id: TokenId,
    pub request_id: RequestId,
    pub issuer: StaffId,
    pub key: crate::base::digest::Fingerprint,
    pub expires_at: Time,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Sender {
    pub name: String,
    pub department: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileInfo {
    #[serde(with = "crate::base::fsname")]
    pub name: OsString,
    #[serde(with = "crate::base::fsname")]
    pub path: PathBuf,
    pub size: u64,
    pub blake3: Blake3,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PackageInfo {
    #[serde(with = "crate::base::fsname")]
    pub name: OsString,
    #[serde(with = "crate::base::fsname")]
    pub path: PathBuf,
    pub size: u64,
    pub blake3: Blake3,
    pub sha256: Sha256,
    pub encrypted: bool,
    pub armor: bool,
}

/// Why something was refused, as stored.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Reason {
    /// Format 2: the refusal as facts (code, class, channel, the rule's id, and the message as
    /// id and arguments); `record show` renders it in the reader's language, so a change of
    /// wording never changes audit data.
    Refusal {
        code: RefusalCode,
        class: Class,
        channel: Option<Channel>,
        rule: String,
        message: Msg,
    },
    /// Format 1 (before okuri's messages moved to Fluent files): the code and the sentences
    /// shown then, kept verbatim so that old records still verify and show.
    Prose {
        code: String,
        ja: String,
        en: String,
    },
}

impl Reason {
    pub fn of(r: &Refusal) -> Reason {
        Reason::Refusal {
            code: r.code,
            class: r.class,
            channel: r.channel,
            rule: r.rule.id(),
            message: r.message.clone(),
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Reason::Refusal { code, .. } => code.as_str(),
            Reason::Prose { code, .. } => code,
        }
    }
}

/// One entry, without its place in the chain. Never holds a passphrase.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Body {
    pub at: Time,
    pub outcome: Outcome,
    pub transfer_id: TransferId,
    pub sender: Sender,
    pub user: String,
    pub host: String,
    pub file: FileInfo,
    pub class: Class,
    pub class_source: String,
    pub recipient: String,
    /// The recipient's id and contract when they are in the recipient register.
    pub recipient_id: Option<String>,
    pub contract: Option<String>,
    pub channel: Channel,
    pub purpose: Option<String>,
    pub legal_basis: Option<String>,
    pub policy: Blake3,
    pub approval: Option<ApprovalRef>,
    /// The registered medium the package was written to (channel `media`).
    pub medium: Option<MediumId>,
    pub package: Option<PackageInfo>,
    /// Where the slip went: a path, or "terminal". Never its content.
    #[serde(with = "crate::base::fsname::option")]
    pub slip: Option<PathBuf>,
    pub reason: Option<Reason>,
    /// Why a prepared transfer was aborted, or that its outcome was found on disk by a later
    /// run (after a crash); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Msg>,
    /// The approval token was used without the approval service (it could not be reached and
    /// the rules allow it for the class): the service learns of the use from this entry when
    /// the record is next witnessed. Absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub token_offline: bool,
    /// An approval service is configured but could not be asked for the designations the
    /// city knows of the file: only the ones on this machine were counted. Absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub designations_unasked: bool,
}

/// A request for approval written by `okuri request` (outcome `requested` or `refused`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RequestEntry {
    pub at: Time,
    pub outcome: Outcome,
    pub request_id: RequestId,
    pub user: String,
    pub host: String,
    /// The request as written, without its place in any file system.
    pub request: crate::signed::approval::Request,
    pub reason: Option<Reason>,
}

/// A custodian's decision (outcome `approved`, `denied`, or `refused` when okuri would not
/// let the custodian sign).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DecisionEntry {
    pub at: Time,
    pub outcome: Outcome,
    pub request_id: RequestId,
    pub custodian: Option<SignerRef>,
    pub user: String,
    pub host: String,
    pub request: crate::signed::approval::Request,
    pub token_id: Option<TokenId>,
    pub expires_at: Option<Time>,
    /// Why okuri would not let the custodian sign (outcome `refused`); in format 1 also a
    /// denial's words, with code `denied`.
    pub reason: Option<Reason>,
    /// The custodian's own words for a denial (format 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denial: Option<String>,
    pub policy: Blake3,
}

/// An information officer's signed class designation (outcome `designated`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DesignationEntry {
    pub at: Time,
    pub outcome: Outcome,
    pub officer: SignerRef,
    pub user: String,
    pub host: String,
    pub file: FileInfo,
    pub class: Class,
    pub department: String,
    #[serde(with = "crate::base::fsname")]
    pub stored: PathBuf,
}

/// A removable medium registered or retired.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct MediumEntry {
    pub at: Time,
    pub outcome: Outcome,
    pub medium_id: MediumId,
    pub label: String,
    pub user: String,
    pub host: String,
    /// Who acted: the custodian's id.
    pub by: String,
    pub device: Option<crate::sys::device::DeviceId>,
    #[serde(with = "crate::base::fsname::vec")]
    pub files: Vec<PathBuf>,
    pub reason: Option<String>,
}

impl MediumEntry {
    /// An entry about `medium_id` made on this machine by its OS account, acting for `by`;
    /// no device, files or reason until the caller adds them.
    pub fn here(
        at: Time,
        outcome: Outcome,
        medium_id: MediumId,
        label: String,
        by: String,
    ) -> MediumEntry {
        MediumEntry {
            at,
            outcome,
            medium_id,
            label,
            user: crate::sys::host::os_user(),
            host: crate::sys::host::host(),
            by,
            device: None,
            files: Vec::new(),
            reason: None,
        }
    }
}

/// What an entry is about. Stored as `"event": "transfer" | "request" | "decision" |
/// "designation"` beside the event's own fields.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum Event {
    Transfer(Body),
    Request(RequestEntry),
    Decision(DecisionEntry),
    Designation(DesignationEntry),
    Medium(MediumEntry),
}

impl Event {
    pub fn at(&self) -> &Time {
        match self {
            Event::Transfer(b) => &b.at,
            Event::Request(r) => &r.at,
            Event::Decision(d) => &d.at,
            Event::Designation(d) => &d.at,
            Event::Medium(m) => &m.at,
        }
    }

    pub fn outcome(&self) -> Outcome {
        match self {
            Event::Transfer(b) => b.outcome,
            Event::Request(r) => r.outcome,
            Event::Decision(d) => d.outcome,
            Event::Designation(d) => d.outcome,
            Event::Medium(m) => m.outcome,
        }
    }
}

/// An entry as stored: its place in the chain first, then the event.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub seq: u64,
    pub prev: Blake3,
    /// The entry format ([`FORMAT`]); 1 when absent.
    #[serde(default = "format_1")]
    pub format: u32,
    /// Written in development mode: on a machine with no trust anchor, under rules no one
    /// signed (policy::city). An anchored service refuses to witness such an entry.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub development: bool,
    #[serde(flatten)]
    pub event: Event,
}

fn format_1() -> u32 {
    1
}

/// What an append produced.
#[derive(Clone, Debug)]
pub struct Appended {
    pub seq: u64,
    pub hash: Blake3,
    /// The entry is durable but `record.head` could not be updated (why); the next append
    /// brings it up to date.
    pub head_stale: Option<Msg>,
}

/// The last entry as the head file remembers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub seq: u64,
    pub hash: Blake3,
}

impl Head {
    /// Reads `record.head`: `SEQ HASH`, nothing else.
    pub fn parse(text: &str) -> Option<Head> {
        let mut it = text.split_whitespace();
        let seq = it.next()?.parse().ok()?;
        let hash = it.next()?.parse().ok()?;
        it.next().is_none().then_some(Head { seq, hash })
    }

    fn render(&self) -> String {
        format!("{} {}\n", self.seq, self.hash)
    }
}

/// The transfer record of one home.
pub struct Record {
    path: PathBuf,
    head_path: PathBuf,
    lock_path: PathBuf,
    index_path: PathBuf,
    home_root: PathBuf,
    /// No trust anchor is installed: entries say they were written in development mode.
    development: bool,
}

/// Held while writing: the exclusive lock, released on drop.
pub struct Writer<'r> {
    record: &'r Record,
    file: File,
    /// The record's length in bytes after the last complete entry.
    len: u64,
    /// The last append could not update `record.head`. The head may lag by one entry only,
    /// so the next append must bring it up to date before it writes.
    head_behind: bool,
    _lock: File,
    last: Head,
    /// Transfers prepared and without an outcome, as of `len`.
    open: Vec<index::Open>,
    /// What `record.index` said was open, and the lines read past it: whether to save it again.
    open_before: Vec<u64>,
    lines_read: u64,
    indexed: bool,
    /// Set when a torn tail was set aside, for a warning.
    pub torn_set_aside: Option<PathBuf>,
    /// Transfers an interrupted run left prepared, and the outcome this writer recorded for
    /// each from what it found on disk.
    pub reconciled: Vec<(TransferId, Outcome)>,
}

/// Bytes read at a time from the end of the record.
const TAIL_BLOCK: u64 = 64 * 1024;

impl Record {
    pub fn new(home: &Home) -> Record {
        Record {
            path: home.record_path(),
            head_path: home.head_path(),
            lock_path: home.lock_path(),
            index_path: home.root().join("record.index"),
            home_root: home.root().to_path_buf(),
            development: !crate::policy::city::anchored(),
        }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    fn read_head(&self) -> Result<Option<Head>> {
        match std::fs::read_to_string(&self.head_path) {
            Ok(t) => Head::parse(&t).map(Some).ok_or_else(|| {
                Error::integrity(msg!("record-head-invalid", path = &self.head_path))
                    .with_hint(msg!("hint-record-verify-report"))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(IoOp::Read, &self.head_path, e)),
        }
    }

    /// Takes the single-writer lock, repairs what a crash may have left, and checks the end of
    /// the chain against the head before anything is appended.
    ///
    /// Only the end is checked: the last line against the head and its link to the line
    /// before, in constant time and memory, so that a year of transfers does not make each
    /// one slower. Nothing is appended after an end that was edited, cut or extended by hand;
    /// an edit further back is found by `record verify` and by the witness, not here.
    pub fn writer(&self) -> Result<Writer<'_>> {
        fsutil::create_dir(&self.home_root, 0o700)?;
        let lock = fsutil::open_append(&self.lock_path)?;
        lock.lock()
            .map_err(|e| Error::io(IoOp::Lock, &self.lock_path, e))?;
        let file = fsutil::open_append(&self.path)?;
        let len = file
            .metadata()
            .map_err(|e| Error::io(IoOp::Read, &self.path, e))?
            .len();
        let head = self.read_head()?;
        let mut back = tail::Backwards::new(&file, &self.path, len, TAIL_BLOCK)?;
        let torn = std::mem::take(&mut back.torn);
        let complete = back.end();
        let last_line = back.next_line()?.map(|l| l.1);
        let before = match &last_line {
            Some(_) => back.next_line()?,
            None => None,
        };
        let v = chain::check_end(
            before.as_ref().map(|(at, l)| (*at, l.as_slice())),
            last_line.as_deref(),
            head,
        );
        if let Some(p) = &v.problem {
            return Err(Error::integrity(msg!(
                "record-failed",
                path = &self.path,
                entry = p.entry
            ))
            .with_hint(p.message.clone())
            .with_hint(msg!("hint-record-nothing-written")));
        }
        // No writer appends after an entry of a format newer than it knows, so the last entry
        // has the newest format in the record.
        #[derive(Deserialize)]
        struct Format {
            format: Option<u32>,
        }
        if let Some(f) = last_line
            .as_deref()
            .and_then(|l| serde_json::from_slice::<Format>(l).ok())
            .and_then(|f| f.format)
            && f > FORMAT
        {
            return Err(Error::invalid(msg!(
                "record-newer-format",
                path = &self.path,
                format = f,
                known = FORMAT
            ))
            .with_hint(msg!("record-newer-format-hint")));
        }
        let mut torn_set_aside = None;
        if !torn.is_empty() {
            // An interrupted append: it never reported success, so no entry is lost by
            // setting it aside. It is kept, not deleted, for whoever investigates.
            let stamp = jiff::Timestamp::now().as_millisecond();
            let aside = self.home_root.join(format!("record.torn-{stamp}"));
            fsutil::write_new(&aside, &torn)?;
            file.set_len(complete)
                .and_then(|_| file.sync_all())
                .map_err(|e| Error::io(IoOp::Repair, &self.path, e))?;
            torn_set_aside = Some(aside);
        }
        let last = Head {
            seq: v.entries,
            hash: v.last_hash.unwrap_or(Blake3::ZERO),
        };
        let state = index::load(&self.index_path, &file, &self.path, complete)?;
        let mut w = Writer {
            record: self,
            file,
            len: complete,
            head_behind: false,
            _lock: lock,
            last,
            open_before: state.indexed_open,
            open: state.open,
            lines_read: state.lines_read,
            indexed: state.indexed,
            torn_set_aside,
            reconciled: Vec::new(),
        };
        for prepared in w.open.clone() {
            // Settled once: an outcome appended for an earlier one may have closed this too.
            if !w.open.iter().any(|o| o.seq == prepared.seq) {
                continue;
            }
            let Some((outcome, detail)) = reconcile(&prepared.body) else {
                continue;
            };
            w.append(Event::Transfer(Body {
                at: Time::of(&crate::sys::hooks::now()),
                outcome,
                detail: Some(detail),
                ..prepared.body.clone()
            }))?;
            w.reconciled.push((prepared.body.transfer_id, outcome));
        }
        Ok(w)
    }

    /// Every transfer that produced a package, oldest first.
    pub fn packed(&self) -> Result<Vec<Body>> {
        Ok(self
            .entries()?
            .into_iter()
            .filter_map(|e| match e.event {
                Event::Transfer(b) if b.outcome == Outcome::Packed => Some(b),
                _ => None,
            })
            .collect())
    }

    /// The entry (its `seq`) that prepared or packed a transfer under this approval token, if
    /// any: a token is spent once its transfer is prepared, whatever became of it. Single
    /// use is checked against the record itself, so it survives a restart and needs no separate
    /// state. A line today's types do not read counts too, by its JSON: an entry this okuri
    /// cannot type must never make a used token look unused.
    ///
    /// The record is read from its end back to the entries written before the token was signed
    /// (`issued_at`, less twice the clock skew a signature may have): no entry older than its
    /// token can have spent it, so the cost is the entries written while the token was valid.
    pub fn token_used(&self, token_id: &TokenId, issued_at: &Time) -> Result<Option<u64>> {
        let file = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(IoOp::Read, &self.path, e)),
        };
        let len = file
            .metadata()
            .map_err(|e| Error::io(IoOp::Read, &self.path, e))?
            .len();
        let skew = crate::signed::verify::CLOCK_SKEW;
        let since = issued_at
            .at()
            .checked_sub(skew)
            .and_then(|t| t.checked_sub(skew))
            .unwrap_or(jiff::Timestamp::MIN);
        #[derive(Deserialize)]
        struct At {
            at: Time,
        }
        // Token ids are `tok-` and hex, which JSON writes as they are.
        let id = memchr::memmem::Finder::new(token_id.as_str().as_bytes());
        let mut back = tail::Backwards::new(&file, &self.path, len, TAIL_BLOCK)?;
        let mut found = None;
        while let Some((_, line)) = back.next_line()? {
            if id.find(&line).is_some() {
                match Line::parse(&line) {
                    // The first use is the one to name: read on back to it.
                    Some(l) => found = l.spends(token_id).or(found),
                    None => {
                        return Err(Error::integrity(msg!(
                            "record-tail-unreadable",
                            path = &self.path
                        ))
                        .with_hint(msg!("hint-record-verify-report")));
                    }
                }
            }
            if serde_json::from_slice::<At>(&line).is_ok_and(|a| a.at.at() < since) {
                break;
            }
        }
        Ok(found)
    }

    /// Reads every entry, verifying nothing. For `record show`.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        Ok(self
            .lines()?
            .into_iter()
            .filter_map(|l| match l {
                Line::Entry(e) => Some(*e),
                Line::Other(_) => None,
            })
            .collect())
    }

    /// Every complete line, as an entry this okuri reads, or as the JSON it is. A record keeps
    /// what was written when it was written (a format 1 refusal of a forged token holds the
    /// forger's ids as they were), so a line that is not an entry of today's types is shown,
    /// not refused; the chain alone says whether it was altered.
    pub fn lines(&self) -> Result<Vec<Line>> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(IoOp::Read, &self.path, e)),
        };
        let mut out = Vec::new();
        for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
            if !line.ends_with(b"\n") {
                break; // a torn tail is not an entry
            }
            match Line::parse(line) {
                Some(l) => out.push(l),
                None => {
                    return Err(Error::integrity(msg!("record-line-invalid", line = i + 1))
                        .with_hint(msg!("hint-record-verify")));
                }
            }
        }
        Ok(out)
    }

    /// The BLAKE3 of entry `seq`'s line (with its `\n`), if the record has that many. Read as
    /// a stream: memory stays flat however long the record is.
    pub fn line_hash(&self, seq: u64) -> Result<Option<Blake3>> {
        let file = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(IoOp::Read, &self.path, e)),
        };
        let mut chunks = chain::Chunks::new(file);
        let mut n = 0u64;
        while let Some(piece) = chunks
            .next_piece()
            .map_err(|e| Error::io(IoOp::Read, &self.path, e))?
        {
            match piece {
                chain::Piece::Lines(bytes) => {
                    for line in chain::lines(&bytes) {
                        n += 1;
                        if n == seq {
                            return Ok(Some(Blake3::of(line)));
                        }
                    }
                }
                chain::Piece::Oversize(hash, _) => {
                    n += 1;
                    if n == seq {
                        return Ok(Some(hash));
                    }
                }
            }
        }
        Ok(None)
    }

    /// Checks the whole chain and the head, streaming the record on every core. See
    /// [`Verified`].
    pub fn verify(&self) -> Result<Verified> {
        // A shared lock: no writer appends while the record and its head are read, so a pack
        // running meanwhile is not taken for entries added behind the head's back. A record
        // that never had a writer has no lock file, and none is made here.
        let _lock = match File::open(&self.lock_path) {
            Ok(l) => {
                l.lock_shared()
                    .map_err(|e| Error::io(IoOp::Lock, &self.lock_path, e))?;
                Some(l)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(IoOp::Open, &self.lock_path, e)),
        };
        let head = self.read_head()?;
        match File::open(&self.path) {
            Ok(f) => chain::verify_reader(f, &self.path, head),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(verify_bytes(&[], head)),
            Err(e) => Err(Error::io(IoOp::Read, &self.path, e)),
        }
    }
}

impl Writer<'_> {
    /// The sequence number the next entry will get.
    pub fn next_seq(&self) -> u64 {
        self.last.seq.saturating_add(1)
    }

    /// Appends one entry and makes it durable before returning.
    pub fn append(&mut self, event: Event) -> Result<Appended> {
        if self.head_behind {
            fsutil::replace(&self.record.head_path, self.last.render().as_bytes())?;
            self.head_behind = false;
        }
        // A record that claims the last number there is cannot be extended (and was made so
        // by hand: nobody writes 2^64 entries).
        let seq = self.last.seq.checked_add(1).ok_or_else(|| {
            Error::integrity(msg!("record-full", path = &self.record.path))
                .with_hint(msg!("hint-record-verify-report"))
        })?;
        let entry = Entry {
            seq,
            prev: self.last.hash,
            format: FORMAT,
            development: self.record.development,
            event,
        };
        // Names are stored losslessly (base::fsname), so this cannot fail on any file name;
        // should a future field not serialize, the caller gets an error, never a panic.
        let mut line = serde_json::to_vec(&entry)
            .map_err(|e| Error::failure(msg!("record-entry-unwritable")).with_source(e))?;
        line.push(b'\n');
        let path = &self.record.path;
        // One write on an O_APPEND descriptor: a crash leaves all of it or a torn prefix.
        if let Err(e) = self
            .file
            .write_all(&line)
            .and_then(|_| self.file.sync_all())
        {
            // A full disk can take part of the line: cut it off again, so that the record
            // stays whole and the caller may still append (an `aborted` entry) once there is
            // room. If even that fails, the next writer sets the torn tail aside.
            let _ = self
                .file
                .set_len(self.len)
                .and_then(|_| self.file.sync_all());
            return Err(Error::io(IoOp::Append, path, e));
        }
        if let Event::Transfer(b) = &entry.event {
            index::track(&mut self.open, entry.seq, self.len, b);
        }
        self.len += line.len() as u64;
        self.lines_read += 1;
        let hash = Blake3::of(&line);
        self.last = Head {
            seq: entry.seq,
            hash,
        };
        crate::sys::hooks::crash_point("record-line");
        // The entry is durable: from here it happened, whatever becomes of the head. A head
        // left one entry behind is expected after a crash and brought up to date by the next
        // append, so failing to write it (a full disk) must not make the caller undo what
        // the entry records.
        let head_stale = fsutil::replace(&self.record.head_path, self.last.render().as_bytes())
            .err()
            .map(|e| e.message().clone());
        self.head_behind = head_stale.is_some();
        Ok(Appended {
            seq: entry.seq,
            hash,
            head_stale,
        })
    }
}

impl Drop for Writer<'_> {
    /// Saves `record.index` (still under the lock) when there was none, when the open
    /// transfers changed, or when enough lines were read past it that the next writer would
    /// notice.
    fn drop(&mut self) {
        let open: Vec<u64> = self.open.iter().map(|o| o.seq).collect();
        if !self.indexed || open != self.open_before || self.lines_read >= index::REFRESH_AFTER {
            index::save(&self.record.index_path, self.last, self.len, &self.open);
        }
    }
}

/// Decides a prepared transfer's outcome from the disk, or `None` to leave it open because
/// the disk cannot say (the output directory is gone: a medium that is not mounted).
///
/// The outputs are put in place slip first, package last, so a package that is there with the
/// prepared digest means the slip was written too: the transfer was packed. A slip shown on
/// the terminal is shown only after `packed`, so such a package was never usable and goes.
/// Anything less is aborted, and what it left is removed: a slip without its package, a
/// package with the prepared digest; the entry says which. Only regular files of this user are
/// removed, never through a symbolic link; a file at the package's path with other contents is
/// not the transfer's and stays.
fn reconcile(p: &Body) -> Option<(Outcome, Msg)> {
    use std::os::unix::fs::MetadataExt;
    let Some(pkg) = &p.package else {
        return Some((
            Outcome::Aborted,
            msg!("record-reconciled-aborted", removed = "nothing"),
        ));
    };
    let slip = p.slip.as_ref().filter(|s| s.as_os_str() != "terminal");
    let dirs: Vec<PathBuf> = std::iter::once(&pkg.path)
        .chain(slip)
        .map(|f| fsutil::parent_dir(f))
        .collect();
    if dirs.iter().any(|d| !d.is_dir()) {
        return None;
    }
    // The temporary files the killed run left there (a slip's holds the passphrase).
    for d in &dirs {
        fsutil::sweep_stale(d);
    }
    let me = rustix::process::geteuid().as_raw();
    let own_file = |f: &std::path::Path| {
        std::fs::symlink_metadata(f).is_ok_and(|m| m.is_file() && m.uid() == me)
    };
    let ours = own_file(&pkg.path)
        && fsutil::open_no_follow(&pkg.path)
            .ok()
            .filter(|f| {
                f.metadata()
                    .is_ok_and(|m| m.is_file() && m.len() == pkg.size)
            })
            .and_then(|f| {
                let mut h = blake3::Hasher::new();
                h.update_reader(f).ok()?;
                Some(Blake3::from(h.finalize()))
            })
            == Some(pkg.blake3);
    let slip_file = slip.filter(|s| own_file(s));
    let terminal = p.slip.as_ref().is_some_and(|s| s.as_os_str() == "terminal");
    if ours && !terminal && slip.is_none_or(|_| slip_file.is_some()) {
        return Some((Outcome::Packed, msg!("record-reconciled-packed")));
    }
    let removed_package = ours && std::fs::remove_file(&pkg.path).is_ok();
    let removed_slip = slip_file.is_some_and(|s| std::fs::remove_file(s).is_ok());
    let removed = match (removed_slip, removed_package) {
        (true, true) => "slip-and-package",
        (true, false) => "slip",
        (false, true) => "package",
        (false, false) => "nothing",
    };
    Some((
        Outcome::Aborted,
        msg!("record-reconciled-aborted", removed = removed),
    ))
}

/// A line of the record: an entry this okuri reads, or one it shows as the JSON it is.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Line {
    Entry(Box<Entry>),
    Other(serde_json::Value),
}

impl Line {
    /// A line as an entry, or as JSON with every entry's fields; `None` if it is neither.
    pub fn parse(line: &[u8]) -> Option<Line> {
        match serde_json::from_slice::<Entry>(line) {
            Ok(e) => Some(Line::Entry(Box::new(e))),
            Err(_) => match serde_json::from_slice::<serde_json::Value>(line) {
                Ok(v) if chain::has_entry_fields(&v) => Some(Line::Other(v)),
                Ok(_) | Err(_) => None,
            },
        }
    }

    /// The entry's `seq` if it prepared or packed a transfer under this approval token.
    fn spends(&self, token_id: &TokenId) -> Option<u64> {
        match self {
            Line::Entry(e) => matches!(&e.event, Event::Transfer(b)
                if matches!(b.outcome, Outcome::Prepared | Outcome::Packed)
                    && b.approval.as_ref().is_some_and(|a| a.token_id == *token_id))
            .then_some(e.seq),
            Line::Other(v) => (v["event"] == "transfer"
                && (v["outcome"] == "packed" || v["outcome"] == "prepared")
                && v["approval"]["token_id"] == token_id.as_str())
            .then(|| v["seq"].as_u64())
            .flatten(),
        }
    }
}

/// The rules an entry was made under, as it names them: a transfer's or decision's `policy`,
/// a request's `request.policy`; `None` for entries that name none (designations, media).
pub fn rules_of(line: &[u8]) -> Option<Blake3> {
    #[derive(Deserialize)]
    struct Req {
        policy: Blake3,
    }
    #[derive(Deserialize)]
    struct Named {
        policy: Option<Blake3>,
        request: Option<Req>,
    }
    let n: Named = serde_json::from_slice(line).ok()?;
    n.policy.or(n.request.map(|r| r.policy))
}
