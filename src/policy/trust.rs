//! The trust list in `policy.toml`: which custodians (情報資産管理責任者) may approve which
//! classes for which departments, which information officers (情報責任者) may designate them,
//! with which keys, when, and which keys are revoked.
//!
//! okuri decides trust itself (a key's fingerprint, window and revocation), and exports the
//! same list as an OpenSSH allowed_signers file so that an auditor reaches the same verdict
//! with stock `ssh-keygen -Y verify`.

use jiff::Timestamp;
use serde::Serialize;
use ssh_key::PublicKey;

use crate::base::class::Class;
use crate::base::ids::StaffId;
use crate::base::message::Msg;
use crate::base::namespace::{
    NS_APPROVAL, NS_DENIAL, NS_DESIGNATION, NS_MEDIA_REGISTER, NS_RECIPIENTS, NS_STAFF,
};
use crate::msg;
use crate::secret::keys::{self, Fingerprint};

/// Which list a signer is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignerRole {
    Custodian,
    Officer,
    /// Keeps the staff directory, which they sign (`okuri sign staff`).
    Administrator,
}

impl SignerRole {
    pub fn key(self) -> &'static str {
        match self {
            SignerRole::Custodian => "custodian",
            SignerRole::Officer => "officer",
            SignerRole::Administrator => "administrator",
        }
    }

    pub fn ja(self) -> &'static str {
        match self {
            SignerRole::Custodian => "情報資産管理責任者",
            SignerRole::Officer => "情報責任者",
            SignerRole::Administrator => "職員名簿管理者",
        }
    }

    /// What this role's signatures are for, as SSHSIG namespaces.
    pub fn namespaces(self) -> &'static [&'static str] {
        match self {
            SignerRole::Custodian => &[NS_APPROVAL, NS_DENIAL, NS_RECIPIENTS, NS_MEDIA_REGISTER],
            SignerRole::Officer => &[NS_DESIGNATION],
            SignerRole::Administrator => &[NS_STAFF],
        }
    }
}

/// A custodian or officer.
#[derive(Clone, Debug, Serialize)]
pub struct Signer {
    pub role: SignerRole,
    pub id: StaffId,
    pub name: String,
    pub department: String,
    pub classes: Vec<Class>,
    /// The departments whose assets they act for; `*` is every department.
    pub departments: Vec<String>,
    pub keys: Vec<TrustedKey>,
    pub revoked: Vec<RevokedKey>,
}

impl Signer {
    pub fn covers(&self, class: Class, department: &str) -> bool {
        self.classes.contains(&class)
            && self.departments.iter().any(|d| d == "*" || d == department)
    }

    pub fn describe(&self) -> String {
        format!("{} ({}, {})", self.name, self.id, self.department)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TrustedKey {
    #[serde(serialize_with = "ser_key")]
    pub key: PublicKey,
    pub fingerprint: Fingerprint,
    pub valid_after: Option<Timestamp>,
    pub valid_before: Option<Timestamp>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RevokedKey {
    #[serde(serialize_with = "ser_key")]
    pub key: PublicKey,
    pub fingerprint: Fingerprint,
    pub revoked_at: Option<Timestamp>,
    pub reason: String,
}

fn ser_key<S: serde::Serializer>(k: &PublicKey, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&keys::public_line(k))
}

/// Custodians and officers.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TrustList {
    pub signers: Vec<Signer>,
}

/// Why a key is not trusted for a role at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Distrust {
    /// No signer of that role has this key.
    Unknown,
    Revoked {
        signer: String,
        reason: String,
    },
    NotYetValid {
        signer: String,
        from: Timestamp,
    },
    Expired {
        signer: String,
        until: Timestamp,
    },
}

impl Distrust {
    /// Why the key `key` is not trusted, as a message that names the key.
    /// Why `key` is not trusted as a `role`'s key.
    pub fn msg(&self, key: &Fingerprint, role: SignerRole) -> Msg {
        match self {
            Distrust::Unknown => msg!("trust-unknown", key = key, role = role.key()),
            Distrust::Revoked { signer, reason } => {
                msg!("trust-revoked", signer = signer, reason = reason, key = key)
            }
            Distrust::NotYetValid { signer, from } => msg!(
                "trust-not-yet-valid",
                signer = signer,
                from = *from,
                key = key
            ),
            Distrust::Expired { signer, until } => {
                msg!("trust-expired", signer = signer, until = *until, key = key)
            }
        }
    }
}

