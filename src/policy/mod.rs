//! The policy: `policy.toml`, which encodes the external-provision table of the standard
//! (第2章2 情報資産の外部提供等), and the decision it gives for a class, channel and the facts
//! of a transfer.
//!
//! The model lives here; [`reader`] reads the file (every error at once, with line and column),
//! [`decide`] gives the decision and the effective table, [`trust`] is the trust list and
//! [`recipients`] the recipient register.

pub mod city;
pub mod decide;
pub mod directory;
pub mod enrol;
pub(crate) mod reader;
pub mod recipients;
pub mod trust;

pub use decide::{Decision, Facts, Requirements, TableRow};
pub(crate) use reader::Cx;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use toml::de::DeTable;

use crate::base::channel::Channel;
use crate::base::class::Class;
use crate::base::digest::Blake3;
use crate::base::error::{Error, IoOp, Result};
use crate::base::message::Lang;
use crate::base::refusal::Rule;
use crate::msg;

pub use crate::base::error::{Diagnostic, Severity};

/// The repository's `policy.toml`, built into the binary as the default.
pub const EMBEDDED: &str = include_str!("../../policy.toml");

/// The lowest passphrase strength a policy may ask for.
pub const MIN_PASSPHRASE_BITS: u32 = 100;
pub(crate) const MAX_PASSPHRASE_BITS: u32 = 256;

/// 外部提供: may an asset of a class leave the city at all, and on what condition?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provision {
    Allowed,
    Approval,
    LegalBasisAndApproval,
    Forbidden,
}

impl Provision {
    const NAMES: [(&'static str, Provision); 4] = [
        ("allowed", Provision::Allowed),
        ("approval", Provision::Approval),
        ("legal-basis-and-approval", Provision::LegalBasisAndApproval),
        ("forbidden", Provision::Forbidden),
    ];

    fn strictness(self) -> u8 {
        match self {
            Provision::Allowed => 0,
            Provision::Approval => 1,
            Provision::LegalBasisAndApproval => 2,
            Provision::Forbidden => 3,
        }
    }

    pub fn needs_approval(self) -> bool {
        matches!(self, Provision::Approval | Provision::LegalBasisAndApproval)
    }
}

/// What the policy says of one channel for one class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChannelRule {
    Allowed,
    Approval,
    Forbidden,
}

