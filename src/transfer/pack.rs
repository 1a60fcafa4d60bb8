//! `okuri pack`: classify, decide, encrypt in one streaming pass, write the slip, record.
//!
//! Order of work, so that a failure at any step leaves nothing behind:
//! 1. validate paths and the record's end (no output yet);
//! 2. classify (one hashing pass: the register is keyed by the digest) and decide; a refusal
//!    is recorded and nothing else is written;
//! 3. encrypt into a hidden temporary file beside the package, hashing plaintext and package
//!    as they stream; an interrupt or a changed input deletes it;
//! 4. write the slip (create-new, 0600), move the package into place (no overwrite), append to
//!    the record; if a later step fails, the earlier outputs are removed.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use indicatif::ProgressBar;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::base::channel::Channel;
use crate::base::class::Class;
use crate::base::digest::Blake3;
use crate::base::error::{Error, IoOp, Result};
use crate::base::ids::{MediumId, RequestId, TransferId};
use crate::base::message::Msg;
use crate::base::refusal::{Refusal, RefusalCode, Rule, StandardRule};
use crate::base::time::Time;
use crate::msg;
use crate::policy::recipients::{self, Register, Resolved};
use crate::policy::{Decision, Facts, Policy};
use crate::record::{
    ApprovalRef, Body, Event, FileInfo, Outcome, PackageInfo, Reason, Record, Sender,
};
use crate::secret::passphrase::Passphrase;
use crate::signed::approval::{self, Token, Transfer};
use crate::sys::fsutil;
use crate::sys::home::{Home, Identity};
use crate::sys::hooks;
use crate::sys::host::{host, os_user};
use crate::sys::input::{self, Input};
use crate::transfer::label::{self, Classification};
use crate::transfer::slip::SlipData;

/// The longest free text (purpose, legal basis, recipient) kept in the record.
const MAX_TEXT: usize = 1000;

/// Where the slip goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlipTarget {
    File(PathBuf),
    /// Returned to the caller to show on the terminal; never written to disk.
    Terminal,
}

/// A validated pack request.
#[derive(Clone, Debug)]
pub struct Request {
    pub file: PathBuf,
    pub recipient: String,
    pub channel: Channel,
    pub purpose: Option<String>,
    pub legal_basis: Option<String>,
    pub out_dir: Option<PathBuf>,
    pub slip: SlipTarget,
    pub armor: bool,
    pub encrypt: bool,
    /// The custodian's approval token.
    pub approval: Option<ApprovalInput>,
}

/// Where the approval token comes from.
#[derive(Clone, Debug)]
pub enum ApprovalInput {
    /// A token file written by `okuri approve --out`.
    File(PathBuf),
    /// A token fetched from the approval service for a request id.
    Fetched { request_id: RequestId, text: String },
}

/// What pack needs from the approval service: to mark a token used, so that a token is used
/// at most once even from two machines. The network client implements it; pack knows nothing
/// of HTTP.
pub trait TokenLedger {
    /// Marks `token` used for `transfer_id`; the token goes along, so that one the custodian
    /// signed offline is known to the service from then on.
    fn consume(
        &self,
        token: &Token,
        transfer_id: &TransferId,
    ) -> std::result::Result<(), Unconsumed>;

    /// The signed designations the city knows for a file digest; `None` when the service
    /// cannot be reached (a failed connection only: anything else it says is an error).
    fn designations(&self, blake3: &Blake3) -> Result<Option<Vec<String>>>;
}

/// Why a token was not marked used.
pub enum Unconsumed {
    /// Someone used it already: who, for which transfer, when, as the service says (data, for
    /// the refusal's arguments).
    AlreadyUsed {
        by: String,
        transfer: String,
        at: String,
    },
    /// The service could not be reached; what the connection said, as data.
    Unreachable(String),
    /// Anything else the service or the connection said.
    Failed(Error),
}

/// Whether the approval service takes part: it marks a token consumed, so that a token is
/// used at most once even from two machines.
pub enum Online<'a> {
    /// The policy names no service: single use is checked against this record only.
    Offline,
    Connected(&'a dyn TokenLedger),
    /// The policy names a service that could not be reached; the text says why, in the words
    /// of the connection (passed on as an argument, never read).
    Unreachable(String),
}

