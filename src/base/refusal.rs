//! Refusals as facts: a stable code, the class and channel, the rule quoted, and the message
//! and hint as [`Msg`]s. The edge renders them; the record stores them as they are.

use serde::Serialize;

use crate::base::channel::Channel;
use crate::base::class::Class;
use crate::base::message::{Msg, Value};

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
    /// The token is valid for longer than the policy's `max_validity_hours`.
    TokenValidityTooLong,
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
    /// The requester is not in the city's staff directory with the department and key the
    /// request names (or did not sign it).
    RequesterNotEnrolled,
}

impl RefusalCode {
    pub const ALL: [RefusalCode; 35] = [
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
        RefusalCode::TokenValidityTooLong,
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
        RefusalCode::RequesterNotEnrolled,
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
            RefusalCode::TokenValidityTooLong => "token-validity-too-long",
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
            RefusalCode::RequesterNotEnrolled => "requester-not-enrolled",
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
