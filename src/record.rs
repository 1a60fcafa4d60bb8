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
use std::io::{Read, Seek, SeekFrom, Write};
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
    /// Set when a torn tail was set aside, for a warning.
    pub torn_set_aside: Option<PathBuf>,
    /// Transfers an interrupted run left prepared, and the outcome this writer recorded for
    /// each from what it found on disk.
    pub reconciled: Vec<(TransferId, Outcome)>,
}

impl Record {
    pub fn new(home: &Home) -> Record {
        Record {
            path: home.record_path(),
            head_path: home.head_path(),
            lock_path: home.lock_path(),
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
    pub fn writer(&self) -> Result<Writer<'_>> {
        fsutil::create_dir(&self.home_root, 0o700)?;
        let lock = fsutil::open_append(&self.lock_path)?;
        lock.lock()
            .map_err(|e| Error::io(IoOp::Lock, &self.lock_path, e))?;
        let mut file = fsutil::open_append(&self.path)?;
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_end(&mut bytes))
            .map_err(|e| Error::io(IoOp::Read, &self.path, e))?;
        // The whole chain is checked before every append: nothing is ever added to a record
        // that was edited, and a torn tail is only set aside once the rest is known intact.
        let head = self.read_head()?;
        let v = verify_bytes(&bytes, head);
        if let Some(p) = &v.problem {
            return Err(Error::integrity(msg!(
                "record-failed",
                path = &self.path,
                entry = p.entry
            ))
            .with_hint(p.message.clone())
            .with_hint(msg!("hint-record-nothing-written")));
        }
        let complete = &bytes[..bytes.len() - v.torn_tail_bytes.unwrap_or(0)];
        let (newest, unfinished) = open_ends(complete);
        if let Some(f) = newest
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
        if v.torn_tail_bytes.is_some() {
            // An interrupted append: it never reported success, so no entry is lost by
            // setting it aside. It is kept, not deleted, for whoever investigates.
            let complete = bytes.len() - v.torn_tail_bytes.unwrap_or(0);
            let stamp = jiff::Timestamp::now().as_millisecond();
            let aside = self.home_root.join(format!("record.torn-{stamp}"));
            fsutil::write_new(&aside, &bytes[complete..])?;
            file.set_len(complete as u64)
                .and_then(|_| file.sync_all())
                .map_err(|e| Error::io(IoOp::Repair, &self.path, e))?;
            torn_set_aside = Some(aside);
        }
        let last = Head {
            seq: v.entries,
            hash: v.last_hash.unwrap_or(Blake3::ZERO),
        };
        let len = file
            .metadata()
            .map_err(|e| Error::io(IoOp::Read, &self.path, e))?
            .len();
        let mut w = Writer {
            record: self,
            file,
            len,
            head_behind: false,
            _lock: lock,
            last,
            torn_set_aside,
            reconciled: Vec::new(),
        };
        for prepared in unfinished {
            let Some((outcome, detail)) = reconcile(&prepared) else {
                continue;
            };
            w.append(Event::Transfer(Body {
                at: Time::of(&crate::sys::hooks::now()),
                outcome,
                detail: Some(detail),
                ..prepared.clone()
            }))?;
            w.reconciled.push((prepared.transfer_id, outcome));
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
    pub fn token_used(&self, token_id: &TokenId) -> Result<Option<u64>> {
        Ok(self.lines()?.into_iter().find_map(|l| match l {
            Line::Entry(e) => matches!(&e.event, Event::Transfer(b)
                if matches!(b.outcome, Outcome::Prepared | Outcome::Packed)
                    && b.approval.as_ref().is_some_and(|a| a.token_id == *token_id))
            .then_some(e.seq),
            Line::Other(v) => (v["event"] == "transfer"
                && (v["outcome"] == "packed" || v["outcome"] == "prepared")
                && v["approval"]["token_id"] == token_id.as_str())
            .then(|| v["seq"].as_u64())
            .flatten(),
        }))
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
            match serde_json::from_slice::<Entry>(line) {
                Ok(e) => out.push(Line::Entry(Box::new(e))),
                Err(_) => match serde_json::from_slice::<serde_json::Value>(line) {
                    Ok(v) if has_entry_fields(&v) => out.push(Line::Other(v)),
                    Ok(_) | Err(_) => {
                        return Err(Error::integrity(msg!("record-line-invalid", line = i + 1))
                            .with_hint(msg!("hint-record-verify")));
                    }
                },
            }
        }
        Ok(out)
    }

    /// The BLAKE3 of entry `seq`'s line (with its `\n`), if the record has that many.
    pub fn line_hash(&self, seq: u64) -> Result<Option<Blake3>> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(Error::io(IoOp::Read, &self.path, e)),
        };
        Ok(bytes
            .split_inclusive(|b| *b == b'\n')
            .filter(|l| l.ends_with(b"\n"))
            .nth((seq as usize).wrapping_sub(1))
            .map(Blake3::of))
    }

    /// Checks the whole chain and the head. See [`Verified`].
    pub fn verify(&self) -> Result<Verified> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(Error::io(IoOp::Read, &self.path, e)),
        };
        let head = self.read_head()?;
        Ok(verify_bytes(&bytes, head))
    }
}

