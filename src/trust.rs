//! The trust list in `policy.toml`: which custodians (情報資産管理責任者) may approve which
//! classes for which departments, which information officers (情報責任者) may designate them,
//! with which keys, when, and which keys are revoked.
//!
//! okuri decides trust itself (a key's fingerprint, window and revocation), and exports the
//! same list as an OpenSSH allowed_signers file so that an auditor reaches the same verdict
//! with stock `ssh-keygen -Y verify`.

use std::ops::Range;

use jiff::Timestamp;
use serde::Serialize;
use ssh_key::PublicKey;
use toml::Spanned;
use toml::de::DeValue;

use crate::class::Class;
use crate::keys::{self, BadPublicKey, Fingerprint};
use crate::message::Msg;
use crate::msg;
use crate::policy::{Cx, KEY_ENTRY, REVOKED_ENTRY, Table};
use crate::signed::{NS_APPROVAL, NS_DENIAL, NS_DESIGNATION};

/// Which list a signer is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignerRole {
    Custodian,
    Officer,
}

impl SignerRole {
    pub fn key(self) -> &'static str {
        match self {
            SignerRole::Custodian => "custodian",
            SignerRole::Officer => "officer",
        }
    }

    pub fn ja(self) -> &'static str {
        match self {
            SignerRole::Custodian => "情報資産管理責任者",
            SignerRole::Officer => "情報責任者",
        }
    }

    /// What this role's signatures are for, as SSHSIG namespaces.
    pub fn namespaces(self) -> &'static [&'static str] {
        match self {
            SignerRole::Custodian => &[NS_APPROVAL, NS_DENIAL],
            SignerRole::Officer => &[NS_DESIGNATION],
        }
    }
}

