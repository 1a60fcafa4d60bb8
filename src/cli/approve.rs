//! `okuri approve`, `okuri deny`, `okuri approvals list`

use std::path::PathBuf;

use okuri::base::error::{Error, Result};
use okuri::base::ids::{RequestId, StaffId};
use okuri::msg;
use okuri::net::client::Client;
use okuri::net::wire::{DecisionUpload, Status};
use okuri::policy::Policy;
use okuri::policy::trust::SignerRole;
use okuri::secret::keys::SigningKey;
use okuri::signed::approval::Request;
use okuri::transfer::workflow;

use super::KeyOf;

#[derive(clap::Args, Debug)]
#[command(mut_arg("key", |a| a.help("Your custodian's (情報資産管理責任者) key, which signs the token")))]
pub struct ApproveArgs {
    /// The request: a request id at the approval service (req-…), or else a file from
    /// `okuri request --out`
    #[arg(value_parser = super::by_syntax::<RequestId>)]
    request: super::IdOrFile<RequestId>,
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
    #[command(flatten)]
    keys: super::KeyArgs,
    #[command(flatten)]
    register: super::RegisterArgs,
}

#[derive(clap::Args, Debug)]
#[command(mut_arg("key", |a| a.help("Your custodian's (情報資産管理責任者) key, which signs the refusal")))]
pub struct DenyArgs {
    /// The request: a request id at the approval service (req-…), or else a file from
    /// `okuri request --out`
    #[arg(value_parser = super::by_syntax::<RequestId>)]
    request: super::IdOrFile<RequestId>,
    /// Why the request is refused (recorded, and shown to the requester)
    #[arg(long)]
    reason: String,
    /// Also write the signed refusal here, for the requester
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    keys: super::KeyArgs,
    #[command(flatten)]
    register: super::RegisterArgs,
}

#[derive(clap::Subcommand, Debug)]
pub enum ApprovalsCommand {
    /// Requests waiting for your decision at the approval service (custodians), or all
    /// requests you may see
    #[command(mut_arg("key", |a| a.help("Your key, to log in to the approval service (a custodian's, or your own)")))]
    List {
        /// Show every status, not only pending
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        keys: super::KeyArgs,
    },
    /// Approval tokens used by more than one transfer (offline on two machines, or online and
    /// offline), as the approval service learnt of them (custodians and auditors)
    #[command(mut_arg("key", |a| a.help("Your key, to log in to the approval service (a custodian's or an auditor's)")))]
    Violations {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        keys: super::KeyArgs,
    },
}

fn parse_span(s: &str) -> Result<jiff::Span, String> {
    s.parse::<jiff::Span>().map_err(|e| {
        super::env_texts().render(&msg!("cli-bad-duration", value = s, detail = e.to_string()))
    })
}

/// The custodian's id for their key, by the trust list.
fn custodian_id(policy: &Policy, key: &SigningKey) -> Result<StaffId> {
    policy
        .trust
        .of_role(SignerRole::Custodian)
        .find(|s| s.keys.iter().any(|k| k.fingerprint == key.fingerprint))
        .map(|s| s.id.clone())
        .ok_or_else(|| {
            Error::usage(msg!("cli-not-custodian-key", key = &key.fingerprint))
                .with_hint(msg!("hint-cli-not-custodian-key"))
        })
}

/// Sends a signed decision to the service, when the request came from there.
fn upload(
    client: &Option<Client>,
    id: &RequestId,
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
    what: &super::IdOrFile<RequestId>,
) -> Result<(Request, Option<Client>)> {
    let what = match what {
        super::IdOrFile::File(p) => return Ok((Request::load(p)?, None)),
        super::IdOrFile::Id(id) => id,
    };
    if policy.service.is_none() {
        return Err(
            Error::usage(msg!("cli-no-service")).with_hint(msg!("hint-cli-no-request-file"))
        );
    }
    let id = custodian_id(policy, key)?;
    let client = cx
        .login(policy, &id, key)
        .map_err(|f| f.into_error())?
        .expect("the policy names a service");
    let view = client.get(what).map_err(|f| f.into_error())?;
    if view.status != Status::Pending {
        return Err(Error::invalid(msg!(
            "cli-request-decided",
            id = what,
            status = view.status.as_str()
        )));
    }
    Ok((view.request, Some(client)))
}