impl ChannelRule {
    const NAMES: [(&'static str, ChannelRule); 3] = [
        ("allowed", ChannelRule::Allowed),
        ("approval", ChannelRule::Approval),
        ("forbidden", ChannelRule::Forbidden),
    ];

    fn strictness(self) -> u8 {
        match self {
            ChannelRule::Allowed => 0,
            ChannelRule::Approval => 1,
            ChannelRule::Forbidden => 2,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encryption {
    Required,
    Optional,
}

impl Encryption {
    const NAMES: [(&'static str, Encryption); 2] = [
        ("required", Encryption::Required),
        ("optional", Encryption::Optional),
    ];
}

/// Whether a class may go to a recipient that is not in the recipient register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecipientRule {
    /// Only to a registered recipient whose agreement covers the class and channel.
    Registered,
    /// To anyone; a registered recipient's agreement still applies.
    Any,
}

impl RecipientRule {
    const NAMES: [(&'static str, RecipientRule); 2] = [
        ("registered", RecipientRule::Registered),
        ("any", RecipientRule::Any),
    ];
}

/// Where the approval service is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceRef {
    pub url: String,
    /// A CA certificate (PEM) to trust for the service's TLS, beside the system's roots.
    pub ca: Option<PathBuf>,
}

/// How long a custodian's approval may stay valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ApprovalRules {
    pub default_validity_hours: u32,
    pub max_validity_hours: u32,
}

impl ApprovalRules {
    /// Whether an approval valid from `issued` to `expires` is within the policy's limit:
    /// after its start, and at most `max_validity_hours` long. The one check of a token's
    /// lifetime, made when okuri signs and again wherever a token is verified (pack, `token
    /// verify`, the service), because a custodian's key can sign any payload by hand.
    pub fn allows(&self, issued: jiff::Timestamp, expires: jiff::Timestamp) -> bool {
        let secs = expires.duration_since(issued).as_secs();
        secs > 0 && secs <= i64::from(self.max_validity_hours) * 3600
    }
}

/// The rules for one importance class.
#[derive(Clone, Debug, Serialize)]
pub struct ClassRule {
    pub provision: Provision,
    pub encryption: Encryption,
    /// The rule of the standard, quoted in Japanese, for refusal messages.
    pub rule: String,
    pub rule_en: String,
    /// Must the recipient be in the recipient register (外部委託先)?
    pub recipient: RecipientRule,
    /// May an approval token file be used when the approval service cannot be reached?
    pub offline_tokens: bool,
    channels: [ChannelRule; 4],
}

impl ClassRule {
    pub fn channel(&self, channel: Channel) -> ChannelRule {
        self.channels[channel_index(channel)]
    }
}

fn channel_index(c: Channel) -> usize {
    Channel::ALL
        .iter()
        .position(|x| *x == c)
        .expect("all channels")
}

fn class_index(c: Class) -> usize {
    Class::ALL
        .iter()
        .position(|x| *x == c)
        .expect("all classes")
}

/// Where the policy came from, for messages and the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The rules built into okuri, on a machine with no trust anchor (development mode).
    Embedded,
    /// A file named by `--policy`, on a machine with no trust anchor (development mode).
    File(PathBuf),
    /// The city's signed rules, verified against the trust anchor.
    Signed { path: PathBuf, serial: u64 },
}

impl Origin {
    /// Was the policy read without any signature (development mode)?
    pub fn development(&self) -> bool {
        !matches!(self, Origin::Signed { .. })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Embedded => f.write_str("<embedded policy.toml>"),
            Origin::File(p) => write!(f, "{}", p.display()),
            Origin::Signed { path, serial } => write!(f, "{} (serial {serial})", path.display()),
        }
    }
}

/// A validated policy.
#[derive(Clone, Debug)]
pub struct Policy {
    pub origin: Origin,
    /// BLAKE3 of the policy's exact bytes, so a record entry or approval names the rules it
    /// was decided under.
    pub digest: Blake3,
    pub unlabeled_class: Class,
    pub passphrase_min_bits: u32,
    pub approval: ApprovalRules,
    /// Custodians and information officers, their keys and revocations.
    pub trust: crate::policy::trust::TrustList,
    /// The approval service (okuri-approvald), if the city runs one.
    pub service: Option<ServiceRef>,
    /// How many days a delivered package may stay on a medium before `media scan` flags it.
    pub media_retention_days: u32,
    /// The language okuri speaks when the user's environment does not say (`language`).
    pub language: Option<Lang>,
    /// The signed city documents this policy was assembled from, with their serials; empty
    /// in development mode.
    pub documents: Vec<(city::Kind, u64)>,
    /// When the first of those documents stops being valid (a long-running service checks
    /// it on every call); `None` in development mode.
    pub valid_until: Option<jiff::Timestamp>,
    classes: [ClassRule; 3],
}

/// The outcome of reading a policy: the policy if it is valid, and everything found.
pub struct Checked {
    pub policy: Option<Policy>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
}

impl Policy {
    /// The embedded default policy. It is checked by the test suite, so failure here is a bug.
    pub fn embedded() -> Policy {
        Self::check(EMBEDDED, Origin::Embedded)
            .policy
            .expect("the embedded policy.toml is valid")
    }

    /// Loads the policy named by `--policy`/`OKURI_POLICY`, or the embedded default: the
    /// development mode of a machine with no trust anchor ([`Policy::from_city`] otherwise).
    pub fn load(path: Option<&Path>) -> Result<Policy> {
        let Some(path) = path else {
            return Ok(Self::embedded());
        };
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(IoOp::Read, path, e))?;
        let origin = Origin::File(path.to_path_buf());
        Self::usable(Self::check(&text, origin.clone()), &origin)
    }

    /// The city's policy: its signed rules, trust list and (if it has one) service address,
    /// each verified against the anchor and valid at `now`. A home's check of the serials
    /// is the caller's ([`city::Seen`]), from [`Policy::documents`].
    pub fn from_city(c: &city::City, now: jiff::Timestamp) -> Result<Policy> {
        let ciso = |fp: &crate::base::digest::Fingerprint| c.ciso(fp);
        let rules = c.document(city::Kind::Rules, &ciso, now)?;
        let origin = Origin::Signed {
            path: rules.path.clone(),
            serial: rules.serial,
        };
        let mut policy = Self::usable(Self::check(&rules.text, origin.clone()), &origin)?;
        let trust = c.document(city::Kind::Trust, &ciso, now)?;
        policy.trust = read_document(&trust.text, &trust.path, |cx, root, span| {
            cx.trust_document(root, span)
        })?;
        policy.documents = vec![
            (city::Kind::Rules, rules.serial),
            (city::Kind::Trust, trust.serial),
        ];
        policy.valid_until = Some(rules.valid_until.min(trust.valid_until));
        if c.has(city::Kind::Service)? {
            let service = c.document(city::Kind::Service, &ciso, now)?;
            policy.service = Some(read_document(
                &service.text,
                &service.path,
                |cx, root, span| cx.service_document(root, span),
            )?);
            policy.documents.push((city::Kind::Service, service.serial));
            policy.valid_until = policy.valid_until.min(Some(service.valid_until));
        }
        Ok(policy)
    }

