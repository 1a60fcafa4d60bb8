//! The policy: `policy.toml`, which encodes the external-provision table of the standard
//! (第2章2 情報資産の外部提供等), and the decision it gives for a class, channel and the facts
//! of a transfer.
//!
//! The file is read through a spanned TOML tree rather than serde derive so that *every* error
//! (unknown keys, missing classes, bad values, contradictions) is reported at once with its
//! line and column: a custodian fixing a policy should not have to run the check ten times.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::channel::Channel;
use crate::class::Class;
use crate::digest::Blake3;
use crate::error::{Error, IoOp, Result, line_col};
use crate::message::{Lang, Msg, Value};
use crate::msg;

pub use crate::error::{Diagnostic, Severity};

/// The repository's `policy.toml`, built into the binary as the default.
pub const EMBEDDED: &str = include_str!("../policy.toml");

/// The lowest passphrase strength a policy may ask for.
pub const MIN_PASSPHRASE_BITS: u32 = 100;
const MAX_PASSPHRASE_BITS: u32 = 256;

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
    Embedded,
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Embedded => f.write_str("<embedded policy.toml>"),
            Origin::File(p) => write!(f, "{}", p.display()),
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
    pub trust: crate::trust::TrustList,
    /// The approval service (okuri-approvald), if the city runs one.
    pub service: Option<ServiceRef>,
    /// How many days a delivered package may stay on a medium before `media scan` flags it.
    pub media_retention_days: u32,
    /// The language okuri speaks when the user's environment does not say (`language`).
    pub language: Option<Lang>,
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

    /// Loads the policy named by `--policy`/`OKURI_POLICY`, or the embedded default.
    pub fn load(path: Option<&Path>) -> Result<Policy> {
        let Some(path) = path else {
            return Ok(Self::embedded());
        };
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(IoOp::Read, path, e))?;
        let origin = Origin::File(path.to_path_buf());
        let checked = Self::check(&text, origin.clone());
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
        let policy = cx.policy(root.get_ref(), root.span(), &origin, text);
        let mut diagnostics = cx.diags;
        diagnostics.sort_by_key(|d| (d.offset, d.severity == Severity::Warning));
        diagnostics.dedup();
        let has_error = diagnostics.iter().any(|d| d.severity == Severity::Error);
        Checked {
            policy: if has_error { None } else { policy },
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

    /// What the policy demands for `class` over `channel`, and whether `facts` meet it.
    pub fn decide(&self, class: Class, channel: Channel, facts: &Facts) -> Decision {
        let rule = self.class(class);
        let requirements = self.requirements(class, channel);
        let refuse = |code| Refusal::new(code, class, self.rule(class)).channel(channel);
        if rule.provision == Provision::Forbidden {
            return Decision::Refused(refuse(RefusalCode::ClassForbidden));
        }
        if rule.channel(channel) == ChannelRule::Forbidden {
            let allowed: Vec<&str> = Channel::ALL
                .into_iter()
                .filter(|c| rule.channel(*c) != ChannelRule::Forbidden)
                .map(Channel::as_str)
                .collect();
            return Decision::Refused(
                refuse(RefusalCode::ChannelForbidden).arg("allowed", allowed.join(", ")),
            );
        }
        if requirements.legal_basis && facts.legal_basis.is_none() {
            return Decision::Refused(refuse(RefusalCode::LegalBasisRequired));
        }
        if requirements.approval && !facts.approval {
            return Decision::Refused(refuse(RefusalCode::ApprovalRequired));
        }
        if requirements.encryption && !facts.encrypt {
            return Decision::Refused(refuse(RefusalCode::EncryptionRequired));
        }
        Decision::Allowed(requirements)
    }

    /// The requirements for a class and channel, leaving aside whether they are met.
    pub fn requirements(&self, class: Class, channel: Channel) -> Requirements {
        let rule = self.class(class);
        let ch = rule.channel(channel);
        Requirements {
            forbidden: rule.provision == Provision::Forbidden || ch == ChannelRule::Forbidden,
            legal_basis: rule.provision == Provision::LegalBasisAndApproval,
            approval: rule.provision.needs_approval() || ch == ChannelRule::Approval,
            encryption: rule.encryption == Encryption::Required,
        }
    }
}

/// The facts of a transfer that the policy's conditions are checked against.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub legal_basis: Option<String>,
    /// A valid approval for exactly this transfer is at hand.
    pub approval: bool,
    pub encrypt: bool,
}

