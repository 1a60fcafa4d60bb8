//! The city's first day: `okuri template KIND` starts each city document from a commented
//! example; `okuri trust add` and `okuri staff add` put a person's key into the trust list or
//! the staff directory without hand-editing TOML, check the result with the reader that will
//! read it, and sign it with the key of the role that signs it.

use std::path::{Path, PathBuf};

use okuri::base::class::Class;
use okuri::base::error::{Error, IoOp, Result};
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
    let today = okuri::sys::hooks::now()
        .with_time_zone(jiff::tz::TimeZone::fixed(okuri::base::time::JST))
        .date();
    super::out(&dated(template(a.kind), today))
}

/// The template with `valid_until` set to the end of a fiscal year (31 March) at least 90 days
/// ahead, so that a document started today is not about to lapse and no example goes stale.
pub fn dated(template: &str, today: jiff::civil::Date) -> String {
    let mut end = jiff::civil::date(today.year(), 3, 31);
    while (end - today).get_days() < 90 {
        end = jiff::civil::date(end.year() + 1, 3, 31);
    }
    let mut out = String::with_capacity(template.len());
    let mut done = false;
    for line in template.split_inclusive('\n') {
        match line.strip_prefix("valid_until = ") {
            Some(rest) if !done && rest.len() >= 10 && rest.is_char_boundary(10) => {
                out.push_str("valid_until = ");
                out.push_str(&end.to_string());
                out.push_str(&rest[10..]);
                done = true;
            }
            _ => out.push_str(line),
        }
    }
    out
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
        #[arg(long, value_delimiter = ',', value_name = "CLASSES", value_parser = parse_class)]
        classes: Vec<Class>,
        /// Custodians and officers: the departments they act for, comma-separated; * for all
        #[arg(long, value_delimiter = ',', value_name = "DEPTS")]
        departments: Vec<String>,
        /// The last day the key is trusted (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
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
    let public = read_public(&who.public_key)?;
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
    if enrolled.change == Change::Nothing {
        return super::out(&t!(
            cx,
            "cli-enrol-nothing",
            id = who.id.as_str(),
            file = shown.as_str()
        ));
    }
    // The new text is checked by the document's own reader before anything is written, and
    // the signer's key is unlocked before too: a wrong passphrase leaves the file as it was.
    super::sign::check_document(kind, &enrolled.text, file)?;
    let signer = match &key.key {
        Some(_) => Some(cx.signing_key(key, super::KeyOf::Signer)?),
        None => None,
    };
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
        serial = enrolled.serial
    ))?;
    match signer {
        Some(k) => super::sign::sign_and_say(cx, kind, file, &k),
        None => {
            // The old signature is over the old text: leaving it would only make every okuri
            // refuse the file with a worse message.
            let sig = city::sig_path(file);
            match std::fs::remove_file(&sig) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(IoOp::Write, &sig, e)),
            }
            cx.notice(&msg!(
                "cli-enrol-unsigned",
                kind = kind.as_str(),
                file = shown.as_str()
            ));
            Ok(())
        }
    }
}

fn parse_class(s: &str) -> std::result::Result<Class, String> {
    s.parse::<Class>().map_err(|e| e.to_string())
}

/// The person's public key: one OpenSSH Ed25519 line (a file of more than 16 KiB is not one).
fn read_public(path: &Path) -> Result<ssh_key::PublicKey> {
    use std::io::Read as _;
    let mut text = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(16 * 1024).read_to_end(&mut text))
        .map_err(|e| Error::io(IoOp::Read, path, e))?;
    let line = String::from_utf8_lossy(&text);
    okuri::secret::keys::parse_public(&line).map_err(|bad| {
        let detail = match bad {
            okuri::secret::keys::BadPublicKey::NotOpenSsh(d) => d,
            okuri::secret::keys::BadPublicKey::NotEd25519(a) => a,
        };
        Error::invalid(msg!("enrol-bad-key", file = path, detail = detail))
            .with_hint(msg!("hint-enrol-bad-key"))
    })
}
