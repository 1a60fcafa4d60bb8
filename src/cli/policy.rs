//! `okuri policy check | show`

use std::path::PathBuf;

use okuri::error::{Error, Result};
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
                okuri::fsutil::write_new_mode(&r, p.trust.revoked_keys().as_bytes(), 0o644)?;
            }
            match out {
                Some(o) => okuri::fsutil::write_new_mode(&o, text.as_bytes(), 0o644),
                None => super::out(&text),
            }
        }
        Command::Default => super::out(policy::EMBEDDED),
    }
}

fn check(cx: &super::Context, file: Option<PathBuf>, json: bool) -> Result<()> {
    let file = file.or_else(|| cx.policy_path().map(|p| p.to_path_buf()));
    let (text, origin) = match &file {
        Some(p) => (
            std::fs::read_to_string(p).map_err(|e| Error::io("read policy", p, e))?,
            Origin::File(p.clone()),
        ),
        None => (policy::EMBEDDED.to_owned(), Origin::Embedded),
    };
    let checked = Policy::check(&text, origin.clone());
    let n_err = checked.errors().count();
    if json {
        super::json(&serde_json::json!({
            "policy": origin.to_string(),
            "valid": checked.policy.is_some(),
            "blake3": checked.policy.as_ref().map(|p| p.digest),
            "diagnostics": checked.diagnostics,
        }))?;
    } else {
        eprint!(
            "{}",
            policy::render_diagnostics(&origin, &checked.diagnostics)
        );
        if let Some(p) = &checked.policy {
            super::out(&format!("policy OK: {origin} (BLAKE3 {})\n", p.digest))?;
        }
    }
    if n_err > 0 {
        return Err(Error::invalid(format!(
            "the policy {origin} has {n_err} error{}",
            if n_err == 1 { "" } else { "s" }
        ))
        .with_hint("fix each error above; nothing uses this policy until it is valid"));
    }
    Ok(())
}

fn show(cx: &super::Context, json: bool) -> Result<()> {
    let p = cx.policy()?;
    if json {
        return super::json(&serde_json::json!({
            "policy": p.origin.to_string(),
            "blake3": p.digest,
            "unlabeled_class": p.unlabeled_class,
            "passphrase_min_bits": p.passphrase_min_bits,
            "table": p.table(),
            "approval": p.approval,
            "trust": p.trust,
        }));
    }
    let mut s = format!(
        "policy {} (BLAKE3 {})\nunlabeled files: class {} ({}); passphrase: at least {} bits\n\n",
        p.origin,
        p.digest.short(),
        p.unlabeled_class,
        p.unlabeled_class.ja(),
        p.passphrase_min_bits
    );
    s.push_str(&format!(
        "{:<6} {:<8} {}\n",
        "class", "channel", "requires / 条件"
    ));
    for row in p.table() {
        let r = row.requirements;
        let what = if r.forbidden {
            "forbidden / 不可".to_owned()
        } else {
            let mut parts = Vec::new();
            if r.legal_basis {
                parts.push("legal basis / 法令又は条例の規定");
            }
            if r.approval {
                parts.push("custodian approval / 情報資産管理責任者の承認");
            }
            if r.encryption {
                parts.push("encryption / 暗号化");
            }
            if parts.is_empty() {
                "allowed / 可".to_owned()
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
    s.push_str(&format!(
        "\napprovals valid for {} hours by default, at most {}\n",
        p.approval.default_validity_hours, p.approval.max_validity_hours
    ));
    for signer in &p.trust.signers {
        let classes: Vec<&str> = signer.classes.iter().map(|c| c.as_str()).collect();
        s.push_str(&format!(
            "{} ({}) {} — {} ({}); classes {}; departments {}; {} key(s), {} revoked\n",
            signer.role.key(),
            signer.role.ja(),
            signer.id,
            signer.name,
            signer.department,
            classes.join(", "),
            signer.departments.join(", "),
            signer.keys.len(),
            signer.revoked.len()
        ));
    }
    super::out(&s)
}
