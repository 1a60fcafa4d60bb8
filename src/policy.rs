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
use crate::error::{Error, Result};

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
    classes: [ClassRule; 3],
}

/// One finding of `policy check`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
    #[serde(skip)]
    offset: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
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

/// Renders diagnostics as `file:line:col: error: message` with the hint below, like a compiler.
pub fn render_diagnostics(origin: &Origin, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "{origin}:{}:{}: {sev}: {}\n",
            d.line, d.column, d.message
        ));
        if !d.hint.is_empty() {
            out.push_str(&format!("  hint: {}\n", d.hint));
        }
    }
    out
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
        let text = std::fs::read_to_string(path).map_err(|e| Error::io("read policy", path, e))?;
        let origin = Origin::File(path.to_path_buf());
        let checked = Self::check(&text, origin.clone());
        match checked.policy {
            Some(p) => Ok(p),
            None => {
                let errs: Vec<Diagnostic> = checked.errors().cloned().collect();
                Err(Error::invalid(format!(
                    "the policy {origin} is not valid ({} error{}):\n{}",
                    errs.len(),
                    if errs.len() == 1 { "" } else { "s" },
                    render_diagnostics(&origin, &errs).trim_end()
                ))
                .with_hint("fix the policy (check it with `okuri policy check FILE`) or ask the CISO (最高情報統括責任者) for the current one"))
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
                format!("TOML syntax: {}", e.message().trim()),
                "see https://toml.io for the syntax; strings need double quotes",
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

    /// What the policy demands for `class` over `channel`, and whether `facts` meet it.
    pub fn decide(&self, class: Class, channel: Channel, facts: &Facts) -> Decision {
        let rule = self.class(class);
        let requirements = self.requirements(class, channel);
        let refusal = |code, ja: String, en: String, hint_ja: String, hint_en: String| Refusal {
            code,
            class,
            channel: Some(channel),
            rule: rule.rule.clone(),
            rule_en: rule.rule_en.clone(),
            ja,
            en,
            hint_ja,
            hint_en,
        };
        let allowed_channels: Vec<Channel> = Channel::ALL
            .into_iter()
            .filter(|c| rule.channel(*c) != ChannelRule::Forbidden)
            .collect();
        let alt = allowed_channels
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        if rule.provision == Provision::Forbidden {
            return Decision::Refused(refusal(
                RefusalCode::ClassForbidden,
                format!(
                    "{}の情報資産は外部に提供できません。根拠: {}",
                    class.ja(),
                    rule.rule
                ),
                format!(
                    "Class {class} ({}) assets may not leave the city under this policy. Rule: {}",
                    class.ja(),
                    rule.rule_en
                ),
                "提供が必要な場合は最高情報統括責任者に例外措置(第7章)を相談してください。".into(),
                "If provision is necessary, ask the CISO (最高情報統括責任者) about an exception (例外措置, Ch.7).".into(),
            ));
        }
        if rule.channel(channel) == ChannelRule::Forbidden {
            return Decision::Refused(refusal(
                RefusalCode::ChannelForbidden,
                format!(
                    "{}の情報資産は{}({})で送ることはできません。根拠: {}",
                    class.ja(),
                    channel.ja(),
                    channel,
                    rule.rule
                ),
                format!(
                    "Class {class} ({}) files may not be sent by {} ({channel}). Rule: {}",
                    class.ja(),
                    channel_en(channel),
                    rule.rule_en
                ),
                format!("この分類で使える経路: {alt}。情報資産管理責任者に相談してください。"),
                format!(
                    "Channels allowed for class {class}: {alt}; ask your custodian (情報資産管理責任者), e.g. about --channel lgwan."
                ),
            ));
        }
        if requirements.legal_basis && facts.legal_basis.is_none() {
            return Decision::Refused(refusal(
                RefusalCode::LegalBasisRequired,
                format!(
                    "{}の情報資産は法令又は条例の規定に基づく場合に限り外部に提供できます。根拠となる法令又は条例を --legal-basis で示してください。根拠: {}",
                    class.ja(),
                    rule.rule
                ),
                format!(
                    "Class {class} ({}) may leave the city only where a law or ordinance requires it (法令又は条例の規定), and none was given. Rule: {}",
                    class.ja(),
                    rule.rule_en
                ),
                "例: --legal-basis \"地方税法第22条の2\"。根拠がなければ提供できません。".into(),
                "Give the provision with --legal-basis \"<law, article>\"; without one the file cannot be provided.".into(),
            ));
        }
        if requirements.approval && !facts.approval {
            return Decision::Refused(refusal(
                RefusalCode::ApprovalRequired,
                format!(
                    "{}の情報資産を{}で外部に提供するには情報資産管理責任者の承認が必要です。根拠: {}",
                    class.ja(),
                    channel.ja(),
                    rule.rule
                ),
                format!(
                    "Sending class {class} ({}) by {} needs the approval of the custodian (情報資産管理責任者). Rule: {}",
                    class.ja(),
                    channel_en(channel),
                    rule.rule_en
                ),
                "情報資産管理責任者に承認トークンを依頼し、--approval で指定してください。".into(),
                "Ask your custodian (情報資産管理責任者) for an approval token and give it with --approval.".into(),
            ));
        }
        if requirements.encryption && !facts.encrypt {
            return Decision::Refused(refusal(
                RefusalCode::EncryptionRequired,
                format!(
                    "{}の情報資産は暗号化及びパスワードの設定が必要です(--no-encrypt は使えません)。根拠: {}",
                    class.ja(),
                    rule.rule
                ),
                format!(
                    "Class {class} ({}) must be encrypted with a password; --no-encrypt is not allowed. Rule: {}",
                    class.ja(),
                    rule.rule_en
                ),
                "--no-encrypt を外して実行してください。".into(),
                "Run again without --no-encrypt.".into(),
            ));
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

fn channel_en(c: Channel) -> &'static str {
    match c {
        Channel::Email => "e-mail",
        Channel::Lgwan => "LGWAN",
        Channel::Media => "removable media",
        Channel::Hand => "hand delivery",
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
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

/// A refusal, in Japanese and English, quoting the rule and saying what to do instead.
#[derive(Clone, Debug, Serialize)]
pub struct Refusal {
    pub code: RefusalCode,
    pub class: Class,
    pub channel: Option<Channel>,
    pub rule: String,
    pub rule_en: String,
    pub ja: String,
    pub en: String,
    pub hint_ja: String,
    pub hint_en: String,
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

/// The 1-based line and column (in characters) of a byte offset, for messages.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

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

    fn push(&mut self, severity: Severity, offset: usize, message: String, hint: &str) {
        let (line, column) = self.line_col(offset);
        self.diags.push(Diagnostic {
            severity,
            line,
            column,
            message,
            hint: hint.to_owned(),
            offset,
        });
    }

    pub(crate) fn error_at(&mut self, offset: usize, message: impl Into<String>, hint: &str) {
        self.push(Severity::Error, offset, message.into(), hint);
    }

    pub(crate) fn warn_at(&mut self, offset: usize, message: impl Into<String>, hint: &str) {
        self.push(Severity::Warning, offset, message.into(), hint);
    }

    /// Reports keys of `table` not in `known`. `at` names the table for the message.
    pub(crate) fn unknown_keys(&mut self, table: &Table<'_>, known: &[&str], at: &str) {
        for (k, _) in table.iter() {
            if !known.contains(&k.get_ref().as_ref()) {
                let hint = format!("the keys of {at} are: {}", known.join(", "));
                self.error_at(
                    k.span().start,
                    format!("unknown key `{}` in {at}", k.get_ref()),
                    &hint,
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
        hint: &str,
    ) -> Option<&'t Spanned<DeValue<'i>>> {
        let found = table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v);
        if found.is_none() {
            self.error_at(span.start, format!("missing key `{key}` in {at}"), hint);
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
                    format!("{what} must be a string, found {}", other.type_str()),
                    "put the value in double quotes",
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
                    format!("{what} must be a table, found {}", other.type_str()),
                    "write it as a [section]",
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
                format!("{what} is \"{s}\", which is not a known value"),
                &format!("use one of {}", list.join(", ")),
            );
        }
        found
    }

    pub(crate) fn class_value(&mut self, v: &Spanned<DeValue<'_>>, what: &str) -> Option<Class> {
        let s = self.string(v, what)?;
        match s.parse::<Class>() {
            Ok(c) => Some(c),
            Err(e) => {
                self.error_at(
                    v.span().start,
                    format!("{what}: {e}"),
                    "use \"I\", \"II\" or \"III\"",
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
        let top = "the policy";
        self.unknown_keys(
            root,
            &[
                "version",
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
            "add `version = 1` at the top",
        ) {
            match v.get_ref() {
                DeValue::Integer(i) if i.as_str() == "1" => {}
                _ => self.error_at(
                    v.span().start,
                    "unsupported policy version",
                    "this okuri reads `version = 1`",
                ),
            }
        }
        let unlabeled = self
            .get(
                root,
                &root_span,
                "unlabeled_class",
                top,
                "add `unlabeled_class = \"I\"`: a file without a label is treated as class I (fail closed)",
            )
            .and_then(|v| {
                let c = self.class_value(v, "unlabeled_class")?;
                if c != Class::I {
                    self.warn_at(
                        v.span().start,
                        format!("unlabeled files are treated as class {c}, not the strictest class I"),
                        "the standard has staff handle an asset by its designated class; an unknown class should fail closed to \"I\"",
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
                "add a [passphrase] section with `min_bits = 100`",
            )
            .and_then(|v| {
                let span = v.span();
                let t = self.table(v, "[passphrase]")?;
                self.unknown_keys(t, &["min_bits"], "[passphrase]");
                let b = self.get(t, &span, "min_bits", "[passphrase]", "add `min_bits = 100`")?;
                match b.get_ref() {
                    DeValue::Integer(i) => {
                        let n = u32::from_str_radix(i.as_str(), i.radix()).ok();
                        match n {
                            Some(n) if (MIN_PASSPHRASE_BITS..=MAX_PASSPHRASE_BITS).contains(&n) => Some(n),
                            _ => {
                                self.error_at(
                                    b.span().start,
                                    format!("min_bits = {} is out of range", i.as_str()),
                                    &format!("use a number of bits from {MIN_PASSPHRASE_BITS} to {MAX_PASSPHRASE_BITS}; weak passwords are against Ch.3 (2)"),
                                );
                                None
                            }
                        }
                    }
                    other => {
                        self.error_at(
                            b.span().start,
                            format!("min_bits must be an integer, found {}", other.type_str()),
                            "write it without quotes, e.g. `min_bits = 100`",
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
                "add [class.I], [class.II] and [class.III] sections",
            )
            .and_then(|v| {
                let span = v.span();
                let t = self.table(v, "[class]")?;
                self.unknown_keys(t, &["I", "II", "III"], "[class]");
                let mut rules: Vec<Option<(ClassRule, Spans)>> = Vec::new();
                for class in Class::ALL {
                    let at = format!("[class.{class}]");
                    let hint = format!(
                        "every class must be defined; add a {at} section with provision, encryption, rule, rule_en and [class.{class}.channels]"
                    );
                    let rule = self
                        .get(t, &span, class.as_str(), "[class]", &hint)
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
                "add a [media] section with `retention_days = 30`",
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
                    "add `retention_days = 30`",
                )?;
                match d.get_ref() {
                    DeValue::Integer(i) => match u32::from_str_radix(i.as_str(), i.radix()) {
                        Ok(n) if (1..=3650).contains(&n) => Some(n),
                        _ => {
                            self.error_at(
                                d.span().start,
                                "retention_days is out of range",
                                "use 1 to 3650 days",
                            );
                            None
                        }
                    },
                    other => {
                        self.error_at(
                            d.span().start,
                            format!(
                                "retention_days must be an integer, found {}",
                                other.type_str()
                            ),
                            "write it without quotes",
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
                "add `url = \"https://approvald.example:8441\"`",
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
                        format!("url = \"{s}\" is neither https:// nor plain HTTP on loopback"),
                        "the service carries approvals: use https:// for any other address",
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
            "the policy",
            "add an [approval] section with default_validity_hours and max_validity_hours",
        )?;
        let span = v.span();
        let t = self.table(v, at)?;
        self.unknown_keys(t, &["default_validity_hours", "max_validity_hours"], at);
        let mut hours = |key: &str| {
            let v = self.get(t, &span, key, at, &format!("add `{key} = 72`"))?;
            match v.get_ref() {
                DeValue::Integer(i) => match u32::from_str_radix(i.as_str(), i.radix()) {
                    Ok(n) if (1..=24 * 366).contains(&n) => Some((n, v.span().start)),
                    _ => {
                        self.error_at(
                            v.span().start,
                            format!("{key} = {} is out of range", i.as_str()),
                            "use a number of hours from 1 to 8784",
                        );
                        None
                    }
                },
                other => {
                    self.error_at(
                        v.span().start,
                        format!("{key} must be an integer, found {}", other.type_str()),
                        "write it without quotes",
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
                "contradiction: default_validity_hours is longer than max_validity_hours",
                "make the default no longer than the maximum",
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
            .get(
                t,
                &span,
                "provision",
                at,
                "add `provision = \"approval\"` (or allowed, legal-basis-and-approval, forbidden)",
            )
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
                "add `encryption = \"required\"` or \"optional\"",
            )
            .and_then(|v| {
                Some((
                    self.choice(v, "encryption", &Encryption::NAMES)?,
                    v.span().start,
                ))
            });
        let rule = self
            .get(
                t,
                &span,
                "rule",
                at,
                "quote the rule of the standard in Japanese, for refusal messages",
            )
            .and_then(|v| self.string(v, "rule").map(str::to_owned));
        let rule_en = self
            .get(
                t,
                &span,
                "rule_en",
                at,
                "give the rule in English, for refusal messages",
            )
            .and_then(|v| self.string(v, "rule_en").map(str::to_owned));
        let channels_at = format!("{}.channels]", at.trim_end_matches(']'));
        let channels = self
            .get(
                t,
                &span,
                "channels",
                at,
                &format!("add a {channels_at} section with email, lgwan, media and hand"),
            )
            .and_then(|v| {
                let span = v.span();
                let ct = self.table(v, &channels_at)?;
                let known: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
                self.unknown_keys(ct, &known, &channels_at);
                let mut out = Vec::new();
                for c in Channel::ALL {
                    let hint = format!("add `{c} = \"allowed\"`, \"approval\" or \"forbidden\"");
                    out.push(
                        self.get(ct, &span, c.as_str(), &channels_at, &hint)
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
            .get(
                t,
                &span,
                "recipient",
                at,
                "add `recipient = \"registered\"` (only contractors in the recipient register) or \"any\"",
            )
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
                "add `offline_tokens = true` (a token file may be used when the approval service is down) or false",
            )
            .and_then(|v| match v.get_ref() {
                DeValue::Boolean(b) => Some(*b),
                other => {
                    self.error_at(
                        v.span().start,
                        format!("offline_tokens must be true or false, found {}", other.type_str()),
                        "write true or false without quotes",
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
                format!("contradiction in {at}: provision needs approval but recipient is \"any\""),
                "an approval is checked against the recipient's agreement (外部委託, Ch.6 §2); set recipient = \"registered\"",
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
                        format!(
                            "contradiction in {at}: provision is \"forbidden\" but channel {} is \"{}\"",
                            Channel::ALL[i],
                            name_of(&ChannelRule::NAMES, *r)
                        ),
                        "a class that may not leave the city can have no open channel; set it to \"forbidden\"",
                    );
                }
            }
        }
        if provision != Provision::Forbidden && all_forbidden {
            self.error_at(
                p_at,
                format!(
                    "contradiction in {at}: provision is \"{}\" but every channel is \"forbidden\"",
                    name_of(&Provision::NAMES, provision)
                ),
                "open at least one channel, or set provision = \"forbidden\"",
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
                    format!(
                        "contradiction: class {sc} provision \"{}\" is laxer than class {lc} \"{}\"",
                        name_of(&Provision::NAMES, strict.provision),
                        name_of(&Provision::NAMES, lax.provision)
                    ),
                    "a stricter class (I is strictest) must never be easier to send than a laxer one",
                );
            }
            if strict.recipient == RecipientRule::Any && lax.recipient == RecipientRule::Registered
            {
                self.error_at(
                    s_spans.recipient,
                    format!("contradiction: class {sc} may go to any recipient but class {lc} only to registered ones"),
                    "set recipient = \"registered\" for the stricter class",
                );
            }
            if strict.encryption == Encryption::Optional && lax.encryption == Encryption::Required {
                self.error_at(
                    s_spans.encryption,
                    format!("contradiction: class {sc} encryption is optional but class {lc} requires it"),
                    "set encryption = \"required\" for the stricter class",
                );
            }
            for (i, c) in Channel::ALL.into_iter().enumerate() {
                let (a, b) = (strict.channels[i], lax.channels[i]);
                if a.strictness() < b.strictness() {
                    self.error_at(
                        s_spans.channels[i],
                        format!(
                            "contradiction: class {sc} {c} is \"{}\" but class {lc} {c} is \"{}\"",
                            name_of(&ChannelRule::NAMES, a),
                            name_of(&ChannelRule::NAMES, b)
                        ),
                        "a stricter class (I is strictest) must never be easier to send than a laxer one",
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

    #[test]
    fn embedded_is_valid_and_warns_only_of_its_empty_trust_list() {
        let c = Policy::check(EMBEDDED, Origin::Embedded);
        let msgs: Vec<&str> = c.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            c.diagnostics.iter().all(|d| d.severity == Severity::Warning
                && d.message.starts_with("the trust list has no")),
            "{msgs:?}"
        );
        let p = c.policy.unwrap();
        assert_eq!(p.unlabeled_class, Class::I);
        assert_eq!(p.passphrase_min_bits, 100);
    }

    #[test]
    fn unknown_key_reported_with_position() {
        let text = EMBEDDED.replace("min_bits = 100", "min_bits = 100\nmin_bytes = 3");
        let errs = errors(&text);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message.contains("unknown key `min_bytes`"));
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
        let msgs: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("\"maybe\"")), "{msgs:?}");
        assert!(
            msgs.iter().any(|m| m.contains("unknown key `provison`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("missing key `provision` in [class.II]")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("unknown key `fax`")),
            "{msgs:?}"
        );
    }

    #[test]
    fn class_i_laxer_than_ii_is_a_contradiction() {
        let text = EMBEDDED.replacen("email = \"forbidden\"", "email = \"allowed\"", 1);
        let errs = errors(&text);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message.contains("contradiction: class I email"));
    }
}
