//! `okuri approve`, `okuri deny`, `okuri approvals list`

use std::path::{Path, PathBuf};

use okuri::approval::Request;
use okuri::client::Client;
use okuri::error::{Error, Result};
use okuri::keys::SigningKey;
use okuri::policy::Policy;
use okuri::trust::SignerRole;
use okuri::wire::{DecisionUpload, Status};
use okuri::workflow;

#[derive(clap::Args, Debug)]
pub struct ApproveArgs {
    /// The request: a file from `okuri request --out`, or a request id at the approval service
    request: String,
    /// How long the approval stays valid, e.g. 72h or 3d [default: the policy's]
    #[arg(long, value_name = "DURATION", value_parser = parse_span)]
    expires: Option<jiff::Span>,
    /// Where to write the approval token (created new); needed unless the request came from
    /// the approval service, which then receives the token
    #[arg(long, value_name = "TOKEN")]
    out: Option<PathBuf>,
    /// Print the token's payload as JSON
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
pub struct DenyArgs {
    /// The request: a file from `okuri request --out`, or a request id at the approval service
    request: String,
    /// Why the request is refused (recorded, and shown to the requester)
    #[arg(long)]
    reason: String,
    /// Also write the signed refusal here, for the requester
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(clap::Subcommand, Debug)]
pub enum ApprovalsCommand {
    /// Requests waiting for your decision at the approval service (custodians), or all
    /// requests you may see
    List {
        /// Show every status, not only pending
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
}

fn parse_span(s: &str) -> Result<jiff::Span, String> {
    s.parse::<jiff::Span>()
        .map_err(|e| format!("{s:?} is not a duration like 72h or 3d ({e})"))
}

/// The custodian's id for their key, by the trust list.
fn custodian_id(policy: &Policy, key: &SigningKey) -> Result<String> {
    policy
        .trust
        .of_role(SignerRole::Custodian)
        .find(|s| s.keys.iter().any(|k| k.fingerprint == key.fingerprint))
        .map(|s| s.id.clone())
        .ok_or_else(|| {
            Error::usage(format!(
                "the key {} is not a custodian's (情報資産管理責任者) key in the policy",
                key.fingerprint
            ))
            .with_hint("use your own custodian key, or ask the CISO to list it in the trust list")
        })
}

/// Sends a signed decision to the service, when the request came from there.
fn upload(
    client: &Option<Client>,
    id: &str,
    token: Option<&[u8]>,
    denial: Option<&[u8]>,
) -> Result<()> {
    let Some(c) = client else { return Ok(()) };
    let text = |d: &[u8]| String::from_utf8_lossy(d).into_owned();
    c.decide(
        id,
        &DecisionUpload {
            token: token.map(text),
            denial: denial.map(text),
        },
    )
    .map(|_| ())
    .map_err(|f| f.into_error())
}

/// Reads the request from a file, or fetches it from the service (logging in).
fn request(
    cx: &super::Context,
    policy: &Policy,
    key: &SigningKey,
    what: &str,
) -> Result<(Request, Option<Client>)> {
    if Path::new(what).exists() {
        return Ok((Request::load(Path::new(what))?, None));
    }
    if policy.service.is_none() || !what.starts_with("req-") {
        return Err(Error::invalid(format!("there is no request file {what}"))
            .with_hint("give the file from `okuri request --out`, or a request id when the policy names an approval service"));
    }
    let id = custodian_id(policy, key)?;
    let client = cx
        .login(policy, &id, key)
        .map_err(|f| f.into_error())?
        .expect("the policy names a service");
    let view = client.get(what).map_err(|f| f.into_error())?;
    if view.status != Status::Pending {
        return Err(Error::invalid(format!(
            "request {what} is already {}",
            view.status.as_str()
        )));
    }
    Ok((view.request, Some(client)))
}

pub fn approve(cx: &super::Context, a: ApproveArgs) -> Result<()> {
    let policy = cx.policy()?;
    let register = cx.register()?;
    let key = cx.signing_key("a custodian's (情報資産管理責任者)")?;
    let (req, client) = request(cx, &policy, &key, &a.request)?;
    if client.is_none() && a.out.is_none() {
        return Err(Error::usage(
            "--out TOKEN is needed: where should the token go?",
        ));
    }
    let done = workflow::approve(
        super::request::desk(cx, &policy, &register),
        &req,
        &key,
        a.expires,
        a.out.as_deref(),
        &mut |doc| upload(&client, &req.request_id, Some(doc), None),
    )?;
    drop(key);
    if a.json {
        return super::json(&done.token);
    }
    let t = &done.token;
    let whereto = match (&done.path, &client) {
        (Some(p), Some(_)) => format!("{} and the approval service", p.display()),
        (Some(p), None) => p.display().to_string(),
        (None, _) => "the approval service".to_owned(),
    };
    super::out(&format!(
        "Approved {} — {} (class {}, {}) to {} by {}\n  token:   {} in {whereto}\n  expires: {}\n  record:  entry {}\nIt is good for one transfer of exactly this file, by {} ({}).\n",
        t.request.request_id,
        t.request.file.name,
        t.request.class,
        t.request.class.ja(),
        t.request.recipient.name,
        t.request.channel,
        t.token_id,
        t.expires_at,
        done.record_seq,
        t.request.requester.name,
        t.request.requester.id
    ))
}

pub fn deny(cx: &super::Context, a: DenyArgs) -> Result<()> {
    let policy = cx.policy()?;
    let register = cx.register()?;
    let key = cx.signing_key("a custodian's (情報資産管理責任者)")?;
    let (req, client) = request(cx, &policy, &key, &a.request)?;
    let done = workflow::deny(
        super::request::desk(cx, &policy, &register),
        &req,
        &key,
        &a.reason,
        a.out.as_deref(),
        &mut |doc| upload(&client, &req.request_id, None, Some(doc)),
    )?;
    drop(key);
    super::out(&format!(
        "Denied {} — {}: {}\n  record: entry {}{}{}\n",
        req.request_id,
        req.file.name,
        done.denial.reason,
        done.record_seq,
        done.path
            .map(|p| format!("\n  signed refusal: {}", p.display()))
            .unwrap_or_default(),
        if client.is_some() {
            "\n  sent to the approval service"
        } else {
            ""
        }
    ))
}

pub fn approvals(cx: &super::Context, c: ApprovalsCommand) -> Result<()> {
    let ApprovalsCommand::List { all, json } = c;
    let policy = cx.policy()?;
    if policy.service.is_none() {
        return Err(Error::usage("the policy names no approval service"));
    }
    let key = cx.signing_key("your")?;
    let id = match custodian_id(&policy, &key) {
        Ok(id) => id,
        Err(_) => cx.home.identity()?.id,
    };
    let client = cx
        .login(&policy, &id, &key)
        .map_err(|f| f.into_error())?
        .expect("the policy names a service");
    let list = client
        .list(if all { None } else { Some(Status::Pending) })
        .map_err(|f| f.into_error())?;
    if json {
        return super::json(&list);
    }
    let mut s = String::new();
    for v in &list {
        let r = &v.request;
        s.push_str(&format!(
            "{}  {:<9} class {:<3} {:<5} {}  to {}  by {} ({})  {}\n    purpose: {}{}\n",
            r.request_id,
            v.status.as_str(),
            r.class.as_str(),
            r.channel.as_str(),
            r.file.name,
            r.recipient.id,
            r.requester.name,
            r.requester.id,
            v.submitted_at,
            r.purpose,
            r.legal_basis
                .as_ref()
                .map(|l| format!("; legal basis: {l}"))
                .unwrap_or_default()
        ));
    }
    if list.is_empty() {
        s.push_str("nothing is waiting\n");
    }
    super::out(&s)
}