/// What a class and channel demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Requirements {
    pub forbidden: bool,
    pub legal_basis: bool,
    pub approval: bool,
    pub encryption: bool,
}

#[derive(Clone, Debug)]
pub enum Decision {
    Allowed(Requirements),
    Refused(Refusal),
}

/// Why a transfer was refused. Stable codes for scripts and the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefusalCode {
    ClassForbidden,
    ChannelForbidden,
    LegalBasisRequired,
    ApprovalRequired,
    EncryptionRequired,
    /// An unsigned label may only raise a class (第2章1).
    LowerClass,
    /// The slip would travel with the package (第2章2, the anti-PPAP rule).
    SlipBesidePackage,
    /// `--to` is not in the recipient register and the class needs a registered recipient.
    RecipientUnregistered,
    AgreementEnded,
    AgreementClass,
    AgreementChannel,
    /// The approval token's signature does not hold.
    TokenForged,
    TokenUntrustedKey,
    TokenKeyRevoked,
    TokenKeyNotValid,
    TokenCustodianNotAllowed,
    TokenExpired,
    TokenPolicyChanged,
    TokenOtherFile,
    TokenOtherClass,
    TokenOtherRecipient,
    TokenOtherChannel,
    TokenOtherRequester,
    TokenOtherLegalBasis,
    SelfApproval,
    TokenReused,
    /// An information officer's key may not designate this class or department.
    DesignationNotAllowed,
    /// The approval service is out of reach and the class's tokens may not be used offline.
    OfflineTokenRefused,
    /// Not a removable medium, or not a custodian's key (media registration).
    MediumNotAllowed,
    MediumUnregistered,
    MediumRetired,
    /// The device does not match its marker: a copied marker, or a reformatted medium.
    MediumMismatch,
    /// Channel `media` needs `--out` at a registered medium's mount point.
    MediumRequired,
}

impl RefusalCode {
    pub const ALL: [RefusalCode; 33] = [
        RefusalCode::ClassForbidden,
        RefusalCode::ChannelForbidden,
        RefusalCode::LegalBasisRequired,
        RefusalCode::ApprovalRequired,
        RefusalCode::EncryptionRequired,
        RefusalCode::LowerClass,
        RefusalCode::SlipBesidePackage,
        RefusalCode::RecipientUnregistered,
        RefusalCode::AgreementEnded,
        RefusalCode::AgreementClass,
        RefusalCode::AgreementChannel,
        RefusalCode::TokenForged,
        RefusalCode::TokenUntrustedKey,
        RefusalCode::TokenKeyRevoked,
        RefusalCode::TokenKeyNotValid,
        RefusalCode::TokenCustodianNotAllowed,
        RefusalCode::TokenExpired,
        RefusalCode::TokenPolicyChanged,
        RefusalCode::TokenOtherFile,
        RefusalCode::TokenOtherClass,
        RefusalCode::TokenOtherRecipient,
        RefusalCode::TokenOtherChannel,
        RefusalCode::TokenOtherRequester,
        RefusalCode::TokenOtherLegalBasis,
        RefusalCode::SelfApproval,
        RefusalCode::TokenReused,
        RefusalCode::DesignationNotAllowed,
        RefusalCode::OfflineTokenRefused,
        RefusalCode::MediumNotAllowed,
        RefusalCode::MediumUnregistered,
        RefusalCode::MediumRetired,
        RefusalCode::MediumMismatch,
        RefusalCode::MediumRequired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RefusalCode::ClassForbidden => "class-forbidden",
            RefusalCode::ChannelForbidden => "channel-forbidden",
            RefusalCode::LegalBasisRequired => "legal-basis-required",
            RefusalCode::ApprovalRequired => "approval-required",
            RefusalCode::EncryptionRequired => "encryption-required",
            RefusalCode::LowerClass => "lower-class",
            RefusalCode::SlipBesidePackage => "slip-beside-package",
            RefusalCode::RecipientUnregistered => "recipient-unregistered",
            RefusalCode::AgreementEnded => "agreement-ended",
            RefusalCode::AgreementClass => "agreement-class",
            RefusalCode::AgreementChannel => "agreement-channel",
            RefusalCode::TokenForged => "token-forged",
            RefusalCode::TokenUntrustedKey => "token-untrusted-key",
            RefusalCode::TokenKeyRevoked => "token-key-revoked",
            RefusalCode::TokenKeyNotValid => "token-key-not-valid",
            RefusalCode::TokenCustodianNotAllowed => "token-custodian-not-allowed",
            RefusalCode::TokenExpired => "token-expired",
            RefusalCode::TokenPolicyChanged => "token-policy-changed",
            RefusalCode::TokenOtherFile => "token-other-file",
            RefusalCode::TokenOtherClass => "token-other-class",
            RefusalCode::TokenOtherRecipient => "token-other-recipient",
            RefusalCode::TokenOtherChannel => "token-other-channel",
            RefusalCode::TokenOtherRequester => "token-other-requester",
            RefusalCode::TokenOtherLegalBasis => "token-other-legal-basis",
            RefusalCode::SelfApproval => "self-approval",
            RefusalCode::TokenReused => "token-reused",
            RefusalCode::DesignationNotAllowed => "designation-not-allowed",
            RefusalCode::OfflineTokenRefused => "offline-token-refused",
            RefusalCode::MediumNotAllowed => "medium-not-allowed",
            RefusalCode::MediumUnregistered => "medium-unregistered",
            RefusalCode::MediumRetired => "medium-retired",
            RefusalCode::MediumMismatch => "medium-mismatch",
            RefusalCode::MediumRequired => "medium-required",
        }
    }
}

