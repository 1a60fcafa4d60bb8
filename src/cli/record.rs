//! `okuri record verify | show`

use okuri::base::error::{Error, Result};
use okuri::base::message::Lang;
use okuri::msg;
use okuri::record::{Event, Line, Outcome, Reason, Record};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Check the hash chain and the head; names the first bad entry (exit code 5)
    #[command(mut_arg("key", |a| a.help("Your own key, to log in to the approval service for --witness [default: keys/<id> in the home]")))]
    Verify {
        #[arg(long)]
        json: bool,
        /// Also compare with the head the approval service witnessed: catches a record cut
        /// short or rewritten together with its record.head
        #[arg(long)]
        witness: bool,
        #[command(flatten)]
        keys: super::KeyArgs,
    },
    /// Print the entries
    Show {
        /// Print a JSON array of the entries as stored
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cx: &super::Context, c: Command) -> Result<()> {
    let record = Record::new(&cx.home);
    match c {
        Command::Verify {
            json,
            witness,
            keys,
        } => {
            let v = record.verify()?;
            if witness && v.ok() {
                check_witness(cx, &keys, &record, &v)?;
            }
            if json {
                super::json(super::formats::RECORD_VERIFY, &v)?;
            } else {
                // Set aside by the next writer only when nothing else is wrong.
                if let Some(n) = v.torn_tail_bytes.filter(|_| v.ok()) {
                    cx.notice(&msg!("cli-record-torn", bytes = n));
                }
                if v.head_lagging {
                    cx.notice(&msg!("cli-record-head-lagging"));
                }
                if let Some(n) = v.out_of_order {
                    cx.notice(&msg!("cli-record-out-of-order", entry = n));
                }
                if v.ok() {
                    super::out(&t!(
                        cx,
                        "cli-record-ok",
                        entries = v.entries,
                        path = okuri::base::fsname::shown(record.path().as_os_str()),
                        last = v.last_hash.map(|h| h.to_string()).unwrap_or_default()
                    ))?;
                }
            }
            match v.problem {
                None => Ok(()),
                Some(p) => Err(Error::integrity(msg!("cli-record-failed", entry = p.entry))
                    .with_hint(p.message)
                    .with_hint(msg!("hint-cli-record-report"))),
            }
        }
        Command::Show { json } => {
            let lines = record.lines()?;
            if json {
                return super::json(super::formats::RECORD_SHOW, &lines);
            }
            let mut s = String::new();
            for l in &lines {
                match l {
                    Line::Entry(e) => {
                        s.push_str(&format!(
                            "{:>5}  {}  {:<10}  ",
                            e.seq,
                            e.event.at(),
                            e.event.outcome().as_str()
                        ));
                        s.push_str(&describe(cx, &e.event));
                    }
                    // An entry as an older okuri wrote it, with data today's types refuse.
                    Line::Other(v) => {
                        let field = |k: &str| v.get(k).map(|x| x.to_string()).unwrap_or_default();
                        s.push_str(&format!(
                            "{:>5}  {}  {:<10}  {}",
                            field("seq"),
                            v["at"].as_str().unwrap_or(""),
                            v["outcome"].as_str().unwrap_or(""),
                            v
                        ));
                    }
                }
                s.push('\n');
            }
            super::out(&s)
        }
    }
}

