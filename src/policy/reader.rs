//! Reading `policy.toml` through a spanned TOML tree rather than serde derive, so that *every*
//! error (unknown keys, missing classes, bad values, contradictions) is reported at once with
//! its line and column: a CISO fixing a policy should not have to run the check ten times.

use std::ops::Range;
use std::path::PathBuf;

use jiff::Timestamp;
use ssh_key::PublicKey;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::trust::{RevokedKey, Signer, SignerRole, TrustList, TrustedKey};
use super::{
    ApprovalRules, ChannelRule, ClassRule, Encryption, MAX_PASSPHRASE_BITS, MIN_PASSPHRASE_BITS,
    Origin, Policy, Provision, RecipientRule, ServiceRef,
};
use crate::base::channel::Channel;
use crate::base::class::Class;
use crate::base::digest::Blake3;
use crate::base::error::{Diagnostic, Severity, line_col};
use crate::base::message::{Lang, Msg};
use crate::base::time::start_of_day_jst;
use crate::msg;
use crate::secret::keys::{self, BadPublicKey, Fingerprint};

// ---- validation ----------------------------------------------------------------------------

/// Checks the service's address and returns it as the base the client joins paths to.
///
/// Parsed, never compared by prefix: `http://localhost.example.org@127.0.0.1/` and
/// `http://127.attacker.example/` both *start* like loopback. The login travels to this
/// address, so it must be `https://`, or plain HTTP to a loopback IP literal or exactly
/// `localhost`; user-info (which hides the real host after an `@`), a query and a fragment
/// are refused because a base address has no use for them.
fn service_url(s: &str) -> Result<String, (Msg, Msg)> {
    use url::{Host, Url};
    let url = Url::parse(s).map_err(|e| {
        (
            msg!(
                "policy-service-url-unreadable",
                url = s,
                detail = e.to_string()
            ),
            msg!("hint-policy-service-url"),
        )
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err((
            msg!("policy-service-url-userinfo", url = s),
            msg!("hint-policy-service-url-userinfo"),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err((
            msg!("policy-service-url-extra", url = s),
            msg!("hint-policy-service-url-extra"),
        ));
    }
    let ok = match (url.scheme(), url.host()) {
        ("https", Some(_)) => true,
        ("http", Some(Host::Ipv4(ip))) => ip.is_loopback(),
        ("http", Some(Host::Ipv6(ip))) => ip.is_loopback(),
        ("http", Some(Host::Domain(d))) => d == "localhost",
        _ => false,
    };
    if !ok {
        return Err((
            msg!("policy-service-url", url = s),
            msg!("hint-policy-service-url"),
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// The `table` of a message about the policy's top level (not a TOML table name): the
/// messages say "the policy" for it.
pub(crate) const ROOT: &str = "root";
/// The `table` of a message about one entry of `keys = [...]` in the trust list.
pub(crate) const KEY_ENTRY: &str = "key-entry";
/// The `table` of a message about one entry of `revoked = [...]` in the trust list.
pub(crate) const REVOKED_ENTRY: &str = "revoked-entry";

pub(crate) struct Cx<'a> {
    text: &'a str,
    pub(crate) diags: Vec<Diagnostic>,
}

pub(crate) type Table<'i> = DeTable<'i>;

impl<'a> Cx<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
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
            DeValue::String(s) if crate::base::text::has_hidden_control(s) => {
                self.error_at(
                    v.span().start,
                    msg!("policy-control-character", what = what),
                    msg!("hint-policy-control-character"),
                );
                None
            }
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

    /// A whole number in `range`: the one reader of every integer setting.
    pub(crate) fn integer(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        what: &str,
        range: std::ops::RangeInclusive<u32>,
        range_hint: Msg,
    ) -> Option<u32> {
        match v.get_ref() {
            DeValue::Integer(i) => match u32::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) if range.contains(&n) => Some(n),
                _ => {
                    self.error_at(
                        v.span().start,
                        msg!("policy-out-of-range", what = what, value = i.as_str()),
                        range_hint,
                    );
                    None
                }
            },
            other => {
                self.error_at(
                    v.span().start,
                    msg!("policy-not-integer", what = what, found = other.type_str()),
                    msg!("hint-policy-no-quotes"),
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

    pub(crate) fn policy(
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
                "serial",
                "valid_until",
            ],
            top,
        );
        // A city's signed rules hold the rules only: people and addresses are documents of
        // their own, so that changing them voids no request or token made under the rules.
        if matches!(origin, Origin::Signed { .. }) {
            for (k, v) in root.iter() {
                let k = k.get_ref().as_ref();
                if ["custodian", "officer", "administrator", "service"].contains(&k) {
                    self.error_at(
                        v.span().start,
                        msg!("city-rules-hold-people", key = k),
                        msg!("hint-city-rules-hold-people"),
                    );
                }
            }
        }
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
                self.integer(
                    b,
                    "min_bits",
                    MIN_PASSPHRASE_BITS..=MAX_PASSPHRASE_BITS,
                    msg!(
                        "hint-policy-min-bits-range",
                        min = MIN_PASSPHRASE_BITS,
                        max = MAX_PASSPHRASE_BITS
                    ),
                )
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
                self.integer(
                    d,
                    "retention_days",
                    1..=3650,
                    msg!("hint-policy-retention-range"),
                )
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
            documents: Vec::new(),
            valid_until: None,
            classes: classes?,
        })
    }

    /// A city's trust list (`trust.toml`): its header, and `[[custodian]]`, `[[officer]]` and
    /// `[[administrator]]` as the development policy has them.
    pub(crate) fn trust_document(
        &mut self,
        root: &Table<'_>,
        root_span: Range<usize>,
    ) -> Option<TrustList> {
        self.unknown_keys(
            root,
            &[
                "serial",
                "valid_until",
                "custodian",
                "officer",
                "administrator",
            ],
            ROOT,
        );
        Some(self.trust_list(root, &root_span))
    }

    /// A city's service address (`service.toml`): its header and `[service]`.
    pub(crate) fn service_document(
        &mut self,
        root: &Table<'_>,
        root_span: Range<usize>,
    ) -> Option<ServiceRef> {
        self.unknown_keys(root, &["serial", "valid_until", "service"], ROOT);
        match self.service(root)? {
            Some(s) => Some(s),
            None => {
                self.error_at(
                    root_span.start,
                    msg!("policy-missing-key", key = "service", table = ROOT),
                    msg!("hint-policy-add-service-url"),
                );
                None
            }
        }
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
                match service_url(s) {
                    Ok(url) => Some(url),
                    Err((message, hint)) => {
                        self.error_at(v.span().start, message, hint);
                        None
                    }
                }
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
            let n = self.integer(v, key, 1..=24 * 366, msg!("hint-policy-hours-range"))?;
            Some((n, v.span().start))
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

// ---- reading the trust list from policy.toml ------------------------------------------------

impl Cx<'_> {
    /// Reads `[[custodian]]` and `[[officer]]`. Either may be absent (an empty list); then no
    /// approval or designation is possible, which `policy check` warns about.
    pub(crate) fn trust_list(&mut self, root: &Table<'_>, root_span: &Range<usize>) -> TrustList {
        let mut list = TrustList::default();
        for role in [
            SignerRole::Custodian,
            SignerRole::Officer,
            SignerRole::Administrator,
        ] {
            let Some((_, v)) = root
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == role.key())
            else {
                let missing = match role {
                    SignerRole::Custodian => Some(msg!("trust-no-custodian")),
                    SignerRole::Officer => Some(msg!("trust-no-officer")),
                    // Only a city with a signed staff directory needs one.
                    SignerRole::Administrator => None,
                };
                if let Some(m) = missing {
                    self.warn_at(
                        root_span.start,
                        m,
                        msg!("hint-trust-add-signers", section = role.key()),
                    );
                }
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
        self.list_of(v, what, |cx, i| cx.string(i, what).map(str::to_owned))
    }

    /// A list of at least one value, each read by `one`.
    pub(crate) fn list_of<T>(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        what: &str,
        one: impl Fn(&mut Self, &Spanned<DeValue<'_>>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items = self.array(v, what)?;
        let mut out = Vec::new();
        let mut ok = true;
        for i in items {
            match one(self, i) {
                Some(x) => out.push(x),
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
                match s.parse::<crate::base::ids::StaffId>() {
                    Ok(id) => Some(id),
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
        // An administrator keeps the staff directory; they act for no class or department.
        let admin = role == SignerRole::Administrator;
        let absent = |key: &str| admin && !t.iter().any(|(k, _)| k.get_ref().as_ref() == key);
        let classes = if absent("classes") {
            Some(Vec::new())
        } else {
            self.get(t, &span, "classes", at, msg!("hint-trust-add-classes"))
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
                })
        };
        let departments = if absent("departments") {
            Some(Vec::new())
        } else {
            self.get(
                t,
                &span,
                "departments",
                at,
                msg!("hint-trust-add-departments"),
            )
            .and_then(|v| self.string_list(v, "departments"))
        };
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
