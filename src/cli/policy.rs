//! `okuri policy check | show`

use std::path::PathBuf;

use okuri::base::error::{Error, IoOp, Result};
use okuri::msg;
use okuri::policy::{self, Origin, Policy};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Validate a policy and report every error with file, line, column and a hint
    Check {
        /// The policy to check [default: --policy, or the embedded one]
        file: Option<PathBuf>,
        /// Print the findings as JSON
        #[arg(long)]
        json: bool,
    },
    /// Print the effective table: what each class and channel demands, and the trust list
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Write the trust list as an OpenSSH allowed_signers file, for `ssh-keygen -Y verify`
    AllowedSigners {
        /// Write here (created new) instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Also write the revoked keys here, for `ssh-keygen -Y verify -r FILE`
        #[arg(long, value_name = "FILE")]
        revoked: Option<PathBuf>,
    },
    /// Print the embedded default policy, as a starting point for the city's own
    Default,
}

pub fn run(cx: &super::Context, c: Command) -> Result<()> {
    match c {
        Command::Check { file, json } => check(cx, file, json),
        Command::Show { json } => show(cx, json),
        Command::AllowedSigners { out, revoked } => {
            let p = cx.policy()?;
            let text = p.trust.allowed_signers();
            if let Some(r) = revoked {
                okuri::sys::fsutil::write_new_mode(&r, p.trust.revoked_keys().as_bytes(), 0o644)?;
            }
            match out {
                Some(o) => okuri::sys::fsutil::write_new_mode(&o, text.as_bytes(), 0o644),
                None => super::out(&text),
            }
        }
        Command::Default => super::out(policy::EMBEDDED),
    }
}

fn check(cx: &super::Context, file: Option<PathBuf>, json: bool) -> Result<()> {
    let file = file.or_else(|| cx.policy_path().map(|p| p.to_path_buf()));
    // Where a trust anchor is installed, the policy to check is the city's, signatures and
    // all: checking the embedded default there would say nothing about what okuri obeys.
    if file.is_none() && okuri::policy::city::anchored() {
        let p = cx.policy()?;
        if json {
            return super::json(
                super::formats::POLICY_CHECK,
                &serde_json::json!({
                    "policy": p.origin.to_string(),
                    "valid": true,
                    "blake3": p.digest,
                    "diagnostics": [],
                }),
            );
        }
        return super::out(&t!(
            cx,
            "cli-policy-ok",
            policy = p.origin.to_string(),
            blake3 = p.digest.to_string()
        ));
    }
    let (text, origin) = match &file {
        Some(p) => (
            std::fs::read_to_string(p).map_err(|e| Error::io(IoOp::Read, p, e))?,
            Origin::File(p.clone()),
        ),
        None => (policy::EMBEDDED.to_owned(), Origin::Embedded),
    };
    let checked = Policy::check(&text, origin.clone());
    let n_err = checked.errors().count();
    if json {
        let diagnostics: Vec<_> = checked
            .diagnostics
            .iter()
            .map(|d| {
                serde_json::json!({
                    "severity": d.severity,
                    "line": d.line,
                    "column": d.column,
                    "code": d.message.id(),
                    "args": d.message.args,
                    "message": cx.say(&d.message),
                    "hint": d.hint.as_ref().map(|h| cx.say(h)),
                })
            })
            .collect();
        super::json(
            super::formats::POLICY_CHECK,
            &serde_json::json!({
                "policy": origin.to_string(),
                "valid": checked.policy.is_some(),
                "blake3": checked.policy.as_ref().map(|p| p.digest),
                "diagnostics": diagnostics,
            }),
        )?;
    } else {
        eprint!(
            "{}",
            cx.texts()
                .diagnostics(&origin.to_string(), &checked.diagnostics)
        );
        if let Some(p) = &checked.policy {
            super::out(&t!(
                cx,
                "cli-policy-ok",
                policy = origin.to_string(),
                blake3 = p.digest.to_string()
            ))?;
        }
    }
    if n_err > 0 {
        return Err(Error::invalid(msg!(
            "cli-policy-errors",
            policy = origin.to_string(),
            errors = n_err
        ))
        .with_hint(msg!("hint-cli-policy-errors")));
    }
    Ok(())
}

fn show(cx: &super::Context, json: bool) -> Result<()> {
    let p = cx.policy()?;
    if json {
        return super::json(
            super::formats::POLICY_SHOW,
            &serde_json::json!({
                "policy": p.origin.to_string(),
                "blake3": p.digest,
                "unlabeled_class": p.unlabeled_class,
                "passphrase_min_bits": p.passphrase_min_bits,
                "language": p.language,
                "development": p.origin.development(),
                "documents": p.documents.iter().map(|(k, n)| serde_json::json!({"kind": k, "serial": n})).collect::<Vec<_>>(),
                "table": p.table(),
                "approval": p.approval,
                "trust": p.trust,
            }),
        );
    }
    let mut s = t!(
        cx,
        "cli-policy-head",
        policy = p.origin.to_string(),
        blake3 = p.digest.short(),
        unlabeled = cx.class(p.unlabeled_class),
        bits = p.passphrase_min_bits
    );
    s.push('\n');
    if p.origin.development() {
        s.push_str(&t!(cx, "cli-policy-development"));
    } else {
        let docs: Vec<String> = p
            .documents
            .iter()
            .map(|(k, n)| format!("{} #{n}", k.as_str()))
            .collect();
        s.push_str(&t!(cx, "cli-policy-signed", documents = docs.join(", ")));
    }
    s.push_str("\n\n");
    s.push_str(&format!(
        "{:<6} {:<8} {}\n",
        t!(cx, "cli-policy-col-class"),
        t!(cx, "cli-policy-col-channel"),
        t!(cx, "cli-policy-col-requires")
    ));
    for row in p.table() {
        let r = row.requirements;
        let what = if r.forbidden {
            t!(cx, "cli-policy-forbidden")
        } else {
            let mut parts = Vec::new();
            if r.legal_basis {
                parts.push(t!(cx, "cli-policy-legal-basis"));
            }
            if r.approval {
                parts.push(t!(cx, "cli-policy-approval"));
            }
            if r.encryption {
                parts.push(t!(cx, "cli-policy-encryption"));
            }
            if parts.is_empty() {
                t!(cx, "cli-policy-allowed")
            } else {
                parts.join(" + ")
            }
        };
        s.push_str(&format!(
            "{:<6} {:<8} {}\n",
            row.class.as_str(),
            row.channel.as_str(),
            what
        ));
    }
    s.push('\n');
    s.push_str(&t!(
        cx,
        "cli-policy-validity",
        default = p.approval.default_validity_hours,
        max = p.approval.max_validity_hours
    ));
    s.push('\n');
    for signer in &p.trust.signers {
        let classes: Vec<&str> = signer.classes.iter().map(|c| c.as_str()).collect();
        s.push_str(&t!(
            cx,
            "cli-policy-signer",
            role = signer.role.key(),
            id = signer.id.as_str(),
            name = okuri::base::fsname::shown(&signer.name),
            department = signer.department.as_str(),
            classes = classes.join(", "),
            departments = signer.departments.join(", "),
            keys = signer.keys.len(),
            revoked = signer.revoked.len()
        ));
        s.push('\n');
    }
    super::out(&s)
}