/// One line per entry: what happened, to what, for whom, and why. People are named as the
/// entry names them (sender, requester, custodian, officer), by name, one form throughout. A refusal's reason is
/// rendered in the reader's language from its code and arguments (format 2), or shown as it
/// was written (format 1).
fn describe(cx: &super::Context, ev: &Event) -> String {
    let reason = |r: &Option<Reason>| {
        r.as_ref()
            .map(|r| {
                let text = match r {
                    Reason::Refusal { message, .. } => cx.say(message),
                    Reason::Prose { ja, en, .. } => match cx.texts().lang {
                        Lang::Ja => ja.clone(),
                        Lang::En => en.clone(),
                    },
                };
                format!("  [{}] {}", r.code(), text.lines().next().unwrap_or(""))
            })
            .unwrap_or_default()
    };
    match ev {
        Event::Transfer(b) => {
            let detail = b
                .detail
                .as_ref()
                .map(|m| format!("  ({})", cx.say(m)))
                .unwrap_or_default();
            let what = match b.outcome {
                Outcome::Packed | Outcome::Prepared => b
                    .package
                    .as_ref()
                    .map(|p| format!("  -> {}", okuri::base::fsname::shown(&p.name)))
                    .unwrap_or_default(),
                Outcome::Aborted => String::new(),
                _ => reason(&b.reason),
            } + &detail;
            let approval = b
                .approval
                .as_ref()
                .map(|a| {
                    format!(
                        "  {}",
                        t!(cx, "cli-show-approved-by", issuer = a.issuer.as_str())
                    )
                })
                .unwrap_or_default();
            t!(
                cx,
                "cli-show-transfer",
                class = b.class.as_str(),
                channel = b.channel.as_str(),
                sender = okuri::base::fsname::shown(&b.sender.name),
                file = okuri::base::fsname::shown(&b.file.name),
                recipient = b.recipient.as_str()
            ) + &approval
                + &what
        }
        Event::Request(r) => {
            t!(
                cx,
                "cli-show-request",
                request = r.request_id.as_str(),
                class = r.request.class.as_str(),
                channel = r.request.channel.as_str(),
                file = okuri::base::fsname::shown(&r.request.file.name),
                recipient = r.request.recipient.id.as_str(),
                requester = r.request.requester.name.as_str()
            ) + &reason(&r.reason)
        }
        Event::Decision(d) => {
            let token = d
                .token_id
                .as_ref()
                .map(|tok| format!("  {}", t!(cx, "cli-show-token", token = tok.as_str())))
                .unwrap_or_default();
            let why = d
                .denial
                .as_ref()
                .map(|w| format!("  {}", t!(cx, "cli-show-denied", reason = w.as_str())))
                .unwrap_or_else(|| reason(&d.reason));
            t!(
                cx,
                "cli-show-decision",
                request = d.request_id.as_str(),
                class = d.request.class.as_str(),
                channel = d.request.channel.as_str(),
                file = okuri::base::fsname::shown(&d.request.file.name),
                custodian = d.custodian.as_ref().map_or("?", |c| c.name.as_str())
            ) + &token
                + &why
        }
        Event::Medium(m) => {
            t!(
                cx,
                "cli-show-medium",
                label = m.label.as_str(),
                medium = m.medium_id.as_str(),
                by = m.by.as_str()
            ) + &m
                .reason
                .as_ref()
                .map(|r| format!("  [{r}]"))
                .unwrap_or_default()
        }
        Event::Designation(d) => t!(
            cx,
            "cli-show-designation",
            class = d.class.as_str(),
            file = okuri::base::fsname::shown(&d.file.name),
            officer = d.officer.name.as_str(),
            department = d.department.as_str()
        ),
    }
}

/// Compares the local record with the head the approval service witnessed.
fn check_witness(
    cx: &super::Context,
    keys: &super::KeyArgs,
    record: &Record,
    v: &okuri::record::Verified,
) -> Result<()> {
    let policy = cx.policy()?;
    let client = cx.staff_session(keys, &policy, "--witness")?;
    let id = okuri::net::client::record_id(&client.id);
    let Some(head) = client.witness(&id).map_err(|f| f.into_error())? else {
        cx.notice(&msg!("cli-witness-none", record = &id));
        return Ok(());
    };
    if head.seq > v.entries {
        return Err(Error::integrity(msg!(
            "cli-witness-cut-short",
            entries = v.entries,
            head = head.seq,
            at = head.updated_at.as_str()
        ))
        .with_hint(msg!("hint-cli-record-report")));
    }
    if record.line_hash(head.seq)? != Some(head.hash) {
        return Err(Error::integrity(msg!(
            "cli-witness-rewritten",
            head = head.seq,
            at = head.updated_at.as_str()
        ))
        .with_hint(msg!("hint-cli-record-report")));
    }
    cx.notice(&msg!(
        "cli-witness-ok",
        record = &id,
        head = head.seq,
        at = head.updated_at.as_str()
    ));
    Ok(())
}