impl Writer<'_> {
    /// The sequence number the next entry will get.
    pub fn next_seq(&self) -> u64 {
        self.last.seq + 1
    }

    /// Appends one entry and makes it durable before returning.
    pub fn append(&mut self, event: Event) -> Result<Appended> {
        if self.head_behind {
            fsutil::replace(&self.record.head_path, self.last.render().as_bytes())?;
            self.head_behind = false;
        }
        let entry = Entry {
            seq: self.last.seq + 1,
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
        self.len += line.len() as u64;
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

/// What one pass over the record's complete lines says before an append: the highest entry
/// format in it (if any line names one), and the transfers that were prepared and have no
/// outcome yet (a run was interrupted — killed, a power cut, a disk that filled — between the
/// two phases).
fn open_ends(bytes: &[u8]) -> (Option<u32>, Vec<Body>) {
    #[derive(Deserialize)]
    struct Format {
        format: Option<u32>,
    }
    let mut newest = None;
    let mut open: Vec<Body> = Vec::new();
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        let (format, event) = match serde_json::from_slice::<Entry>(line) {
            Ok(e) => (Some(e.format), Some(e.event)),
            Err(_) => (
                serde_json::from_slice::<Format>(line)
                    .ok()
                    .and_then(|f| f.format),
                None,
            ),
        };
        newest = newest.max(format);
        let Some(Event::Transfer(b)) = event else {
            continue;
        };
        match b.outcome {
            Outcome::Prepared => open.push(b),
            Outcome::Packed | Outcome::Aborted => open.retain(|p| p.transfer_id != b.transfer_id),
            _ => {}
        }
    }
    (newest, open)
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
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
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
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    let ours = own_file(&pkg.path)
        && std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(flags.bits() as i32)
            .open(&pkg.path)
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

/// Does a line have what every entry of every format has: its place in the chain, what it
/// is about, when, and what happened? The rest of an entry is checked by the chain.
fn has_entry_fields(v: &serde_json::Value) -> bool {
    v.get("seq").is_some_and(serde_json::Value::is_u64)
        && v.get("prev").is_some_and(serde_json::Value::is_string)
        && ["event", "at", "outcome"]
            .iter()
            .all(|k| v.get(k).is_some_and(serde_json::Value::is_string))
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

/// The last `n` complete lines of the record at `path` (each with its `\n`), oldest first,
/// read backwards from the end in blocks: the cost is what is read, not the record's length.
/// A torn tail (bytes after the last `\n`) is not a line. Fewer lines if the record has fewer.
pub fn last_lines(path: &std::path::Path, n: u64) -> Result<Vec<Vec<u8>>> {
    last_lines_in(path, n, 64 * 1024)
}

fn last_lines_in(path: &std::path::Path, n: u64, block: u64) -> Result<Vec<Vec<u8>>> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(IoOp::Read, path, e)),
    };
    let len = f
        .metadata()
        .map_err(|e| Error::io(IoOp::Read, path, e))?
        .len();
    // Blocks are read back from the end, newest first, until they hold n + 1 line ends (the
    // end of the line before the first one wanted) or the file's start; the count grows with
    // each block, and the blocks are joined once.
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    let mut ends = 0u64;
    let mut start = len;
    while start > 0 && n > 0 && ends <= n {
        let from = start.saturating_sub(block);
        let mut buf = vec![0u8; (start - from) as usize];
        f.seek(SeekFrom::Start(from))
            .and_then(|_| f.read_exact(&mut buf))
            .map_err(|e| Error::io(IoOp::Read, path, e))?;
        ends += buf.iter().filter(|b| **b == b'\n').count() as u64;
        blocks.push(buf);
        start = from;
    }
    let tail: Vec<u8> = blocks.into_iter().rev().flatten().collect();
    let complete = tail.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let lines: Vec<&[u8]> = tail[..complete].split_inclusive(|b| *b == b'\n').collect();
    // The first piece may be the end of a line that began before `start`: only whole lines.
    let whole = if start > 0 {
        &lines[1.min(lines.len())..]
    } else {
        &lines[..]
    };
    let skip = whole.len().saturating_sub(n as usize);
    Ok(whole[skip..].iter().map(|l| l.to_vec()).collect())
}