/// A rule of the standard that okuri enforces whatever the policy says. Its text is the
/// message `rule-<id>` in the Fluent files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StandardRule {
    /// 第2章1: the importance class is designated by the information officer.
    Designation,
    /// 第2章2: the password reaches the recipient by another channel than the file.
    Password,
    /// 第4章3: recording media.
    Media,
    /// 第6章2: outsourcing.
    Outsourcing,
}

impl StandardRule {
    pub fn id(self) -> &'static str {
        match self {
            StandardRule::Designation => "ch2-1",
            StandardRule::Password => "ch2-2-password",
            StandardRule::Media => "ch4-3",
            StandardRule::Outsourcing => "ch6-2",
        }
    }
}

/// The rule a refusal quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The class's rule as the policy states it, in the city's own words (`rule`, `rule_en`).
    Policy {
        class: Class,
        ja: String,
        en: String,
    },
    Standard(StandardRule),
}

impl Rule {
    /// The id stored in the record: `policy-class-I` or a rule of the standard (`ch2-2-password`).
    pub fn id(&self) -> String {
        match self {
            Rule::Policy { class, .. } => format!("policy-class-{class}"),
            Rule::Standard(s) => s.id().to_owned(),
        }
    }
}

/// A refusal as facts: the code, the class and channel it is about, the rule it quotes, and the
/// message and hint as ids with typed arguments (by default `refusal-<code>` and
/// `refusal-<code>-hint`). Rendered by [`crate::i18n`]; stored in the record as it is.
#[derive(Clone, Debug)]
pub struct Refusal {
    pub code: RefusalCode,
    pub class: Class,
    pub channel: Option<Channel>,
    pub rule: Rule,
    pub message: Msg,
    pub hint: Msg,
}

impl Refusal {
    /// A refusal with the code's own message and hint; add arguments with [`Refusal::arg`].
    pub fn new(code: RefusalCode, class: Class, rule: Rule) -> Refusal {
        Refusal {
            code,
            class,
            channel: None,
            rule,
            message: Msg::dynamic(format!("refusal-{}", code.as_str()), Default::default()),
            hint: Msg::dynamic(
                format!("refusal-{}-hint", code.as_str()),
                Default::default(),
            ),
        }
        .with_class_args()
    }

    fn with_class_args(mut self) -> Refusal {
        for m in [&mut self.message, &mut self.hint] {
            m.args.insert("class".into(), Value::Class(self.class));
            if let Some(c) = self.channel {
                m.args.insert("channel".into(), Value::Channel(c));
            }
        }
        self
    }

    pub fn channel(mut self, channel: Channel) -> Refusal {
        self.channel = Some(channel);
        self.with_class_args()
    }

    /// An argument for both the message and the hint.
    pub fn arg(mut self, name: &str, v: impl Into<Value>) -> Refusal {
        let v = v.into();
        self.message.args.insert(name.to_owned(), v.clone());
        self.hint.args.insert(name.to_owned(), v);
        self
    }