/// A custodian or officer.
#[derive(Clone, Debug, Serialize)]
pub struct Signer {
    pub role: SignerRole,
    pub id: String,
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
    pub fn msg(&self, key: &Fingerprint) -> Msg {
        match self {
            Distrust::Unknown => msg!("trust-unknown", key = key),
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
                out.push_str(&format!(
                    "# {} {}: {} ({})\n{} {} {}\n",
                    s.role.ja(),
                    s.role.key(),
                    s.name,
                    s.department,
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

/// Kameoka's offset. Dates in the policy and the register are local dates in Japan, which
/// has no daylight saving, so a fixed offset is exact and needs no time-zone database.
pub const JST: jiff::tz::Offset = jiff::tz::Offset::constant(9);

/// The instant a local date begins in Japan.
pub fn start_of_day_jst(d: jiff::civil::Date) -> Timestamp {
    JST.to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
        .expect("a civil date is in range")
}

// ---- reading the trust list from policy.toml ------------------------------------------------

impl Cx<'_> {
    /// Reads `[[custodian]]` and `[[officer]]`. Either may be absent (an empty list); then no
    /// approval or designation is possible, which `policy check` warns about.
    pub(crate) fn trust_list(&mut self, root: &Table<'_>, root_span: &Range<usize>) -> TrustList {
        let mut list = TrustList::default();
        for role in [SignerRole::Custodian, SignerRole::Officer] {
            let Some((_, v)) = root
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == role.key())
            else {
                self.warn_at(
                    root_span.start,
                    match role {
                        SignerRole::Custodian => msg!("trust-no-custodian"),
                        SignerRole::Officer => msg!("trust-no-officer"),
                    },
                    msg!("hint-trust-add-signers", section = role.key()),
                );
                continue;
            };
            let at = format!("[[{}]]", role.key());
            let Some(items) = self.array(v, &at) else {
                continue;
            };
            for item in items.iter() {
                if let Some(s) = self.signer(item, role, &at) {
                    list.signers.push(s);
                }
            }
        }
        self.trust_consistency(&list);
        list
    }

    fn trust_consistency(&mut self, list: &TrustList) {
        // An id names one person per role; a key belongs to one person.
        for (i, a) in list.signers.iter().enumerate() {
            for b in &list.signers[i + 1..] {
                if a.role == b.role && a.id == b.id {
                    self.error_at(
                        0,
                        msg!("trust-id-twice", role = a.role.key(), id = &a.id),
                        msg!("hint-trust-id-twice"),
                    );
                }
                if a.id != b.id {
                    for k in &a.keys {
                        if b.keys.iter().any(|l| l.fingerprint == k.fingerprint) {
                            self.error_at(
                                0,
                                msg!(
                                    "trust-key-shared",
                                    key = &k.fingerprint,
                                    first = &a.id,
                                    second = &b.id
                                ),
                                msg!("hint-trust-key-shared"),
                            );
                        }
                    }
                }
            }
        }
    }

    pub(crate) fn array<'t, 'i>(
        &mut self,
        v: &'t Spanned<DeValue<'i>>,
        what: &str,
    ) -> Option<&'t [Spanned<DeValue<'i>>]> {
        match v.get_ref() {
            DeValue::Array(a) => Some(a),
            other => {
                self.error_at(
                    v.span().start,
                    msg!("trust-not-array", what = what, found = other.type_str()),
                    msg!("hint-trust-not-array"),
                );
                None
            }
        }
    }

    pub(crate) fn string_list(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        what: &str,
    ) -> Option<Vec<String>> {
        let items = self.array(v, what)?;
        let mut out = Vec::new();
        let mut ok = true;
        for i in items {
            match self.string(i, what) {
                Some(s) => out.push(s.to_owned()),
                None => ok = false,
            }
        }
        if ok && out.is_empty() {
            self.error_at(
                v.span().start,
                msg!("trust-empty-list", what = what),
                msg!("hint-trust-empty-list"),
            );
            return None;
        }
        ok.then_some(out)
    }

    /// A TOML date (a day in Japan, from 00:00 JST) or an offset date-time.
    pub(crate) fn timestamp(&mut self, v: &Spanned<DeValue<'_>>, what: &str) -> Option<Timestamp> {
        let DeValue::Datetime(dt) = v.get_ref() else {
            self.error_at(
                v.span().start,
                msg!(
                    "trust-not-datetime",
                    what = what,
                    found = v.get_ref().type_str()
                ),
                msg!("hint-trust-datetime-unquoted"),
            );
            return None;
        };
        let parsed = match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8)
                    .ok()
                    .map(start_of_day_jst)
            }
            (Some(_), Some(_), Some(_)) => dt.to_string().parse::<Timestamp>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.error_at(
                v.span().start,
                msg!("trust-bad-datetime", what = what, value = dt.to_string()),
                msg!("hint-trust-datetime"),
            );
        }
        parsed
    }

    fn signer(&mut self, v: &Spanned<DeValue<'_>>, role: SignerRole, at: &str) -> Option<Signer> {
        let span = v.span();
        let t = self.table(v, at)?;
        self.unknown_keys(
            t,
            &[
                "id",
                "name",
                "department",
                "classes",
                "departments",
                "keys",
                "revoked",
            ],
            at,
        );
        let id = self
            .get(t, &span, "id", at, msg!("hint-trust-add-id"))
            .and_then(|v| {
                let s = self.string(v, "id")?;
                match keys::check_id(s) {
                    Ok(()) => Some(s.to_owned()),
                    Err(e) => {
                        self.error_at(v.span().start, e, msg!("hint-trust-id-principal"));
                        None
                    }
                }
            });
        let name = self
            .get(t, &span, "name", at, msg!("hint-trust-add-name"))
            .and_then(|v| self.string(v, "name").map(str::to_owned));
        let department = self
            .get(
                t,
                &span,
                "department",
                at,
                msg!("hint-trust-add-department"),
            )
            .and_then(|v| self.string(v, "department").map(str::to_owned));
        let classes = self
            .get(t, &span, "classes", at, msg!("hint-trust-add-classes"))
            .and_then(|v| {
                let list = self.string_list(v, "classes")?;
                let mut out = Vec::new();
                for c in list {
                    match c.parse::<Class>() {
                        Ok(c) => out.push(c),
                        Err(_) => {
                            self.error_at(
                                v.span().start,
                                msg!("policy-bad-class", what = "classes", value = &c),
                                msg!("hint-policy-class-values"),
                            );
                            return None;
                        }
                    }
                }
                Some(out)
            });
        let departments = self
            .get(
                t,
                &span,
                "departments",
                at,
                msg!("hint-trust-add-departments"),
            )
            .and_then(|v| self.string_list(v, "departments"));
        let keys = self
            .get(t, &span, "keys", at, msg!("hint-trust-add-keys"))
            .and_then(|v| {
                let items = self.array(v, "keys")?;
                let mut out = Vec::new();
                for i in items {
                    out.push(self.trusted_key(i));
                }
                let out: Option<Vec<TrustedKey>> = out.into_iter().collect();
                out
            });
        let revoked = match t.iter().find(|(k, _)| k.get_ref().as_ref() == "revoked") {
            None => Some(Vec::new()),
            Some((_, v)) => self.array(v, "revoked").and_then(|items| {
                let mut out = Vec::new();
                for i in items {
                    out.push(self.revoked_key(i));
                }
                out.into_iter().collect::<Option<Vec<RevokedKey>>>()
            }),
        };
        Some(Signer {
            role,
            id: id?,
            name: name?,
            department: department?,
            classes: classes?,
            departments: departments?,
            keys: keys?,
            revoked: revoked?,
        })
    }

    fn public_key(&mut self, v: &Spanned<DeValue<'_>>) -> Option<PublicKey> {
        let s = self.string(v, "key")?;
        match keys::parse_public(s) {
            Ok(k) => Some(k),
            Err(e) => {
                let message = match e {
                    BadPublicKey::NotOpenSsh(detail) => {
                        msg!("trust-key-not-openssh", detail = detail)
                    }
                    BadPublicKey::NotEd25519(algorithm) => {
                        msg!("trust-key-not-ed25519", algorithm = algorithm)
                    }
                };
                self.error_at(v.span().start, message, msg!("hint-trust-paste-key"));
                None
            }
        }
    }

    fn trusted_key(&mut self, v: &Spanned<DeValue<'_>>) -> Option<TrustedKey> {
        let span = v.span();
        let t = self.table(v, KEY_ENTRY)?;
        self.unknown_keys(t, &["key", "valid_after", "valid_before"], KEY_ENTRY);
        let key = self
            .get(t, &span, "key", KEY_ENTRY, msg!("hint-trust-add-key"))
            .and_then(|v| self.public_key(v));
        let mut time = |name: &str| match t.iter().find(|(k, _)| k.get_ref().as_ref() == name) {
            None => Some(None),
            Some((_, v)) => self.timestamp(v, name).map(Some),
        };
        let after = time("valid_after");
        let before = time("valid_before");
        if let (Some(Some(a)), Some(Some(b))) = (after, before)
            && a >= b
        {
            self.error_at(
                span.start,
                msg!("trust-key-window"),
                msg!("hint-trust-key-window"),
            );
            return None;
        }
        let (key, after, before) = (key?, after?, before?);
        Some(TrustedKey {
            fingerprint: Fingerprint::of(&key),
            key,
            valid_after: after,
            valid_before: before,
        })
    }

    fn revoked_key(&mut self, v: &Spanned<DeValue<'_>>) -> Option<RevokedKey> {
        let span = v.span();
        let t = self.table(v, REVOKED_ENTRY)?;
        self.unknown_keys(t, &["key", "revoked_at", "reason"], REVOKED_ENTRY);
        let key = self
            .get(t, &span, "key", REVOKED_ENTRY, msg!("hint-trust-add-key"))
            .and_then(|v| self.public_key(v));
        let reason = self
            .get(
                t,
                &span,
                "reason",
                REVOKED_ENTRY,
                msg!("hint-trust-add-reason"),
            )
            .and_then(|v| self.string(v, "reason").map(str::to_owned));
        let at = match t.iter().find(|(k, _)| k.get_ref().as_ref() == "revoked_at") {
            None => Some(None),
            Some((_, v)) => self.timestamp(v, "revoked_at").map(Some),
        };
        let key = key?;
        Some(RevokedKey {
            fingerprint: Fingerprint::of(&key),
            key,
            revoked_at: at?,
            reason: reason?,
        })
    }
}