impl TrustList {
    pub fn of_role(&self, role: SignerRole) -> impl Iterator<Item = &Signer> {
        self.signers.iter().filter(move |s| s.role == role)
    }

    pub fn by_id(&self, role: SignerRole, id: &str) -> Option<&Signer> {
        self.of_role(role).find(|s| s.id == id)
    }

    /// Is any key with this fingerprint revoked, by whoever it was listed for?
    pub fn revocation(&self, fp: &Fingerprint) -> Option<(&Signer, &RevokedKey)> {
        self.signers.iter().find_map(|s| {
            s.revoked
                .iter()
                .find(|r| &r.fingerprint == fp)
                .map(|r| (s, r))
        })
    }

    /// The signer of `role` whose key has fingerprint `fp`, if that key is trusted at `at`.
    pub fn check(
        &self,
        role: SignerRole,
        fp: &Fingerprint,
        at: Timestamp,
    ) -> Result<(&Signer, &TrustedKey), Distrust> {
        if let Some((s, r)) = self.revocation(fp) {
            return Err(Distrust::Revoked {
                signer: s.describe(),
                reason: r.reason.clone(),
            });
        }
        let (s, k) = self
            .of_role(role)
            .find_map(|s| s.keys.iter().find(|k| &k.fingerprint == fp).map(|k| (s, k)))
            .ok_or(Distrust::Unknown)?;
        if let Some(from) = k.valid_after
            && at < from
        {
            return Err(Distrust::NotYetValid {
                signer: s.describe(),
                from,
            });
        }
        if let Some(until) = k.valid_before
            && at >= until
        {
            return Err(Distrust::Expired {
                signer: s.describe(),
                until,
            });
        }
        Ok((s, k))
    }

    /// An OpenSSH allowed_signers file: one line per trusted key, principal = the signer's id,
    /// limited to that role's namespaces and to the key's window. Revoked keys are left out
    /// (and listed by [`TrustList::revoked_keys`] for `ssh-keygen -Y verify -r`).
    pub fn allowed_signers(&self) -> String {
        let mut out = String::from(
            "# OpenSSH allowed_signers, written by `okuri policy allowed-signers` from the policy's trust list.\n# Check a token: see docs/approval.md. Times are UTC.\n",
        );
        for s in &self.signers {
            for k in &s.keys {
                if self.revocation(&k.fingerprint).is_some() {
                    continue;
                }
                let mut opts = vec![format!("namespaces=\"{}\"", s.role.namespaces().join(","))];
                if let Some(t) = k.valid_after {
                    opts.push(format!("valid-after=\"{}\"", ssh_time(t)));
                }
                if let Some(t) = k.valid_before {
                    opts.push(format!("valid-before=\"{}\"", ssh_time(t)));
                }
                // The reader refuses control characters in names; the comment is made one
                // line here too, so that no text of a document can add a line that
                // ssh-keygen would read as a signer.
                let one_line = |t: &str| t.replace(|c: char| c.is_control(), " ");
                out.push_str(&format!(
                    "# {} {}: {} ({})\n{} {} {}\n",
                    s.role.ja(),
                    s.role.key(),
                    one_line(&s.name),
                    one_line(&s.department),
                    s.id,
                    opts.join(","),
                    keys::public_line(&k.key)
                ));
            }
        }
        out
    }

    /// Revoked keys, one per line: a revocation file for `ssh-keygen -Y verify -r`.
    pub fn revoked_keys(&self) -> String {
        let mut out = String::new();
        for s in &self.signers {
            for r in &s.revoked {
                out.push_str(&keys::public_line(&r.key));
                out.push('\n');
            }
        }
        out
    }
}

/// `YYYYMMDDHHMMSSZ`, the allowed_signers time format in UTC.
fn ssh_time(t: Timestamp) -> String {
    t.strftime("%Y%m%d%H%M%SZ").to_string()
}