    /// Another wording of the same code (e.g. `refusal-token-expired-future`); the class,
    /// channel and arguments given so far carry over.
    pub fn with_message(mut self, id: &'static str) -> Refusal {
        self.message.id = id.into();
        self
    }

    /// Another hint than the code's own; the arguments carry over.
    pub fn with_hint(mut self, id: &'static str) -> Refusal {
        self.hint.id = id.into();
        self
    }
}

/// One row of `okuri policy show`.
#[derive(Clone, Debug, Serialize)]
pub struct TableRow {
    pub class: Class,
    pub channel: Channel,
    pub requirements: Requirements,
}

impl Policy {
    /// The effective table: every class and channel with what it demands.
    pub fn table(&self) -> Vec<TableRow> {
        let mut rows = Vec::new();
        for class in Class::ALL {
            for channel in Channel::ALL {
                rows.push(TableRow {
                    class,
                    channel,
                    requirements: self.requirements(class, channel),
                });
            }
        }
        rows
    }
}

// ---- validation ----------------------------------------------------------------------------

/// The `table` of a message about the policy's top level (not a TOML table name): the
/// messages say "the policy" for it.
pub(crate) const ROOT: &str = "root";
/// The `table` of a message about one entry of `keys = [...]` in the trust list.
pub(crate) const KEY_ENTRY: &str = "key-entry";
/// The `table` of a message about one entry of `revoked = [...]` in the trust list.
pub(crate) const REVOKED_ENTRY: &str = "revoked-entry";

pub(crate) struct Cx<'a> {
    text: &'a str,
    diags: Vec<Diagnostic>,
}

pub(crate) type Table<'i> = DeTable<'i>;

impl<'a> Cx<'a> {
    fn new(text: &'a str) -> Self {
        Cx {
            text,
            diags: Vec::new(),
        }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(self.text, offset)
    }

    fn push(&mut self, severity: Severity, offset: usize, message: Msg, hint: Msg) {
        let (line, column) = self.line_col(offset);
        self.diags.push(Diagnostic {
            severity,
            line,
            column,
            message,
            hint: Some(hint),
            offset,
        });
    }

    pub(crate) fn error_at(&mut self, offset: usize, message: Msg, hint: Msg) {
        self.push(Severity::Error, offset, message, hint);
    }

    pub(crate) fn warn_at(&mut self, offset: usize, message: Msg, hint: Msg) {
        self.push(Severity::Warning, offset, message, hint);
    }

    /// Reports keys of `table` not in `known`. `at` names the table for the message: a TOML
    /// table such as `[class.I]`, or one of the words the messages know ([`ROOT`],
    /// [`KEY_ENTRY`], [`REVOKED_ENTRY`]).
    pub(crate) fn unknown_keys(&mut self, table: &Table<'_>, known: &[&str], at: &str) {
        for (k, _) in table.iter() {
            if !known.contains(&k.get_ref().as_ref()) {
                self.error_at(
                    k.span().start,
                    msg!(
                        "policy-unknown-key",
                        key = k.get_ref().to_string(),
                        table = at
                    ),
                    msg!(
                        "hint-policy-unknown-key",
                        table = at,
                        known = known.join(", ")
                    ),
                );
            }
        }
    }

