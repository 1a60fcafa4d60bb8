//! `okuri token verify`

use std::path::PathBuf;

use serde::Serialize;

use okuri::base::error::{Error, Result};
use okuri::record::Record;
use okuri::signed::approval::{self, Token, Transfer};
use okuri::sys::hooks;
use okuri::sys::input::Input;
use okuri::transfer::label;

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Explain a token and say whether `okuri pack` would accept it, and why (exit 3 if not;
    /// nothing is recorded)
    Verify {
        /// The approval token file
        token: PathBuf,
        /// Also check that this file is the one approved, with its current class
        #[arg(long)]
        file: Option<PathBuf>,
        /// Print the verdict and every check as JSON
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        register: super::RegisterArgs,
    },
}

#[derive(Serialize)]
struct Verdict<'a> {
    token: &'a approval::TokenPayload,
    signer_key: String,
    accepted: bool,
    checks: Vec<CheckOut<'a>>,
    /// The first refusal, as the record would store it.
    refusal: Option<okuri::record::Reason>,
}

#[derive(Serialize)]
struct CheckOut<'a> {
    check: &'a str,
    ok: bool,
    detail: &'a okuri::base::message::Msg,
    /// The detail in the reader's language.
    text: String,
}

pub fn run(cx: &super::Context, c: Command) -> Result<()> {
    let Command::Verify {
        token,
        file,
        json,
        register,
    } = c;
    let policy = cx.policy()?;
    let register = cx.register(&register)?;
    let t = Token::load(&token)?;
    let record = Record::new(&cx.home);
    let used = record.token_used(&t.payload.token_id, &t.payload.issued_at)?;
    let identity = cx.home.identity().ok();
    let classified = match &file {
        Some(f) => {
            let mut input = Input::open(f)?;
            Some(label::classify(&mut input, &cx.home, &policy)?)
        }
        None => None,
    };
    let a = approval::assess(
        &t,
        &policy,
        &register,
        hooks::now().timestamp(),
        &Transfer {
            file: classified.as_ref().map(|c| (c.blake3, c.size)),
            class: classified.as_ref().map(|c| c.class),
            recipient: None,
            channel: None,
            packer: identity.as_ref().map(|i| &i.id),
            legal_basis: None,
            directory: cx.directory()?,
        },
        used,
    );
    if json {
        super::json(
            super::formats::TOKEN_VERIFY,
            &Verdict {
                token: &t.payload,
                signer_key: t.signed.signer_fingerprint().to_string(),
                accepted: a.accepted,
                checks: a
                    .checks
                    .iter()
                    .map(|c| CheckOut {
                        check: c.check,
                        ok: c.ok,
                        detail: &c.detail,
                        text: cx.say(&c.detail),
                    })
                    .collect(),
                refusal: a.refusal.as_ref().map(okuri::record::Reason::of),
            },
        )?;
    } else {
        let p = &t.payload;
        let r = &p.request;
        let mut s = t!(
            cx,
            "cli-token-head",
            token = p.token_id.as_str(),
            issuer = okuri::base::fsname::shown(&p.issuer.name),
            issuer_id = p.issuer.id.as_str(),
            issuer_department = p.issuer.department.as_str(),
            key = t.signed.signer_fingerprint().to_string(),
            issued = p.issued_at.as_str(),
            expires = p.expires_at.as_str(),
            request = r.request_id.as_str(),
            requester = okuri::base::fsname::shown(&r.requester.name),
            requester_id = r.requester.id.as_str(),
            requester_department = r.requester.department.as_str(),
            file = okuri::base::fsname::shown(&r.file.name),
            size = r.file.size,
            blake3 = r.file.blake3.to_string(),
            class = cx.class(r.class),
            recipient = okuri::base::fsname::shown(&r.recipient.name),
            recipient_id = r.recipient.id.as_str(),
            contract = r.recipient.contract.as_str(),
            channel = cx.channel(r.channel),
            purpose = r.purpose.as_str(),
            legal_basis = r.legal_basis.as_deref().unwrap_or("-")
        );
        s.push_str("\n\n");
        for c in &a.checks {
            s.push_str(&format!(
                "  {:<4} {:<13} {}\n",
                if c.ok {
                    t!(cx, "cli-check-ok")
                } else {
                    t!(cx, "cli-check-fail")
                },
                c.check,
                cx.say(&c.detail)
            ));
        }
        s.push('\n');
        s.push_str(&if a.accepted {
            t!(cx, "cli-token-accepted")
        } else {
            t!(cx, "cli-token-refused")
        });
        s.push('\n');
        super::out(&s)?;
    }
    match a.refusal {
        None => Ok(()),
        Some(r) => Err(Error::refused(r)),
    }
}
