//! `okuri pack`

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use indicatif::{ProgressBar, ProgressStyle};

use okuri::channel::Channel;
use okuri::error::{Error, Result};
use okuri::pack::{self, ApprovalInput, Online, Request, SlipTarget};
use okuri::slip::thousands;

#[derive(clap::Args, Debug)]
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
    /// The custodian's approval, for classes that need one: a token file from `okuri approve`,
    /// or a request id (req-…) whose token the approval service holds
    #[arg(long, value_name = "TOKEN|ID")]
    approval: Option<String>,
    /// Print one JSON object describing the transfer (never the passphrase); needs --slip
    #[arg(long)]
    json: bool,
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
                return Err(Error::usage(
                    "the password slip has nowhere to go: standard output is not a terminal",
                )
                .with_hint("give --slip PATH (a directory other than the package's)"));
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
    let register = cx.register()?;
    // With an approval service, log in first: it marks the token used and witnesses the
    // record's head. Without a key the pack still works, unwitnessed, unless the token itself
    // must come from the service.
    let mut session = None;
    let mut unreachable = None;
    if policy.service.is_some() {
        let me = cx.home.identity()?.id;
        let needs = a
            .approval
            .as_deref()
            .is_some_and(|t| !std::path::Path::new(t).exists());
        let key = match cx.own_key(&me) {
            Ok(k) => Some(k),
            Err(e) if !needs && a.approval.is_none() => {
                super::notice(&format!(
                    "warning: this transfer will not be witnessed: {}",
                    e.message()
                ));
                None
            }
            Err(e) => return Err(e),
        };
        if let Some(key) = key {
            match cx.login(&policy, &me, &key) {
                Ok(c) => session = c.map(|c| (c, key, me)),
                Err(okuri::client::Failure::Unreachable(e)) => {
                    super::notice(&format!("warning: {}", e.message()));
                    unreachable = Some(e.message().to_owned());
                }
                Err(f) => return Err(f.into_error()),
            }
        }
    }
    req.approval = match a.approval {
        None => None,
        Some(t) if std::path::Path::new(&t).exists() => Some(ApprovalInput::File(t.into())),
        Some(id) if id.starts_with("req-") && policy.service.is_some() => {
            let Some((c, _, _)) = &session else {
                return Err(Error::failure(format!(
                    "the token for {id} is at the approval service, which cannot be reached"
                ))
                .with_hint("try again later; where the policy allows it, a token file from your custodian works offline"));
            };
            let view = c.get(&id).map_err(|f| f.into_error())?;
            let text = view.token.ok_or_else(|| {
                Error::invalid(format!(
                    "request {id} is {}, not approved",
                    view.status.as_str()
                ))
                .with_hint("see `okuri request status ID`")
            })?;
            Some(ApprovalInput::Fetched {
                request_id: id,
                text,
            })
        }
        Some(t) => {
            return Err(Error::invalid(format!("there is no token file {t}"))
                .with_hint("give the token file from your custodian, or a request id (req-…) when the policy names an approval service"));
        }
    };
    let online = match (&session, unreachable) {
        (Some((c, _, _)), _) => Online::Connected(c),
        (None, Some(why)) => Online::Unreachable(why),
        (None, None) => Online::Offline,
    };
    let interrupted = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&interrupted))
            .map_err(|e| Error::failure("cannot install a signal handler").with_source(e))?;
    }
    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} encrypting {bytes}/{total_bytes} [{bar:30}] {bytes_per_sec} {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let packed = pack::pack(
        &cx.home,
        &policy,
        &register,
        &req,
        &online,
        &progress,
        &interrupted,
    );
    // The record changed either way (a transfer or a refusal): have its head witnessed.
    if let Some((c, key, me)) = &session {
        let record = okuri::client::record_id(me);
        if let Err(f) = c.send_head(&record, &cx.home.record_path(), key) {
            super::notice(&format!(
                "warning: the approval service did not witness the record's head: {}",
                f.into_error().message()
            ));
        }
    }
    let report = packed?;
    if let Some(p) = &report.torn_set_aside {
        super::notice(&format!(
            "warning: an interrupted record write was set aside in {}",
            p.display()
        ));
    }
    if a.json {
        return super::json(&report);
    }
    let mut s = format!(
        "Packed {} for {} by {} — class {} ({}) from {}\n  package: {} ({} bytes, SHA-256 {})\n",
        report.file.name,
        report.recipient,
        report.channel,
        report.class,
        report.class.ja(),
        report.class_source.name(),
        report.package.path.display(),
        thousands(report.package.size),
        report.package.sha256.short(),
    );
    if let Some(p) = &report.slip {
        s.push_str(&format!(
            "  slip:    {}\n           パスワード通知書はファイルとは別の経路(電話・FAX・手渡し・郵送)で伝えてください。\n           Send the slip by another channel (phone, fax, hand, post), never with the file.\n",
            p.display()
        ));
    }
    if let Some(ap) = &report.approval {
        s.push_str(&format!(
            "  approval: {} by {} (key {})\n",
            ap.token_id, ap.issuer, ap.key
        ));
    }
    s.push_str(&format!(
        "  record:  entry {} ({})\n",
        report.record_seq, report.transfer_id
    ));
    super::out(&s)?;
    // The slip holds the passphrase: printed straight from its zeroizing buffer, never copied.
    if let Some(text) = &report.slip_text {
        super::out("\n")?;
        super::out(text)?;
    }
    Ok(())
}