    pub(crate) fn get<'t, 'i>(
        &mut self,
        table: &'t Table<'i>,
        span: &Range<usize>,
        key: &str,
        at: &str,
        hint: Msg,
    ) -> Option<&'t Spanned<DeValue<'i>>> {
        let found = table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v);
        if found.is_none() {
            self.error_at(
                span.start,
                msg!("policy-missing-key", key = key, table = at),
                hint,
            );
        }
        found
    }

    pub(crate) fn string<'t>(
        &mut self,
        v: &'t Spanned<DeValue<'_>>,
        what: &str,
    ) -> Option<&'t str> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.as_ref()),
            other => {
                self.error_at(
                    v.span().start,
                    msg!("policy-not-string", what = what, found = other.type_str()),
                    msg!("hint-policy-not-string"),
                );
                None
            }
        }
    }

    pub(crate) fn table<'t, 'i>(
        &mut self,
        v: &'t Spanned<DeValue<'i>>,
        what: &str,
    ) -> Option<&'t Table<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.error_at(
                    v.span().start,
                    msg!("policy-not-table", what = what, found = other.type_str()),
                    msg!("hint-policy-not-table"),
                );
                None
            }
        }
    }

    pub(crate) fn choice<T: Copy>(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        what: &str,
        names: &[(&str, T)],
    ) -> Option<T> {
        let s = self.string(v, what)?;
        let found = names.iter().find(|(n, _)| *n == s).map(|(_, t)| *t);
        if found.is_none() {
            let list: Vec<String> = names.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            self.error_at(
                v.span().start,
                msg!("policy-unknown-value", what = what, value = s),
                msg!("hint-policy-unknown-value", values = list.join(", ")),
            );
        }
        found
    }

    pub(crate) fn class_value(&mut self, v: &Spanned<DeValue<'_>>, what: &str) -> Option<Class> {
        let s = self.string(v, what)?;
        match s.parse::<Class>() {
            Ok(c) => Some(c),
            Err(_) => {
                self.error_at(
                    v.span().start,
                    msg!("policy-bad-class", what = what, value = s),
                    msg!("hint-policy-class-values"),
                );
                None
            }
        }
    }

    fn policy(
        &mut self,
        root: &Table<'_>,
        root_span: Range<usize>,
        origin: &Origin,
        text: &str,
    ) -> Option<Policy> {
        let top = ROOT;
        self.unknown_keys(
            root,
            &[
                "version",
                "language",
                "unlabeled_class",
                "passphrase",
                "approval",
                "class",
                "custodian",
                "officer",
                "service",
                "media",
            ],
            top,
        );
        if let Some(v) = self.get(
            root,
            &root_span,
            "version",
            top,
            msg!("hint-policy-add-version"),
        ) {
            match v.get_ref() {
                DeValue::Integer(i) if i.as_str() == "1" => {}
                _ => self.error_at(
                    v.span().start,
                    msg!("policy-version"),
                    msg!("hint-policy-version"),
                ),
            }
        }
        // Optional: the language okuri speaks when the user's environment does not say.
        let language = match root
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == "language")
        {
            None => Some(None),
            Some((_, v)) => self
                .choice(v, "language", &[("ja", Lang::Ja), ("en", Lang::En)])
                .map(Some),
        };
        let unlabeled = self
            .get(
                root,
                &root_span,
                "unlabeled_class",
                top,
                msg!("hint-policy-add-unlabeled-class"),
            )
            .and_then(|v| {
                let c = self.class_value(v, "unlabeled_class")?;
                if c != Class::I {
                    self.warn_at(
                        v.span().start,
                        msg!("policy-unlabeled-not-strictest", class = c),
                        msg!("hint-policy-unlabeled-fail-closed"),
                    );
                }
                Some(c)
            });
        let min_bits = self
            .get(
                root,
                &root_span,
                "passphrase",
                top,
                msg!("hint-policy-add-passphrase"),
            )
            .and_then(|v| {
                let span = v.span();
                let t = self.table(v, "[passphrase]")?;
                self.unknown_keys(t, &["min_bits"], "[passphrase]");
                let b = self.get(
                    t,
                    &span,
                    "min_bits",
                    "[passphrase]",
                    msg!("hint-policy-add-min-bits"),
                )?;
                match b.get_ref() {
                    DeValue::Integer(i) => {
                        let n = u32::from_str_radix(i.as_str(), i.radix()).ok();
                        match n {
                            Some(n) if (MIN_PASSPHRASE_BITS..=MAX_PASSPHRASE_BITS).contains(&n) => {
                                Some(n)
                            }
                            _ => {
                                self.error_at(
                                    b.span().start,
                                    msg!(
                                        "policy-out-of-range",
                                        what = "min_bits",
                                        value = i.as_str()
                                    ),
                                    msg!(
                                        "hint-policy-min-bits-range",
                                        min = MIN_PASSPHRASE_BITS,
                                        max = MAX_PASSPHRASE_BITS
                                    ),
                                );
                                None
                            }
                        }
                    }
                    other => {
                        self.error_at(
                            b.span().start,
                            msg!(
                                "policy-not-integer",
                                what = "min_bits",
                                found = other.type_str()
                            ),
                            msg!("hint-policy-min-bits-integer"),
                        );
                        None
                    }
                }
            });
        let classes = self
            .get(
                root,
                &root_span,
                "class",
                top,
                msg!("hint-policy-add-classes"),
            )
            .and_then(|v| {
                let span = v.span();
                let t = self.table(v, "[class]")?;
                self.unknown_keys(t, &["I", "II", "III"], "[class]");
                let mut rules: Vec<Option<(ClassRule, Spans)>> = Vec::new();
                for class in Class::ALL {
                    let at = format!("[class.{class}]");
                    let hint = msg!("hint-policy-add-class", table = &at, name = class.as_str());
                    let rule = self
                        .get(t, &span, class.as_str(), "[class]", hint)
                        .and_then(|v| self.class_rule(v, &at));
                    rules.push(rule);
                }
                let rules: Option<Vec<(ClassRule, Spans)>> = rules.into_iter().collect();
                let rules = rules?;
                self.monotonic(&rules);
                let mut it = rules.into_iter().map(|(r, _)| r);
                Some([it.next()?, it.next()?, it.next()?])
            });
        let approval = self.approval_rules(root, &root_span);
        let service = self.service(root);
        let retention = self
            .get(
                root,
                &root_span,
                "media",
                top,
                msg!("hint-policy-add-media"),
            )
            .and_then(|v| {
                let span = v.span();
                let t = self.table(v, "[media]")?;
                self.unknown_keys(t, &["retention_days"], "[media]");
                let d = self.get(
                    t,
                    &span,
                    "retention_days",
                    "[media]",
                    msg!("hint-policy-add-retention-days"),
                )?;
                match d.get_ref() {
                    DeValue::Integer(i) => match u32::from_str_radix(i.as_str(), i.radix()) {
                        Ok(n) if (1..=3650).contains(&n) => Some(n),
                        _ => {
                            self.error_at(
                                d.span().start,
                                msg!(
                                    "policy-out-of-range",
                                    what = "retention_days",
                                    value = i.as_str()
                                ),
                                msg!("hint-policy-retention-range"),
                            );
                            None
                        }
                    },
                    other => {
                        self.error_at(
                            d.span().start,
                            msg!(
                                "policy-not-integer",
                                what = "retention_days",
                                found = other.type_str()
                            ),
                            msg!("hint-policy-no-quotes"),
                        );
                        None
                    }
                }
            });
        let trust = self.trust_list(root, &root_span);
        Some(Policy {
            origin: origin.clone(),
            digest: Blake3::of(text.as_bytes()),
            unlabeled_class: unlabeled?,
            passphrase_min_bits: min_bits?,
            approval: approval?,
            trust,
            service: service?,
            media_retention_days: retention?,
            language: language?,
            classes: classes?,
        })
    }

    /// `[service]`, optional: without it okuri works offline with token files only.
    fn service(&mut self, root: &Table<'_>) -> Option<Option<ServiceRef>> {
        let Some((_, v)) = root.iter().find(|(k, _)| k.get_ref().as_ref() == "service") else {
            return Some(None);
        };
        let span = v.span();
        let t = self.table(v, "[service]")?;
        self.unknown_keys(t, &["url", "ca"], "[service]");
        let url = self
            .get(
                t,
                &span,
                "url",
                "[service]",
                msg!("hint-policy-add-service-url"),
            )
            .and_then(|v| {
                let s = self.string(v, "url")?;
                let ok = s.starts_with("https://")
                    || s.starts_with("http://127.")
                    || s.starts_with("http://localhost")
                    || s.starts_with("http://[::1]");
                if !ok {
                    self.error_at(
                        v.span().start,
                        msg!("policy-service-url", url = s),
                        msg!("hint-policy-service-url"),
                    );
                    return None;
                }
                Some(s.trim_end_matches('/').to_owned())
            });
        let ca = match t.iter().find(|(k, _)| k.get_ref().as_ref() == "ca") {
            None => Some(None),
            Some((_, v)) => self.string(v, "ca").map(|s| Some(PathBuf::from(s))),
        };
        Some(Some(ServiceRef { url: url?, ca: ca? }))
    }

    fn approval_rules(
        &mut self,
        root: &Table<'_>,
        root_span: &Range<usize>,
    ) -> Option<ApprovalRules> {
        let at = "[approval]";
        let v = self.get(
            root,
            root_span,
            "approval",
            ROOT,
            msg!("hint-policy-add-approval"),
        )?;
        let span = v.span();
        let t = self.table(v, at)?;
        self.unknown_keys(t, &["default_validity_hours", "max_validity_hours"], at);
        let mut hours = |key: &str| {
            let v = self.get(t, &span, key, at, msg!("hint-policy-add-hours", key = key))?;
            match v.get_ref() {
                DeValue::Integer(i) => match u32::from_str_radix(i.as_str(), i.radix()) {
                    Ok(n) if (1..=24 * 366).contains(&n) => Some((n, v.span().start)),
                    _ => {
                        self.error_at(
                            v.span().start,
                            msg!("policy-out-of-range", what = key, value = i.as_str()),
                            msg!("hint-policy-hours-range"),
                        );
                        None
                    }
                },
                other => {
                    self.error_at(
                        v.span().start,
                        msg!("policy-not-integer", what = key, found = other.type_str()),
                        msg!("hint-policy-no-quotes"),
                    );
                    None
                }
            }
        };
        let default = hours("default_validity_hours");
        let max = hours("max_validity_hours");
        let ((default, d_at), (max, _)) = (default?, max?);
        if default > max {
            self.error_at(
                d_at,
                msg!("policy-hours-contradiction"),
                msg!("hint-policy-hours-contradiction"),
            );
            return None;
        }
        Some(ApprovalRules {
            default_validity_hours: default,
            max_validity_hours: max,
        })
    }

    fn class_rule(&mut self, v: &Spanned<DeValue<'_>>, at: &str) -> Option<(ClassRule, Spans)> {
        let span = v.span();
        let t = self.table(v, at)?;
        self.unknown_keys(
            t,
            &[
                "provision",
                "encryption",
                "recipient",
                "offline_tokens",
                "rule",
                "rule_en",
                "channels",
            ],
            at,
        );
        let provision = self
            .get(t, &span, "provision", at, msg!("hint-policy-add-provision"))
            .and_then(|v| {
                Some((
                    self.choice(v, "provision", &Provision::NAMES)?,
                    v.span().start,
                ))
            });
        let encryption = self
            .get(
                t,
                &span,
                "encryption",
                at,
                msg!("hint-policy-add-encryption"),
            )
            .and_then(|v| {
                Some((
                    self.choice(v, "encryption", &Encryption::NAMES)?,
                    v.span().start,
                ))
            });
        let rule = self
            .get(t, &span, "rule", at, msg!("hint-policy-add-rule"))
            .and_then(|v| self.string(v, "rule").map(str::to_owned));
        let rule_en = self
            .get(t, &span, "rule_en", at, msg!("hint-policy-add-rule-en"))
            .and_then(|v| self.string(v, "rule_en").map(str::to_owned));
        let channels_at = format!("{}.channels]", at.trim_end_matches(']'));
        let channels = self
            .get(
                t,
                &span,
                "channels",
                at,
                msg!("hint-policy-add-channels", table = &channels_at),
            )
            .and_then(|v| {
                let span = v.span();
                let ct = self.table(v, &channels_at)?;
                let known: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
                self.unknown_keys(ct, &known, &channels_at);
                let mut out = Vec::new();
                for c in Channel::ALL {
                    let hint = msg!("hint-policy-add-channel", key = c.as_str());
                    out.push(
                        self.get(ct, &span, c.as_str(), &channels_at, hint)
                            .and_then(|v| {
                                Some((
                                    self.choice(v, c.as_str(), &ChannelRule::NAMES)?,
                                    v.span().start,
                                ))
                            }),
                    );
                }
                let out: Option<Vec<(ChannelRule, usize)>> = out.into_iter().collect();
                out
            });
        let recipient = self
            .get(t, &span, "recipient", at, msg!("hint-policy-add-recipient"))
            .and_then(|v| {
                Some((
                    self.choice(v, "recipient", &RecipientRule::NAMES)?,
                    v.span().start,
                ))
            });
        let offline = self
            .get(
                t,
                &span,
                "offline_tokens",
                at,
                msg!("hint-policy-add-offline-tokens"),
            )
            .and_then(|v| match v.get_ref() {
                DeValue::Boolean(b) => Some(*b),
                other => {
                    self.error_at(
                        v.span().start,
                        msg!(
                            "policy-not-bool",
                            what = "offline_tokens",
                            found = other.type_str()
                        ),
                        msg!("hint-policy-bool"),
                    );
                    None
                }
            });
        let (provision, p_at) = provision?;
        let (recipient, r_at) = recipient?;
        let offline_tokens = offline?;
        if provision.needs_approval() && recipient == RecipientRule::Any {
            self.error_at(
                r_at,
                msg!("policy-approval-any-recipient", table = at),
                msg!("hint-policy-approval-any-recipient"),
            );
        }
        let (encryption, e_at) = encryption?;
        let channels = channels?;
        let rules: Vec<ChannelRule> = channels.iter().map(|(r, _)| *r).collect();
        let all_forbidden = rules.iter().all(|r| *r == ChannelRule::Forbidden);
        if provision == Provision::Forbidden && !all_forbidden {
            for (i, (r, off)) in channels.iter().enumerate() {
                if *r != ChannelRule::Forbidden {
                    self.error_at(
                        *off,
                        msg!(
                            "policy-forbidden-open-channel",
                            table = at,
                            key = Channel::ALL[i].as_str(),
                            value = name_of(&ChannelRule::NAMES, *r)
                        ),
                        msg!("hint-policy-forbidden-open-channel"),
                    );
                }
            }
        }
        if provision != Provision::Forbidden && all_forbidden {
            self.error_at(
                p_at,
                msg!(
                    "policy-all-channels-forbidden",
                    table = at,
                    value = name_of(&Provision::NAMES, provision)
                ),
                msg!("hint-policy-all-channels-forbidden"),
            );
        }
        Some((
            ClassRule {
                provision,
                encryption,
                rule: rule?,
                rule_en: rule_en?,
                recipient,
                offline_tokens,
                channels: [rules[0], rules[1], rules[2], rules[3]],
            },
            Spans {
                provision: p_at,
                recipient: r_at,
                encryption: e_at,
                channels: channels.iter().map(|(_, o)| *o).collect(),
            },
        ))
    }

    /// A stricter class must be at least as strict as a laxer one in every rule; anything else
    /// is a contradiction, e.g. class I allowed by e-mail where class II needs approval.
    fn monotonic(&mut self, rules: &[(ClassRule, Spans)]) {
        for w in 0..rules.len() - 1 {
            let (strict, s_spans) = &rules[w];
            let (lax, _) = &rules[w + 1];
            let (sc, lc) = (Class::ALL[w], Class::ALL[w + 1]);
            if strict.provision.strictness() < lax.provision.strictness() {
                self.error_at(
                    s_spans.provision,
                    msg!(
                        "policy-provision-laxer",
                        strict = sc.as_str(),
                        lax = lc.as_str(),
                        strict_value = name_of(&Provision::NAMES, strict.provision),
                        lax_value = name_of(&Provision::NAMES, lax.provision)
                    ),
                    msg!("hint-policy-stricter-class"),
                );
            }
            if strict.recipient == RecipientRule::Any && lax.recipient == RecipientRule::Registered
            {
                self.error_at(
                    s_spans.recipient,
                    msg!(
                        "policy-recipient-laxer",
                        strict = sc.as_str(),
                        lax = lc.as_str()
                    ),
                    msg!("hint-policy-recipient-laxer"),
                );
            }
            if strict.encryption == Encryption::Optional && lax.encryption == Encryption::Required {
                self.error_at(
                    s_spans.encryption,
                    msg!(
                        "policy-encryption-laxer",
                        strict = sc.as_str(),
                        lax = lc.as_str()
                    ),
                    msg!("hint-policy-encryption-laxer"),
                );
            }
            for (i, c) in Channel::ALL.into_iter().enumerate() {
                let (a, b) = (strict.channels[i], lax.channels[i]);
                if a.strictness() < b.strictness() {
                    self.error_at(
                        s_spans.channels[i],
                        msg!(
                            "policy-channel-laxer",
                            strict = sc.as_str(),
                            lax = lc.as_str(),
                            key = c.as_str(),
                            strict_value = name_of(&ChannelRule::NAMES, a),
                            lax_value = name_of(&ChannelRule::NAMES, b)
                        ),
                        msg!("hint-policy-stricter-class"),
                    );
                }
            }
        }
    }
}

struct Spans {
    provision: usize,
    recipient: usize,
    encryption: usize,
    channels: Vec<usize>,
}

fn name_of<T: PartialEq + Copy>(names: &[(&'static str, T)], v: T) -> &'static str {
    names
        .iter()
        .find(|(_, t)| *t == v)
        .map(|(n, _)| *n)
        .expect("every value has a name")
}

#[cfg(test)]
mod tests {
    use super::*;

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
