//! The city's first day: `okuri template KIND` starts each city document from a commented
//! example; `okuri trust add` and `okuri staff add` put a person's key into the trust list or
//! the staff directory without hand-editing TOML, check the result with the reader that will
//! read it, and sign it with the key of the role that signs it.

use std::path::{Path, PathBuf};

use okuri::base::class::Class;
use okuri::base::error::{Error, Result};
use okuri::msg;
use okuri::policy::city::{self, Kind};
use okuri::policy::directory;
use okuri::policy::enrol::{self, Change, List, Person};
use okuri::policy::trust::SignerRole;

/// The examples shipped in `packaging/examples/` (and installed under
/// /usr/share/okuri/examples): each is a valid document as it stands.
pub fn template(kind: Kind) -> &'static str {
    match kind {
        Kind::Rules => include_str!("../../packaging/examples/rules.toml"),
        Kind::Trust => include_str!("../../packaging/examples/trust.toml"),
        Kind::Service => include_str!("../../packaging/examples/service.toml"),
        Kind::Staff => include_str!("../../packaging/examples/staff.toml"),
        Kind::Recipients => include_str!("../../packaging/examples/recipients.toml"),
        Kind::Media => include_str!("../../packaging/examples/media.toml"),
    }
}

#[derive(clap::Args, Debug)]
pub struct TemplateArgs {
    /// Which document: each starts with its header (`serial`, `valid_until`) and says who signs
    /// it and how
    #[arg(value_enum)]
    pub kind: Kind,
}

pub fn run_template(a: TemplateArgs) -> Result<()> {
    super::out(&today_s(template(a.kind)))
}

/// A template with its dates moved to a fiscal year's end ahead of today (policy::city).
pub fn today_s(template: &str) -> String {
    let today = okuri::sys::hooks::now()
        .with_time_zone(jiff::tz::TimeZone::fixed(okuri::base::time::JST))
        .date();
    city::dated(template, today)
}

/// The trust list's roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TrustRole {
    /// 情報資産管理責任者: approves external provision; signs the recipient and media registers
    Custodian,
    /// 情報責任者: designates importance classes
    Officer,
    /// Signs the staff directory
    Administrator,
}

/// The staff directory's roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StaffRole {
    /// 職員等: requests approvals, packs, has the record witnessed
    Staff,
    /// Reads every request, decision and witnessed head
    Auditor,
}

#[derive(clap::Subcommand, Debug)]
pub enum TrustCommand {
    /// Add a custodian, an officer or an administrator (or a new key of one already listed),
    /// raise the serial, check the list and sign it (the CISO's key)
    Add {
        /// The trust list (start one with `okuri template trust`)
        file: PathBuf,
        #[arg(long, value_enum)]
        role: TrustRole,
        #[command(flatten)]
        who: Who,
        /// Custodians and officers: the classes they approve or designate (I,II,III)
        #[arg(long, value_delimiter = ',', value_name = "CLASSES", value_parser = super::parse_class)]
        classes: Vec<Class>,
        /// Custodians and officers: the departments they act for, comma-separated; * for all
        #[arg(long, value_delimiter = ',', value_name = "DEPTS")]
        departments: Vec<String>,
        /// The day the key stops being trusted (YYYY-MM-DD): trusted until that day begins in
        /// Japan, as `valid_before` in the trust list
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        valid_before: Option<jiff::civil::Date>,
        /// The signer's key (the CISO's); without it the list is written unsigned, for the
        /// CISO to sign with `okuri sign trust FILE`
        #[command(flatten)]
        key: super::KeyArgs,
    },
}

#[derive(clap::Subcommand, Debug)]
pub enum StaffCommand {
    /// Add a staff member or an auditor (or a new key of one already listed), raise the
    /// serial, check the directory and sign it (an administrator's key)
    Add {
        /// The staff directory (start one with `okuri template staff`)
        file: PathBuf,
        #[arg(long, value_enum, default_value = "staff")]
        role: StaffRole,
        #[command(flatten)]
        who: Who,
        /// The signer's key (an administrator's); without it the directory is written unsigned,
        /// for an administrator to sign with `okuri sign staff FILE`
        #[command(flatten)]
        key: super::KeyArgs,
    },
}

/// The person being added.
#[derive(clap::Args, Debug)]
pub struct Who {
    /// Their id (the one their key was made with: `okuri keygen --id ID`)
    #[arg(long, value_parser = super::id_arg::<okuri::base::ids::StaffId>)]
    pub id: okuri::base::ids::StaffId,
    /// Their name, as the city writes it
    #[arg(long)]
    pub name: String,
    /// Their department (所属)
    #[arg(long)]
    pub department: String,
    /// Their public key: the KEY.pub `okuri keygen` or `ssh-keygen -t ed25519` made
    #[arg(long, value_name = "FILE")]
    pub public_key: PathBuf,
}

