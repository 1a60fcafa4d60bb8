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
    /// Print the effective table: what each class and channel demands
    Show {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cx: &super::Context, c: Command) -> Result<()> {
    match c {
        Command::Check { file, json } => check(cx, file, json),
        Command::Show { json } => show(cx, json),
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
    super::out(&s)
}