/// What a successful pack produced. Holds no passphrase except inside `slip_text`.
#[derive(Serialize)]
pub struct Report {
    pub transfer_id: TransferId,
    pub class: crate::base::class::Class,
    pub class_source: label::Source,
    pub channel: Channel,
    pub recipient: String,
    pub recipient_id: Option<String>,
    pub approval: Option<ApprovalRef>,
    pub file: FileInfo,
    pub package: PackageInfo,
    #[serde(with = "crate::base::fsname::option")]
    pub slip: Option<PathBuf>,
    pub record_seq: u64,
    pub record_hash: Blake3,
    #[serde(skip)]
    pub slip_text: Option<Zeroizing<String>>,
    #[serde(skip)]
    pub torn_set_aside: Option<PathBuf>,
    /// Transfers an earlier, interrupted run left prepared, and what this run recorded.
    #[serde(skip)]
    pub reconciled: Vec<(TransferId, Outcome)>,
    /// Temporary files of killed runs that this run removed.
    #[serde(skip)]
    pub swept: Vec<PathBuf>,
    /// Why `record.head` is behind (the entry itself is durable), if it is.
    #[serde(skip)]
    pub head_stale: Option<Msg>,
    /// The token was marked used at the approval service (false: checked offline only).
    pub consumed_at_service: bool,
}

/// The free texts of a request, each checked the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Recipient,
    Purpose,
    LegalBasis,
}

impl Field {
    fn empty(self) -> Msg {
        match self {
            Field::Recipient => msg!("pack-empty-recipient"),
            Field::Purpose => msg!("pack-empty-purpose"),
            Field::LegalBasis => msg!("pack-empty-legal-basis"),
        }
    }

    fn too_long(self) -> Msg {
        match self {
            Field::Recipient => msg!("pack-long-recipient", max = MAX_TEXT),
            Field::Purpose => msg!("pack-long-purpose", max = MAX_TEXT),
            Field::LegalBasis => msg!("pack-long-legal-basis", max = MAX_TEXT),
        }
    }
}

fn check_text(field: Field, v: Option<&str>) -> Result<()> {
    if let Some(v) = v {
        if v.trim().is_empty() {
            return Err(Error::usage(field.empty()));
        }
        if v.chars().count() > MAX_TEXT || v.chars().any(|c| c.is_control()) {
            return Err(Error::usage(field.too_long()));
        }
    }
    Ok(())
}