pub fn approve(cx: &super::Context, a: ApproveArgs) -> Result<()> {
    let policy = cx.policy()?;
    let register = cx.register(&a.register)?;
    let key = cx.signing_key(&a.keys, KeyOf::Custodian)?;
    let (req, client) = request(cx, &policy, &key, &a.request)?;
    if client.is_none() && a.out.is_none() {
        return Err(Error::usage(msg!("cli-approve-needs-out")));
    }
    let done = workflow::approve(
        super::request::desk(cx, &policy, &register)?,
        &req,
        &key,
        a.expires,
        a.out.as_deref(),
        &mut |doc| upload(&client, &req.request_id, Some(doc), None),
    )?;
    drop(key);
    if a.json {
        return super::json(super::formats::APPROVAL, &done.token);
    }
    let tok = &done.token;
    let r = &tok.request;
    let file = done
        .path
        .as_ref()
        .map(|p| okuri::base::fsname::shown(p.as_os_str()))
        .unwrap_or_default();
    let whereto = match (&done.path, &client) {
        (Some(_), Some(_)) => t!(cx, "cli-approved-where-both", file = file),
        (Some(_), None) => file,
        (None, _) => t!(cx, "cli-approved-where-service"),
    };
    super::out(&t!(
        cx,
        "cli-approved",
        request = r.request_id.as_str(),
        file = okuri::base::fsname::shown(&r.file.name),
        class = cx.class(r.class),
        recipient = okuri::base::fsname::shown(&r.recipient.name),
        channel = cx.channel(r.channel),
        token = tok.token_id.as_str(),
        whereto = whereto,
        expires = tok.expires_at.as_str(),
        entry = done.record_seq,
        requester = okuri::base::fsname::shown(&r.requester.name),
        requester_id = r.requester.id.as_str()
    ))
}

pub fn deny(cx: &super::Context, a: DenyArgs) -> Result<()> {
    let policy = cx.policy()?;
    let register = cx.register(&a.register)?;
    let key = cx.signing_key(&a.keys, KeyOf::Custodian)?;
    let (req, client) = request(cx, &policy, &key, &a.request)?;
    let done = workflow::deny(
        super::request::desk(cx, &policy, &register)?,
        &req,
        &key,
        &a.reason,
        a.out.as_deref(),
        &mut |doc| upload(&client, &req.request_id, None, Some(doc)),
    )?;
    drop(key);
    let mut s = t!(
        cx,
        "cli-denied",
        request = req.request_id.as_str(),
        file = okuri::base::fsname::shown(&req.file.name),
        reason = done.denial.reason.as_str(),
        entry = done.record_seq
    );
    if let Some(p) = &done.path {
        s.push_str(&t!(
            cx,
            "cli-denied-file",
            path = okuri::base::fsname::shown(p.as_os_str())
        ));
    }
    if client.is_some() {
        s.push_str(&t!(cx, "cli-denied-sent"));
    }
    super::out(&s)
}

pub fn approvals(cx: &super::Context, c: ApprovalsCommand) -> Result<()> {
    let (all, json, keys, violations) = match c {
        ApprovalsCommand::List { all, json, keys } => (all, json, keys, false),
        ApprovalsCommand::Violations { json, keys } => (true, json, keys, true),
    };
    let policy = cx.policy()?;
    if policy.service.is_none() {
        return Err(Error::usage(msg!("cli-no-service")));
    }
    let key = cx.signing_key(&keys, KeyOf::Own)?;
    let id = match custodian_id(&policy, &key) {
        Ok(id) => id,
        Err(_) => cx.home.identity()?.id,
    };
    let client = cx
        .login(&policy, &id, &key)
        .map_err(|f| f.into_error())?
        .expect("the policy names a service");
    if violations {
        let v = client.violations().map_err(|f| f.into_error())?;
        let classes = client.class_findings().map_err(|f| f.into_error())?;
        if json {
            return super::json(
                super::formats::VIOLATIONS,
                &serde_json::json!({ "tokens": v, "classes": classes }),
            );
        }
        let mut s = String::new();
        for x in &v {
            s.push_str(&t!(
                cx,
                "cli-violation-row",
                token = x.token_id.as_str(),
                transfer = x.transfer_id.as_str(),
                first = x.first_transfer.as_str(),
                by = x.by.as_str(),
                record = x.record.as_str(),
                at = x.at.as_str()
            ));
            s.push('\n');
        }
        if v.is_empty() {
            s.push_str(&t!(cx, "cli-violations-none"));
            s.push('\n');
        }
        for x in &classes {
            s.push_str(&t!(
                cx,
                "cli-class-finding-row",
                transfer = x.transfer_id.as_str(),
                by = x.by.as_str(),
                record = x.record.as_str(),
                class = x.class.as_str(),
                city_class = x.city_class.as_str(),
                blake3 = x.blake3.as_str(),
                at = x.at.as_str()
            ));
            s.push('\n');
        }
        return super::out(&s);
    }
    let list = client
        .list(if all { None } else { Some(Status::Pending) })
        .map_err(|f| f.into_error())?;
    if json {
        return super::json(super::formats::APPROVALS_LIST, &list);
    }
    let mut s = String::new();
    for v in &list {
        let r = &v.request;
        s.push_str(&t!(
            cx,
            "cli-approvals-row",
            request = r.request_id.as_str(),
            status = v.status.as_str(),
            class = r.class.as_str(),
            channel = r.channel.as_str(),
            file = okuri::base::fsname::shown(&r.file.name),
            recipient = r.recipient.id.as_str(),
            requester = okuri::base::fsname::shown(&r.requester.name),
            requester_id = r.requester.id.as_str(),
            submitted = v.submitted_at.as_str(),
            purpose = r.purpose.as_str(),
            legal_basis = r.legal_basis.as_deref().unwrap_or("-")
        ));
        s.push('\n');
    }
    if list.is_empty() {
        s.push_str(&t!(cx, "cli-approvals-none"));
        s.push('\n');
    }
    super::out(&s)
}