/// The verification proper, on the record's bytes and its head.
pub fn verify_bytes(bytes: &[u8], head: Option<Head>) -> Verified {
    let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let torn = (complete < bytes.len()).then_some(bytes.len() - complete);
    let lines: Vec<&[u8]> = bytes[..complete].split_inclusive(|b| *b == b'\n').collect();
    let n = lines.len() as u64;
    let mut out = Verified {
        entries: n,
        head: head.map(|h| h.seq),
        last_hash: lines.last().map(|l| Blake3::of(l)),
        torn_tail_bytes: torn,
        head_lagging: false,
        problem: None,
    };
    let fail = |entry: u64, message: Msg| Some(Problem { entry, message });
    let links: Vec<Option<(u64, Blake3)>> = lines
        .iter()
        .map(|l| parse_link(l).map(|(seq, prev, _)| (seq, prev)))
        .collect();
    // Whether line i (0-based) still hashes to what its successor (or the head) recorded.
    let intact = |i: usize| -> bool {
        match links.get(i + 1) {
            Some(Some((_, prev))) => *prev == Blake3::of(lines[i]),
            Some(None) => false,
            None => head.is_some_and(|h| h.seq == i as u64 + 1 && h.hash == Blake3::of(lines[i])),
        }
    };
    let mut expected_prev = Blake3::ZERO;
    for (i, line) in lines.iter().enumerate() {
        let seq = i as u64 + 1;
        let Some((got_seq, prev)) = links[i] else {
            out.problem = fail(seq, msg!("record-entry-unreadable", entry = seq));
            return out;
        };
        let fields =
            serde_json::from_slice::<serde_json::Value>(line).is_ok_and(|v| has_entry_fields(&v));
        if !fields {
            out.problem = fail(seq, msg!("record-entry-fields", entry = seq));
            return out;
        }
        if got_seq != seq {
            out.problem = fail(seq, msg!("record-entry-moved", line = seq, holds = got_seq));
            return out;
        }
        if prev != expected_prev {
            // Either this line's link or the previous line changed; whichever no longer
            // hashes to what its successor recorded is the altered one.
            let bad = if intact(i) { seq - 1 } else { seq };
            out.problem = fail(
                bad,
                msg!(
                    "record-entry-altered",
                    entry = bad,
                    before = seq - 1,
                    after = seq
                ),
            );
            return out;
        }
        expected_prev = Blake3::of(line);
    }
    let last = Head {
        seq: n,
        hash: expected_prev,
    };
    match head {
        None if n == 0 => {}
        None if n == 1 => out.head_lagging = true,
        None => out.problem = fail(n, msg!("record-head-missing")),
        Some(h) if h == last => {}
        Some(h)
            if n.checked_sub(1) == Some(h.seq)
                && links.get(h.seq as usize).copied().flatten().map(|l| l.1) == Some(h.hash) =>
        {
            out.head_lagging = true
        }
        Some(h) if h.seq > n => {
            out.problem = fail(
                n.saturating_add(1),
                msg!("record-cut-short", entries = n, head = h.seq),
            )
        }
        Some(h) if h.seq == n => out.problem = fail(n, msg!("record-last-altered", entry = n)),
        Some(h) => {
            out.problem = fail(
                h.seq.saturating_add(1),
                msg!("record-past-head", head = h.seq),
            )
        }
    }
    out
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
    }
}