    /// The policy in force on this machine, through the one way okuri reads its authority: the
    /// city's signed documents where a trust anchor is installed (then `explicit` is refused,
    /// and each serial is checked against, and remembered in, `home`), else development mode
    /// ([`Policy::load`]).
    pub fn in_force(explicit: Option<&Path>, home: &Path) -> Result<Policy> {
        let dir = city::system_dir()?;
        let Some(c) = city::City::open(&dir)? else {
            return Self::load(explicit);
        };
        if let Some(p) = explicit {
            return Err(city::override_refused("--policy / OKURI_POLICY", p, &c));
        }
        let policy = Self::from_city(&c, crate::sys::hooks::now().timestamp())?;
        city::Seen::check_all(home, &policy.documents)?;
        Ok(policy)
    }

    /// Checks the content of a city document of `kind` before it is signed (the staff
    /// directory is the service's to check). Rules may not hold people or addresses.
    pub fn check_city_document(kind: city::Kind, text: &str, path: &Path) -> Result<()> {
        match kind {
            city::Kind::Rules => {
                let origin = Origin::Signed {
                    path: path.to_path_buf(),
                    serial: 0,
                };
                Self::usable(Self::check(text, origin.clone()), &origin).map(drop)
            }
            city::Kind::Trust => {
                read_document(text, path, |cx, root, span| cx.trust_document(root, span)).map(drop)
            }
            city::Kind::Service => {
                read_document(text, path, |cx, root, span| cx.service_document(root, span))
                    .map(drop)
            }
            city::Kind::Recipients => recipients::Register::parse(text, path).map(drop),
            // Read by the layers above: the directory by the CLI, the media register by media.
            city::Kind::Staff | city::Kind::Media => Ok(()),
        }
    }

    /// The policy of a check, or an error with every finding.
    fn usable(checked: Checked, origin: &Origin) -> Result<Policy> {
        match checked.policy {
            Some(p) => Ok(p),
            None => {
                let errs: Vec<Diagnostic> = checked.errors().cloned().collect();
                Err(Error::invalid(msg!(
                    "policy-invalid",
                    file = origin.to_string(),
                    errors = errs.len()
                ))
                .with_diagnostics(origin.to_string(), errs)
                .with_hint(msg!("hint-policy-invalid")))
            }
        }
    }

    /// Parses and validates a policy text, collecting every error and warning.
    pub fn check(text: &str, origin: Origin) -> Checked {
        let (policy, diagnostics) =
            check_with(text, |cx, root, span| cx.policy(root, span, &origin, text));
        Checked {
            policy,
            diagnostics,
        }
    }

    pub fn class(&self, class: Class) -> &ClassRule {
        &self.classes[class_index(class)]
    }

    /// The class's rule in the policy, for refusals to quote.
    pub fn rule(&self, class: Class) -> Rule {
        let r = self.class(class);
        Rule::Policy {
            class,
            ja: r.rule.clone(),
            en: r.rule_en.clone(),
        }
    }
}

/// Reads a TOML document with `read`, collecting every finding with its line and column: the
/// one reader of the rules and of the city's other TOML documents.
fn check_with<T>(
    text: &str,
    read: impl FnOnce(&mut Cx<'_>, &toml::de::DeTable<'_>, std::ops::Range<usize>) -> Option<T>,
) -> (Option<T>, Vec<Diagnostic>) {
    let mut cx = Cx::new(text);
    let (root, syntax) = DeTable::parse_recoverable(text);
    for e in syntax {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        cx.error_at(
            offset,
            msg!("policy-toml-syntax", detail = e.message().trim()),
            msg!("hint-policy-toml-syntax"),
        );
    }
    let value = read(&mut cx, root.get_ref(), root.span());
    let mut diagnostics = cx.diags;
    diagnostics.sort_by_key(|d| (d.offset, d.severity == Severity::Warning));
    diagnostics.dedup();
    let has_error = diagnostics.iter().any(|d| d.severity == Severity::Error);
    (if has_error { None } else { value }, diagnostics)
}

/// A city document (`path` for messages) read with `read`, or an error with every finding.
fn read_document<T>(
    text: &str,
    path: &Path,
    read: impl FnOnce(&mut Cx<'_>, &toml::de::DeTable<'_>, std::ops::Range<usize>) -> Option<T>,
) -> Result<T> {
    read_file_as(text, path, read, |file, errors| {
        (
            msg!("policy-invalid", file = file, errors = errors),
            msg!("hint-policy-invalid"),
        )
    })
}