/// Packs a file. Refusals are recorded and returned as [`Error::refused`]. The slip is written
/// by `render_slip` (the edge's [`crate::i18n::slip::render`]): the library writes no words.
#[allow(clippy::too_many_arguments)]
pub fn pack(
    home: &Home,
    policy: &Policy,
    register: &Register,
    directory: Option<&crate::policy::directory::Directory>,
    req: &Request,
    online: &Online<'_>,
    progress: &ProgressBar,
    interrupted: &AtomicBool,
    render_slip: &dyn Fn(&SlipData<'_>, &Passphrase) -> Zeroizing<String>,
) -> Result<Report> {
    let identity = home.identity()?;
    if let Some(d) = directory {
        d.confirm(&identity)?;
    }
    // scrypt needs nothing but the passphrase: it runs on its own thread from here, beside
    // the classification pass and the decision (a refusal drops it unfinished).
    let passphrase = if req.encrypt {
        Some(Passphrase::generate(policy.passphrase_min_bits)?)
    } else {
        None
    };
    let keying = passphrase.as_ref().map(Keying::start).transpose()?;
    check_text(Field::Recipient, Some(req.recipient.as_str()))?;
    check_text(Field::Purpose, req.purpose.as_deref())?;
    check_text(Field::LegalBasis, req.legal_basis.as_deref())?;
    let record = Record::new(home);
    // Fail before any work if the record cannot take an entry (tampered, unwritable); this
    // also sets aside a torn tail left by a crash.
    let (torn_set_aside, reconciled) = {
        let mut w = record.writer()?;
        (w.torn_set_aside.take(), std::mem::take(&mut w.reconciled))
    };
    // A token that cannot even be read is bad input, before any work.
    let token = match &req.approval {
        None => None,
        Some(ApprovalInput::File(p)) => Some(Token::load(p)?),
        Some(ApprovalInput::Fetched { request_id, text }) => {
            Some(Token::parse(text.as_bytes(), request_id.as_str())?)
        }
    };

    let mut input = Input::open(&req.file)?;
    let out_dir = match &req.out_dir {
        Some(d) => d.clone(),
        None => {
            fsutil::create_dir(&home.outbox(), 0o700)?;
            home.outbox()
        }
    };
    if !out_dir.is_dir() {
        return Err(
            Error::invalid(msg!("pack-out-dir-missing", path = &out_dir))
                .with_hint(msg!("pack-out-dir-missing-hint")),
        );
    }
    if let SlipTarget::File(p) = &req.slip {
        slip_dir_ready(p)?;
    }
    let mut package_name = input.file_name();
    if req.encrypt {
        package_name.push(".age");
    }
    let package_path = out_dir.join(&package_name);
    // Every name this run will create must fit, before anything is written.
    fsutil::name_fits(&package_path)?;
    if let SlipTarget::File(p) = &req.slip {
        fsutil::name_fits(p)?;
    }
    // Temporary files that a killed run left beside the outputs or the record (a `.part` of
    // a package, a slip, a head) go before this run writes there.
    let mut swept = fsutil::sweep_stale(&out_dir);
    if let SlipTarget::File(p) = &req.slip {
        swept.extend(fsutil::sweep_stale(&fsutil::parent_dir(p)));
    }
    swept.extend(fsutil::sweep_stale(home.root()));
    if package_path.symlink_metadata().is_ok() {
        return Err(fsutil::exists_error(&package_path));
    }
    if let SlipTarget::File(p) = &req.slip
        && p.symlink_metadata().is_ok()
    {
        return Err(fsutil::exists_error(p));
    }

    // The designations the city knows for the file, where the service can be asked; only a
    // failure to connect lets the local ones stand alone (and the entry says so).
    let city = |blake3: &Blake3| -> Result<label::CityDesignations> {
        Ok(match online {
            Online::Connected(l) => match l.designations(blake3)? {
                Some(d) => label::CityDesignations::Known(d),
                None => label::CityDesignations::Unasked,
            },
            Online::Unreachable(_) => label::CityDesignations::Unasked,
            Online::Offline if policy.service.is_some() => label::CityDesignations::Unasked,
            Online::Offline => label::CityDesignations::NoService,
        })
    };
    let classification = label::classify_with(&mut input, home, policy, &city)?;
    let now = hooks::now();
    let transfer_id = TransferId::new(&now)?;
    let class = classification.class;
    let mut refusal: Option<Refusal> = None;

    // The table first: what the standard forbids or demands is the most useful answer.
    if let Decision::Refused(r) = policy.decide(
        class,
        req.channel,
        &Facts {
            legal_basis: req.legal_basis.clone().or_else(|| {
                token
                    .as_ref()
                    .and_then(|t| t.payload.request.legal_basis.clone())
            }),
            approval: token.is_some(),
            encrypt: req.encrypt,
        },
    ) {
        refusal = Some(r);
    }
    // Who receives it: the register and the policy.
    let resolved = match recipients::resolve(
        register,
        policy,
        &req.recipient,
        class,
        req.channel,
        recipients::today_jst(),
    ) {
        Ok(r) => r,
        Err(r) => {
            refusal.get_or_insert(r);
            let registered = register.get(&req.recipient).cloned();
            Resolved {
                name: registered
                    .as_ref()
                    .map_or_else(|| req.recipient.clone(), |r| r.name.clone()),
                registered,
            }
        }
    };

    // The custodian's approval, checked completely before anything is written.
    let mut legal_basis = req.legal_basis.clone();
    let mut purpose = req.purpose.clone();
    let mut approval_ref = None;
    if let Some(t) = &token {
        let p = &t.payload;
        approval_ref = Some(ApprovalRef {
            token_id: p.token_id.clone(),
            request_id: p.request.request_id.clone(),
            issuer: p.issuer.id.clone(),
            key: t.signed.signer_fingerprint(),
            expires_at: p.expires_at.clone(),
        });
        if refusal.is_none() {
            let used = record.token_used(&p.token_id, &p.issued_at)?;
            let a = approval::assess(
                t,
                policy,
                register,
                now.timestamp(),
                &Transfer {
                    file: Some((classification.blake3, classification.size)),
                    class: Some(class),
                    recipient: Some(&req.recipient),
                    channel: Some(req.channel),
                    packer: Some(&identity.id),
                    legal_basis: req.legal_basis.as_deref(),
                    directory,
                },
                used,
            );
            refusal = a.refusal;
            if refusal.is_none()
                && let Online::Unreachable(why) = online
                && !policy.class(class).offline_tokens
            {
                refusal = Some(approval::offline_refused(policy, class, req.channel, why));
            }
            legal_basis = legal_basis.or_else(|| p.request.legal_basis.clone());
            purpose = purpose.or_else(|| Some(p.request.purpose.clone()));
        }
    }
    let mut base = BaseFacts {
        identity: &identity,
        req,
        classification: &classification,
        policy,
        transfer_id: &transfer_id,
        at: crate::base::time::Time::of(&now),
        recipient: &resolved,
        purpose,
        legal_basis,
        approval: approval_ref,
        medium: None,
        token_offline: false,
    };

    // Channel `media`: only onto a registered medium that is what its marker says, and only
    // encrypted packages (第4章3).
    if refusal.is_none() && req.channel == Channel::Media {
        match medium_for(home, policy, &out_dir, req.encrypt, class)? {
            Ok(id) => base.medium = Some(id),
            Err(r) => refusal = Some(r),
        }
    }
    if refusal.is_none() {
        refusal = slip_beside_package(req, &out_dir, &base)?;
    }
    if let Some(r) = refusal {
        let mut w = record.writer()?;
        w.append(base.body(Outcome::Refused, None, None, Some(&r)))?;
        return Err(Error::refused(r));
    }

    let mut tmp = fsutil::temp_beside(&package_path)?;
    hooks::test_pause();
    progress.set_length(input.size);
    let streamed = stream(
        &mut input,
        tmp.as_file_mut(),
        keying,
        req.armor,
        progress,
        interrupted,
    )?;
    progress.finish_and_clear();
    // What was encrypted must be exactly what was classified.
    if streamed.plain_size != classification.size || streamed.plain != classification.blake3 {
        return Err(input::changed(&input.path));
    }
    input.check_unchanged()?;
    hooks::crash_point("encrypted");

    let package = PackageInfo {
        name: package_name.clone(),
        path: absolute(&package_path),
        size: streamed.out_size,
        blake3: streamed.out_blake3,
        sha256: streamed.out_sha256,
        encrypted: req.encrypt,
        armor: req.armor,
    };
    let slip_text = passphrase.as_ref().map(|pass| {
        render_slip(
            &SlipData {
                transfer_id: transfer_id.as_str(),
                date: &now.strftime("%Y-%m-%d %H:%M (%:z)").to_string(),
                sender: &format!("{} ({})", identity.name, identity.department),
                recipient: &resolved.name,
                deliver_method: resolved.registered.as_ref().map(|r| r.slip.method.as_str()),
                deliver_to: resolved.registered.as_ref().map(|r| r.slip_contact()),
                class: classification.class,
                channel: req.channel,
                package_name: &package_name,
                package_size: package.size,
                sha256: &package.sha256,
                blake3: &package.blake3,
                plain_name: &input.file_name(),
            },
            pass,
        )
    });
    drop(passphrase);

    // Mark the token used at the service: of two machines racing with one token, exactly one
    // gets past this point; the other leaves nothing but its refusal in its record.
    let mut consumed_at_service = false;
    if let (Some(t), Online::Connected(c)) = (&token, online) {
        match c.consume(t, &transfer_id) {
            Ok(()) => consumed_at_service = true,
            Err(Unconsumed::AlreadyUsed { by, transfer, at }) => {
                let r =
                    approval::reused_at_service(policy, class, req.channel, &t.payload.token_id)
                        .arg("by", by)
                        .arg("transfer", transfer)
                        .arg("at", at);
                record
                    .writer()?
                    .append(base.body(Outcome::Refused, None, None, Some(&r)))?;
                return Err(Error::refused(r));
            }
            Err(Unconsumed::Unreachable(why)) if !policy.class(class).offline_tokens => {
                let r = approval::offline_refused(policy, class, req.channel, &why);
                record
                    .writer()?
                    .append(base.body(Outcome::Refused, None, None, Some(&r)))?;
                return Err(Error::refused(r));
            }
            Err(Unconsumed::Unreachable(_)) => {}
            Err(Unconsumed::Failed(e)) => return Err(e),
        }
    }

    base.token_offline = token.is_some() && !consumed_at_service;
    // Commit in two phases, so that the record never disagrees with the disk (docs/record.md):
    // 1. under the record's lock, check single use once more (two packs with one token on
    //    this machine cannot both pass) and record that the transfer is prepared;
    // 2. put the slip, then the package, in place;
    // 3. record that it was packed, or, if anything failed, remove what was put in place and
    //    record that it was aborted. A run killed between the phases leaves a prepared entry
    //    that the next writer of the record reconciles from what is on disk.
    let slip_field = match (&slip_text, &req.slip) {
        (None, _) => None,
        (Some(_), SlipTarget::File(p)) => Some(absolute(p)),
        (Some(_), SlipTarget::Terminal) => Some(PathBuf::from("terminal")),
    };
    let mut w = record.writer()?;
    if let (Some(a), Some(t)) = (&base.approval, &token)
        && let Some(seq) = record.token_used(&a.token_id, &t.payload.issued_at)?
    {
        let r = approval::reused(policy, class, req.channel, &a.token_id, seq);
        w.append(base.body(Outcome::Refused, None, None, Some(&r)))?;
        return Err(Error::refused(r));
    }
    let body = |outcome, detail| {
        let mut b = base.body(outcome, Some(package.clone()), slip_field.clone(), None);
        if let Event::Transfer(t) = &mut b {
            t.detail = detail;
        }
        b
    };
    w.append(body(Outcome::Prepared, None))?;
    hooks::crash_point("prepared");

    let mut written_slip: Option<PathBuf> = None;
    let mut placed_package = false;
    let placed = (|| {
        if let (Some(text), SlipTarget::File(p)) = (&slip_text, &req.slip) {
            fsutil::write_new(p, text.as_bytes())?;
            written_slip = Some(p.clone());
            hooks::crash_point("slip");
        }
        if let Err(e) = fsutil::persist_new(tmp, &package_path) {
            // Refused because something is there: not ours. Failed after the rename (the
            // directory's fsync): ours.
            placed_package = e.kind() != crate::base::error::Kind::Invalid && package_path.exists();
            return Err(e);
        }
        placed_package = true;
        hooks::crash_point("package");
        Ok(())
    })();
    let appended = placed.and_then(|()| w.append(body(Outcome::Packed, None)));
    let appended = match appended {
        Ok(a) => a,
        Err(e) => {
            // Only what this run put in place is removed (persist_new never replaces a file).
            if placed_package {
                let _ = std::fs::remove_file(&package_path);
            }
            if let Some(p) = &written_slip {
                let _ = std::fs::remove_file(p);
            }
            // If even this cannot be written (the disk is full), the prepared entry stays
            // open and the next run records the outcome.
            let _ = w.append(body(Outcome::Aborted, Some(e.message().clone())));
            return Err(e);
        }
    };
    hooks::crash_point("packed");
    Ok(Report {
        transfer_id: transfer_id.clone(),
        class: classification.class,
        class_source: classification.source.clone(),
        channel: req.channel,
        recipient: resolved.name.clone(),
        recipient_id: resolved.id().map(str::to_owned),
        approval: base.approval.clone(),
        file: base.file_info(),
        package,
        slip: written_slip.as_deref().map(absolute),
        record_seq: appended.seq,
        record_hash: appended.hash,
        slip_text: match req.slip {
            SlipTarget::Terminal => slip_text,
            SlipTarget::File(_) => None,
        },
        torn_set_aside,
        reconciled,
        swept,
        head_stale: appended.head_stale.clone(),
        consumed_at_service,
    })
}

/// The slip's directory exists, or is made private (0700) when it lies in the user's own home:
/// `--slip ~/slips/x.txt` on the first day should not fail on a missing `~/slips`. Elsewhere a
/// missing directory is an error, since okuri cannot tell who else may read a directory it
/// would make there.
fn slip_dir_ready(slip: &Path) -> Result<()> {
    let dir = fsutil::parent_dir(slip);
    if dir.is_dir() {
        return Ok(());
    }
    let mut existing = dir.as_path();
    while !existing.exists() {
        match existing.parent() {
            Some(p) if !p.as_os_str().is_empty() => existing = p,
            _ => {
                existing = Path::new(".");
                break;
            }
        }
    }
    let home = std::env::home_dir().and_then(|h| std::fs::canonicalize(h).ok());
    let under_home = match (home, std::fs::canonicalize(existing)) {
        (Some(h), Ok(e)) => e.starts_with(&h) && existing.is_dir(),
        _ => false,
    };
    if !under_home {
        return Err(Error::invalid(msg!("pack-slip-dir-missing", path = &dir))
            .with_hint(msg!("pack-slip-dir-missing-hint")));
    }
    fsutil::create_dir(&dir, 0o700)
}

/// The password must never travel with the file: a slip in the package's directory (or below
/// it) would be sent or copied along with it.
fn slip_beside_package(
    req: &Request,
    out_dir: &Path,
    base: &BaseFacts<'_>,
) -> Result<Option<Refusal>> {
    let SlipTarget::File(slip) = &req.slip else {
        return Ok(None);
    };
    let slip_dir = fsutil::parent_dir(slip);
    let canon = |p: &Path| std::fs::canonicalize(p).map_err(|e| Error::io(IoOp::Resolve, p, e));
    let (slip_dir, out_dir) = (canon(&slip_dir)?, canon(out_dir)?);
    if !slip_dir.starts_with(&out_dir) {
        return Ok(None);
    }
    let class = base.classification.class;
    Ok(Some(
        Refusal::new(
            RefusalCode::SlipBesidePackage,
            class,
            Rule::Standard(StandardRule::Password),
        )
        .channel(req.channel)
        .arg("dir", &out_dir),
    ))
}

/// The facts shared by the refusal and the success entry.
struct BaseFacts<'a> {
    identity: &'a Identity,
    req: &'a Request,
    classification: &'a Classification,
    policy: &'a Policy,
    transfer_id: &'a TransferId,
    at: Time,
    recipient: &'a Resolved,
    purpose: Option<String>,
    legal_basis: Option<String>,
    approval: Option<ApprovalRef>,
    medium: Option<MediumId>,
    /// The token is used without the service (set once the service could not take it).
    token_offline: bool,
}

