//! `okuri request`, `okuri request status`

use std::path::PathBuf;

use okuri::base::channel::Channel;
use okuri::base::error::{Error, Result};
use okuri::base::ids::RequestId;
use okuri::msg;
use okuri::transfer::workflow::{self, RequestArgs};

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(mut_arg("key", |a| a.help("Your own key, to log in to the approval service with --submit [default: keys/<id> in the home]")))]
pub struct Args {
    #[command(subcommand)]
    sub: Option<Sub>,
    /// The file to send
    #[arg(required = true)]
    file: Option<PathBuf>,
    /// The recipient's id in the recipient register
    #[arg(long, value_name = "RECIPIENT", required = true)]
    to: Option<String>,
    /// How the package will travel: email, lgwan, media or hand
    #[arg(long, value_parser = super::pack::parse_channel, required = true)]
    channel: Option<Channel>,
    /// Why it is sent
    #[arg(long, required = true)]
    purpose: Option<String>,
    /// The law or ordinance that requires the provision (法令又は条例の規定), for class I
    #[arg(long, value_name = "TEXT")]
    legal_basis: Option<String>,
    /// Write the request to this file (created new), to hand to the custodian
    #[arg(long, value_name = "REQ", required_unless_present = "submit")]
    out: Option<PathBuf>,
    /// Send the request to the approval service (metadata and digests, never the file)
    #[arg(long)]
    submit: bool,
    /// Print the request as JSON
    #[arg(long, conflicts_with = "print_id")]
    json: bool,
    /// Print only the request id, for a script: `req=$(okuri request … --submit --print-id)`
    #[arg(long)]
    print_id: bool,
    #[command(flatten)]
    keys: super::KeyArgs,
    #[command(flatten)]
    register: super::RegisterArgs,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// Where a submitted request stands at the approval service
    #[command(mut_arg("key", |a| a.help("Your own key, to log in to the approval service [default: keys/<id> in the home]")))]
    Status {
        /// The request id (req-…)
        #[arg(value_parser = super::id_arg::<RequestId>)]
        id: RequestId,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        keys: super::KeyArgs,
    },
}

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    if let Some(Sub::Status { id, json, keys }) = a.sub {
        return status(cx, &keys, &id, json);
    }
    let (Some(file), Some(to), Some(channel), Some(purpose)) = (a.file, a.to, a.channel, a.purpose)
    else {
        return Err(Error::usage(msg!("cli-request-args")));
    };
    let policy = cx.policy()?;
    let register = cx.register(&a.register)?;
    // The request is signed with the requester's own key: always in a signed city, and
    // wherever the requester has one. Log in first, so that a wrong passphrase or an
    // unreachable service costs nothing.
    let id = cx.home.identity()?.id;
    let has_key = a.keys.key.is_some() || cx.home.keys_dir().join(id.as_str()).exists();
    let key = if a.submit || has_key || cx.directory()?.is_some() {
        Some(cx.own_key(&a.keys, &id)?)
    } else {
        None
    };
    let client = if a.submit {
        if policy.service.is_none() {
            return Err(Error::usage(msg!("cli-submit-no-service"))
                .with_hint(msg!("hint-cli-submit-no-service")));
        }
        let key = key.as_ref().expect("loaded for --submit");
        cx.login(&policy, &id, key).map_err(|f| f.into_error())?
    } else if let Some(k) = &key {
        // Only to ask for the city's designations of the file, so that the custodian sees
        // the class the city knows: a request goes on without (pack asks again, strictly).
        match cx.login(&policy, &id, k) {
            Ok(c) => c,
            Err(f) => {
                cx.notice(f.into_error().message());
                None
            }
        }
    } else {
        None
    };
    let city = cx.city_designations(&policy, client.as_ref());
    let mut submitted = None;
    let (req, seq) = workflow::request(
        desk(cx, &policy, &register)?,
        &RequestArgs {
            file: &file,
            to: &to,
            channel,
            purpose: &purpose,
            legal_basis: a.legal_basis.as_deref(),
            out: a.out.as_deref(),
            key: key.as_ref(),
            city: &city,
        },
        &mut |req| {
            if let Some(c) = client.as_ref().filter(|_| a.submit) {
                submitted = Some(c.submit(req).map_err(|f| f.into_error())?);
            }
            Ok(())
        },
    )?;
    if a.json {
        return super::json(super::formats::REQUEST, &req);
    }
    if a.print_id {
        return super::out(&format!("{}\n", req.request_id.as_str()));
    }
    let mut s = t!(
        cx,
        "cli-requested",
        request = req.request_id.as_str(),
        file = okuri::base::fsname::shown(&req.file.name),
        class = cx.class(req.class),
        recipient = okuri::base::fsname::shown(&req.recipient.name),
        recipient_id = req.recipient.id.as_str(),
        channel = cx.channel(req.channel),
        entry = seq
    );
    s.push('\n');
    if let Some(out) = &a.out {
        s.push_str(&t!(
            cx,
            "cli-requested-file",
            path = okuri::base::fsname::shown(out.as_os_str())
        ));
        s.push('\n');
    }
    if submitted.is_some() {
        s.push_str(&t!(
            cx,
            "cli-requested-submitted",
            request = req.request_id.as_str()
        ));
        s.push('\n');
    }
    super::out(&s)
}

fn status(cx: &super::Context, keys: &super::KeyArgs, id: &RequestId, json: bool) -> Result<()> {
    let policy = cx.policy()?;
    let client = cx.staff_session(keys, &policy, "`okuri request status`")?;
    let v = client.get(id).map_err(|f| f.into_error())?;
    if json {
        return super::json(super::formats::REQUEST_STATUS, &v);
    }
    let r = &v.request;
    let mut s = t!(
        cx,
        "cli-status",
        request = r.request_id.as_str(),
        status = v.status.as_str(),
        file = okuri::base::fsname::shown(&r.file.name),
        class = cx.class(r.class),
        recipient = r.recipient.id.as_str(),
        channel = cx.channel(r.channel),
        submitted = v.submitted_at.as_str()
    );
    s.push('\n');
    if let (Some(by), Some(at)) = (&v.decided_by, &v.decided_at) {
        s.push_str(&t!(
            cx,
            "cli-status-decided",
            by = by.as_str(),
            at = at.as_str()
        ));
        s.push('\n');
    }
    if let Some(d) = v
        .denial
        .as_deref()
        .and_then(|d| okuri::signed::approval::parse_denial(d.as_bytes()))
    {
        s.push_str(&t!(
            cx,
            "cli-status-reason",
            reason = d.payload.reason.as_str()
        ));
        s.push('\n');
    }
    if let Some(c) = &v.consumed {
        s.push_str(&t!(
            cx,
            "cli-status-used",
            by = c.by.as_str(),
            transfer = c.transfer_id.as_str(),
            at = c.at.as_str()
        ));
        s.push('\n');
    } else if v.token.is_some() {
        s.push_str(&t!(
            cx,
            "cli-status-pack",
            file = okuri::base::fsname::shown(&r.file.name),
            recipient = r.recipient.id.as_str(),
            channel = r.channel.as_str(),
            request = r.request_id.as_str()
        ));
        s.push('\n');
    }
    super::out(&s)
}

pub fn desk<'a>(
    cx: &'a super::Context,
    policy: &'a okuri::policy::Policy,
    register: &'a okuri::policy::recipients::Register,
) -> Result<workflow::Desk<'a>> {
    Ok(workflow::Desk {
        home: &cx.home,
        policy,
        register,
        directory: cx.directory()?,
    })
}
