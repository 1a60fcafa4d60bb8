//! `okuri pack`

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use indicatif::{ProgressBar, ProgressStyle};

use okuri::base::channel::Channel;
use okuri::base::error::{Error, Result};
use okuri::base::ids::RequestId;
use okuri::msg;
use okuri::net::session::{Link, Linked};
use okuri::transfer::pack::{self, ApprovalInput, Request, SlipTarget};
use okuri::transfer::slip::thousands;

#[derive(clap::Args, Debug)]
#[command(mut_arg("key", |a| a.help("Your own key, to log in to the approval service [default: keys/<id> in the home]")))]
pub struct Args {
    /// The file to send
    file: PathBuf,
    /// Who receives it: a recipient register id (classes I and II need one), or for class III
    /// any name
    #[arg(long, value_name = "RECIPIENT")]
    to: String,
    /// How the package travels: email, lgwan, media or hand
    #[arg(long, value_parser = parse_channel)]
    channel: Channel,
    /// Why it is sent (recorded)
    #[arg(long)]
    purpose: Option<String>,
    /// The law or ordinance that requires the provision (法令又は条例の規定), for class I
    #[arg(long, value_name = "TEXT")]
    legal_basis: Option<String>,
    /// Where to write FILE.age [default: the outbox under the okuri home]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write the password slip here (created new, mode 0600) instead of showing it on the
    /// terminal; it may not be in the package's directory
    #[arg(long, value_name = "PATH")]
    slip: Option<PathBuf>,
    /// ASCII-armored (PEM) output instead of binary
    #[arg(long)]
    armor: bool,
    /// Do not encrypt (only where the policy says encryption is optional for the class)
    #[arg(long, conflicts_with = "armor")]
    no_encrypt: bool,
    /// The custodian's approval, for classes that need one: a request id (req-…) whose token
    /// the approval service holds, or else a token file from `okuri approve`
    #[arg(long, value_name = "ID|TOKEN", value_parser = super::by_syntax::<RequestId>)]
    approval: Option<super::IdOrFile<RequestId>>,
    /// Print one JSON object describing the transfer (never the passphrase); needs --slip
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    keys: super::KeyArgs,
    #[command(flatten)]
    register: super::RegisterArgs,
    #[command(flatten)]
    media: super::MediaArgs,
}

pub fn parse_channel(s: &str) -> Result<Channel, String> {
    s.parse::<Channel>().map_err(|e| e.to_string())
}

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    let slip = match (a.slip, a.no_encrypt) {
        (Some(p), _) => SlipTarget::File(p),
        (None, true) => SlipTarget::Terminal,
        (None, false) => {
            if a.json || !std::io::stdout().is_terminal() {
                return Err(
                    Error::usage(msg!("cli-slip-nowhere")).with_hint(msg!("hint-cli-slip-nowhere"))
                );
            }
            SlipTarget::Terminal
        }
    };
    let req = Request {
        file: a.file,
        recipient: a.to,
        channel: a.channel,
        purpose: a.purpose,
        legal_basis: a.legal_basis,
        out_dir: a.out,
        slip,
        armor: a.armor,
        encrypt: !a.no_encrypt,
        approval: None,
    };
    let mut req = req;
    let policy = cx.policy()?;
    let register = cx.register(&a.register)?;
    let directory = cx.directory()?;
    // With an approval service, log in first: it marks the token used and witnesses the
    // record's head. Without a key a pack without approval still works, unwitnessed, in
    // development mode; one with an approval must log in, or the service could not keep the
    // token to one use. In a signed city one always packs as oneself: the home's identity is
    // proven by one's own key, which the staff directory gives that person, and the service
    // (where there is one) is always asked.
    let must = a.approval.is_some() || directory.is_some();
    let load = |me: &okuri::base::ids::StaffId| {
        let key = cx.own_key(&a.keys, me)?;
        if let Some(d) = directory {
            d.prove(&cx.home.identity()?, &key.fingerprint)?;
        }
        Ok(key)
    };
    if directory.is_some() && policy.service.is_none() {
        drop(load(&cx.home.identity()?.id)?);
    }
    // What the link says (unreachable, no key: not witnessed, designations not asked) is said
    // once the transfer is decided: a pack that stops at its input (a directory, a missing
    // file, a name too long) never needed the service.
    let Linked { link, notices } = Link::for_pack(&policy, &cx.home, must, &load)?;
    req.approval = match a.approval {
        None => None,
        Some(super::IdOrFile::File(t)) => Some(ApprovalInput::File(t)),
        Some(super::IdOrFile::Id(id)) => Some(link.fetch_token(id)?),
    };
    let online = link.online();
    let interrupted = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&interrupted))
            .map_err(|e| Error::failure(msg!("cli-signal-handler")).with_source(e))?;
    }
    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{spinner}} {} {{bytes}}/{{total_bytes}} [{{bar:30}}] {{bytes_per_sec}} {{eta}}",
                t!(cx, "cli-encrypting")
            ))
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let home = cx.media_home(&a.media);
    let packed = pack::pack(
        &home,
        &policy,
        &register,
        directory,
        &req,
        &online,
        &progress,
        &interrupted,
        &okuri::i18n::slip::render,
    );
    let decided = match &packed {
        Ok(_) => true,
        Err(e) => e.kind() == okuri::base::error::Kind::Refused,
    };
    if decided {
        for n in &notices {
            cx.notice(n);
        }
    }
    // The record changed either way (a transfer or a refusal): have its head witnessed.
    for n in link.witness(&cx.home) {
        cx.notice(&n);
    }
    let report = packed?;
    if let Some(p) = &report.torn_set_aside {
        cx.notice(&msg!("cli-torn-set-aside", path = p));
    }
    for (id, outcome) in &report.reconciled {
        cx.notice(&msg!(
            "cli-reconciled",
            transfer = id.as_str(),
            outcome = outcome.as_str()
        ));
    }
    for p in &report.swept {
        cx.notice(&msg!("cli-swept", path = p));
    }
    if let Some(why) = &report.head_stale {
        cx.notice(&msg!("cli-head-stale"));
        cx.notice(why);
    }
    if a.json {
        return super::json(super::formats::PACK, &report);
    }
    let mut s = t!(
        cx,
        "cli-packed",
        file = okuri::base::fsname::shown(&report.file.name),
        recipient = report.recipient.as_str(),
        channel = cx.channel(report.channel),
        class = cx.class(report.class),
        source = super::classify::source(cx, &report.class_source),
        package = okuri::base::fsname::shown(report.package.path.as_os_str()),
        size = thousands(report.package.size),
        sha256 = report.package.sha256.short()
    );
    s.push('\n');
    if let Some(p) = &report.slip {
        s.push_str(&t!(
            cx,
            "cli-packed-slip",
            slip = okuri::base::fsname::shown(p.as_os_str())
        ));
        s.push('\n');
    }
    if let Some(ap) = &report.approval {
        s.push_str(&t!(
            cx,
            "cli-packed-approval",
            token = ap.token_id.as_str(),
            issuer = ap.issuer.as_str(),
            key = ap.key.to_string()
        ));
        s.push('\n');
    }
    s.push_str(&t!(
        cx,
        "cli-packed-record",
        entry = report.record_seq,
        transfer = report.transfer_id.as_str()
    ));
    s.push('\n');
    super::out(&s)?;
    // The slip holds the passphrase: printed straight from its zeroizing buffer, never copied.
    if let Some(text) = &report.slip_text {
        super::out("\n")?;
        super::out(text)?;
    }
    Ok(())
}