impl BaseFacts<'_> {
    fn file_info(&self) -> FileInfo {
        FileInfo {
            name: self
                .req
                .file
                .file_name()
                .map(|n| n.to_owned())
                .unwrap_or_default(),
            path: absolute(&self.req.file),
            size: self.classification.size,
            blake3: self.classification.blake3,
        }
    }

    fn body(
        &self,
        outcome: Outcome,
        package: Option<PackageInfo>,
        slip: Option<PathBuf>,
        refusal: Option<&Refusal>,
    ) -> Event {
        Event::Transfer(Body {
            at: self.at.clone(),
            outcome,
            transfer_id: self.transfer_id.clone(),
            sender: Sender {
                name: self.identity.name.clone(),
                department: self.identity.department.clone(),
            },
            user: os_user(),
            host: host(),
            file: self.file_info(),
            class: self.classification.class,
            class_source: self.classification.source.name().to_owned(),
            recipient: self.recipient.name.clone(),
            recipient_id: self.recipient.id().map(str::to_owned),
            contract: self
                .recipient
                .registered
                .as_ref()
                .map(|r| r.contract.clone()),
            channel: self.req.channel,
            purpose: self.purpose.clone(),
            legal_basis: self.legal_basis.clone(),
            policy: self.policy.digest,
            approval: self.approval.clone(),
            medium: self.medium.clone(),
            package,
            slip,
            reason: refusal.map(Reason::of),
            detail: None,
            token_offline: self.token_offline,
            designations_unasked: self.classification.city == label::CityAsked::Unasked,
        })
    }
}