pub fn run_trust(cx: &super::Context, c: TrustCommand) -> Result<()> {
    let TrustCommand::Add {
        file,
        role,
        who,
        classes,
        departments,
        valid_before,
        key,
    } = c;
    let role = match role {
        TrustRole::Custodian => SignerRole::Custodian,
        TrustRole::Officer => SignerRole::Officer,
        TrustRole::Administrator => SignerRole::Administrator,
    };
    // A custodian or officer acts for classes and departments; an administrator does not.
    if role != SignerRole::Administrator && (classes.is_empty() || departments.is_empty()) {
        return Err(Error::usage(msg!("enrol-remit-missing", role = role.key()))
            .with_hint(msg!("hint-enrol-remit-missing")));
    }
    add(
        cx,
        Kind::Trust,
        &file,
        List::Trust(role),
        &who,
        &classes,
        &departments,
        valid_before,
        &key,
    )
}

pub fn run_staff(cx: &super::Context, c: StaffCommand) -> Result<()> {
    let StaffCommand::Add {
        file,
        role,
        who,
        key,
    } = c;
    let role = match role {
        StaffRole::Staff => directory::Role::Staff,
        StaffRole::Auditor => directory::Role::Auditor,
    };
    add(
        cx,
        Kind::Staff,
        &file,
        List::Staff(role),
        &who,
        &[],
        &[],
        None,
        &key,
    )
}

#[allow(clippy::too_many_arguments)]
fn add(
    cx: &super::Context,
    kind: Kind,
    file: &Path,
    list: List,
    who: &Who,
    classes: &[Class],
    departments: &[String],
    valid_before: Option<jiff::civil::Date>,
    key: &super::KeyArgs,
) -> Result<()> {
    let public = enrol::read_public(&who.public_key)?;
    let text = city::read_for_signing(file)?;
    let person = Person {
        id: who.id.as_str(),
        name: &who.name,
        department: &who.department,
        key: &public,
        classes,
        departments,
        valid_before,
    };
    let enrolled = enrol::add(&text, file, list, &person)?;
    let shown = okuri::base::fsname::shown(file.as_os_str());
    let fingerprint = okuri::base::digest::Fingerprint::of(&public).to_string();
    if enrolled.change == Change::Nothing {
        // Already listed, but the signature does not cover the file (a run stopped between
        // writing the document and its signature): that is no success.
        let sig_path = city::sig_path(file);
        if std::fs::symlink_metadata(&sig_path).is_ok()
            && enrol::signed_by(kind, &sig_path, &text).is_none()
        {
            return Err(
                Error::invalid(msg!("enrol-stale-signature", file = shown.as_str()))
                    .with_hint(msg!("hint-enrol-stale-signature", kind = kind.as_str())),
            );
        }
        return super::out(&t!(
            cx,
            "cli-enrol-nothing",
            id = who.id.as_str(),
            file = shown.as_str(),
            key = fingerprint.as_str()
        ));
    }
    // The new text is checked by the document's own reader before anything is written.
    super::sign::check_document(kind, &enrolled.text, file)?;
    let sig_path = city::sig_path(file);
    let signed = match &key.key {
        Some(_) => {
            // Signed in memory first: a wrong passphrase, or an agent that refuses or fails,
            // leaves the document and its signature as they were.
            let k = cx.signing_key(key, super::KeyOf::Signer)?;
            enrol::vouched(kind, file, &sig_path, &text, &k)?;
            let (armor, header) = city::signature(kind, file, &enrolled.text, &k)?;
            Some((k, armor, header))
        }
        None if sig_path.exists() => {
            // Removing or keeping the old signature would both leave a document every okuri
            // refuses: a signed document is changed only by someone who signs the change.
            return Err(Error::usage(msg!(
                "enrol-would-unsign",
                file = shown.as_str(),
                kind = kind.as_str()
            ))
            .with_hint(msg!("hint-enrol-would-unsign", kind = kind.as_str())));
        }
        None => None,
    };
    // Only if nobody changed the file since it was read: two administrators enrolling at
    // once never lose one of the two.
    city::unchanged(file, &text)?;
    okuri::sys::fsutil::replace_mode(file, enrolled.text.as_bytes(), 0o644)?;
    let what = match enrolled.change {
        Change::Key => "key",
        _ => "person",
    };
    super::out(&t!(
        cx,
        "cli-enrol-added",
        what = what,
        id = who.id.as_str(),
        list = kind.as_str(),
        file = shown.as_str(),
        serial = enrolled.serial,
        key = fingerprint.as_str()
    ))?;
    match signed {
        Some((k, armor, header)) => {
            let sig = city::write_signature(file, &enrolled.text, &armor)?;
            super::sign::say_signed(cx, kind, file, &sig, &header, &k)
        }
        None => {
            cx.notice(&msg!(
                "cli-enrol-unsigned",
                kind = kind.as_str(),
                file = shown.as_str()
            ));
            Ok(())
        }
    }
}

/// A day of this millennium: what a key's end of validity can sensibly be, and what TOML holds.
fn parse_day(s: &str) -> std::result::Result<jiff::civil::Date, String> {
    s.parse::<jiff::civil::Date>()
        .ok()
        .filter(|d| (2000..=2999).contains(&d.year()))
        .ok_or_else(|| super::env_texts().render(&msg!("enrol-bad-day", value = s)))
}