/// A file read with `read`, or an error with every finding, said by `invalid` (given the file
/// as shown and the number of errors): what the file is, and what to do.
fn read_file_as<T>(
    text: &str,
    path: &Path,
    read: impl FnOnce(&mut Cx<'_>, &toml::de::DeTable<'_>, std::ops::Range<usize>) -> Option<T>,
    invalid: impl FnOnce(&str, usize) -> (crate::base::message::Msg, crate::base::message::Msg),
) -> Result<T> {
    let (value, diagnostics) = check_with(text, read);
    let file = crate::base::fsname::shown(path);
    value.ok_or_else(|| {
        let errs: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let (message, hint) = invalid(&file, errs.len());
        Error::invalid(message)
            .with_diagnostics(file.clone(), errs)
            .with_hint(hint)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::message::{Msg, Value};

    fn errors(text: &str) -> Vec<Diagnostic> {
        Policy::check(text, Origin::Embedded)
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect()
    }

    /// The message's argument `name` as plain text ("" if it has none).
    fn arg(d: &Diagnostic, name: &str) -> String {
        d.message
            .args
            .get(name)
            .map(Value::plain)
            .unwrap_or_default()
    }

    /// Is there a finding with message `id` whose arguments include all of `args`?
    fn has(errs: &[Diagnostic], id: &str, args: &[(&str, &str)]) -> bool {
        errs.iter()
            .any(|d| d.message.id() == id && args.iter().all(|(k, v)| arg(d, k) == *v))
    }

    #[test]
    fn embedded_is_valid_and_warns_only_of_its_empty_trust_list() {
        let c = Policy::check(EMBEDDED, Origin::Embedded);
        let msgs: Vec<&Msg> = c.diagnostics.iter().map(|d| &d.message).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            c.diagnostics.iter().all(|d| d.severity == Severity::Warning
                && ["trust-no-custodian", "trust-no-officer"].contains(&d.message.id())),
            "{msgs:?}"
        );
        let p = c.policy.unwrap();
        assert_eq!(p.unlabeled_class, Class::I);
        assert_eq!(p.passphrase_min_bits, 100);
        assert_eq!(p.language, Some(Lang::Ja));
    }

    #[test]
    fn unknown_key_reported_with_position() {
        let text = EMBEDDED.replace("min_bits = 100", "min_bits = 100\nmin_bytes = 3");
        let errs = errors(&text);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].message.id(), "policy-unknown-key");
        assert_eq!(arg(&errs[0], "key"), "min_bytes");
        let line = text
            .lines()
            .position(|l| l.starts_with("min_bytes"))
            .unwrap()
            + 1;
        assert_eq!((errs[0].line, errs[0].column), (line, 1));
    }

    #[test]
    fn every_error_at_once() {
        let text = EMBEDDED
            .replace("email = \"forbidden\"", "email = \"maybe\"")
            .replace("provision = \"approval\"", "provison = \"approval\"")
            .replace(
                "[class.III.channels]",
                "[class.III.channels]\nfax = \"allowed\"",
            );
        let errs = errors(&text);
        assert!(
            has(&errs, "policy-unknown-value", &[("value", "maybe")]),
            "{errs:?}"
        );
        assert!(
            has(&errs, "policy-unknown-key", &[("key", "provison")]),
            "{errs:?}"
        );
        assert!(
            has(
                &errs,
                "policy-missing-key",
                &[("key", "provision"), ("table", "[class.II]")]
            ),
            "{errs:?}"
        );
        assert!(
            has(&errs, "policy-unknown-key", &[("key", "fax")]),
            "{errs:?}"
        );
    }

    #[test]
    fn class_i_laxer_than_ii_is_a_contradiction() {
        let text = EMBEDDED.replacen("email = \"forbidden\"", "email = \"allowed\"", 1);
        let errs = errors(&text);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            has(
                &errs,
                "policy-channel-laxer",
                &[("strict", "I"), ("key", "email")]
            ),
            "{errs:?}"
        );
    }

    #[test]
    fn language_is_optional_and_checked() {
        let without = EMBEDDED.replace("language = \"ja\"", "");
        let c = Policy::check(&without, Origin::Embedded);
        assert_eq!(c.policy.unwrap().language, None);
        let bad = EMBEDDED.replace("language = \"ja\"", "language = \"fr\"");
        let errs = errors(&bad);
        assert!(
            has(
                &errs,
                "policy-unknown-value",
                &[("what", "language"), ("value", "fr")]
            ),
            "{errs:?}"
        );
        assert!(errs.iter().all(|d| d.hint.is_some()), "{errs:?}");
    }
}