/// The registered medium at `out_dir`, or why okuri will not write files of `class` there.
fn medium_for(
    home: &Home,
    policy: &Policy,
    out_dir: &Path,
    encrypt: bool,
    class: Class,
) -> Result<std::result::Result<MediumId, Refusal>> {
    use crate::media;
    let refuse = || {
        Refusal::new(
            RefusalCode::MediumRequired,
            class,
            Rule::Standard(StandardRule::Media),
        )
        .channel(Channel::Media)
        .arg("path", out_dir)
    };
    if !encrypt {
        return Ok(Err(refuse()
            .with_message("refusal-medium-required-encrypted-only")
            .with_hint("refusal-medium-required-encrypted-only-hint")));
    }
    // The city's register is read first: its errors (a rollback, a bad signature) are
    // errors, never "not a medium".
    let city = media::CityMedia::in_force(home, policy)?;
    match media::writable(
        home,
        policy,
        city.as_ref(),
        &crate::sys::device::Probe::system(),
        out_dir,
        class,
    ) {
        Ok(Ok((m, _))) => Ok(Ok(m.marker.medium_id)),
        Ok(Err(r)) => Ok(Err(r)),
        Err(_) => Ok(Err(refuse())),
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

pub use super::stream::{Keying, Streamed, stream};
