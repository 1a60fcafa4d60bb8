//! The recipient register (外部委託先台帳, Ch.6 §2): the outside bodies the city has an agreement
//! with, what the agreement covers, until when, and how the password slip reaches them.
//!
//! It is a TOML file kept by the city and given with `--recipients FILE` or
//! `OKURI_RECIPIENTS`, by default `recipients.toml` in the okuri home. `--to` names a
//! registered recipient by id; whether a class may go to an unregistered one is the policy's
//! decision (`recipient = "registered" | "any"` per class).

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::channel::Channel;
use crate::class::Class;
use crate::digest::Blake3;
use crate::error::{Error, Result};
use crate::keys;
use crate::policy::line_col;

/// How the password slip reaches a recipient: never with the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlipMethod {
    Phone,
    Fax,
    Post,
    Hand,
}

impl SlipMethod {
    pub fn ja(self) -> &'static str {
        match self {
            SlipMethod::Phone => "電話",
            SlipMethod::Fax => "FAX",
            SlipMethod::Post => "郵送",
            SlipMethod::Hand => "手渡し",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlipDelivery {
    pub method: SlipMethod,
    pub contact: String,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub address: Option<String>,
}

/// One registered recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub id: String,
    pub name: String,
    /// The contract (契約) under which they receive data.
    pub contract: String,
    pub classes: Vec<Class>,
    pub channels: Vec<Channel>,
    /// The last day the agreement covers (inclusive, a day in Japan).
    #[serde(with = "date_toml")]
    pub agreement_ends: Date,
    pub slip: SlipDelivery,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    #[serde(default)]
    recipient: Vec<Recipient>,
}

/// What is wrong with a recipient for a transfer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gap {
    Ended(Date),
    Class(Class),
    Channel(Channel),
}

impl Recipient {
    /// Does the agreement cover `class` by `channel` on `today` (a day in Japan)?
    pub fn covers(
        &self,
        class: Class,
        channel: Channel,
        today: Date,
    ) -> std::result::Result<(), Gap> {
        if today > self.agreement_ends {
            return Err(Gap::Ended(self.agreement_ends));
        }
        if !self.classes.contains(&class) {
            return Err(Gap::Class(class));
        }
        if !self.channels.contains(&channel) {
            return Err(Gap::Channel(channel));
        }
        Ok(())
    }

    /// The slip's delivery line: how and to whom.
    pub fn slip_contact(&self) -> String {
        let s = &self.slip;
        let mut parts = vec![format!(
            "{} ({})",
            s.method.ja(),
            format!("{:?}", s.method).to_lowercase()
        )];
        parts.push(s.contact.clone());
        if let Some(p) = &s.phone {
            parts.push(format!("TEL {p}"));
        }
        if let Some(f) = &s.fax {
            parts.push(format!("FAX {f}"));
        }
        if let Some(a) = &s.address {
            parts.push(a.clone());
        }
        parts.join(" / ")
    }
}

/// The register as loaded.
#[derive(Clone, Debug)]
pub struct Register {
    pub path: PathBuf,
    /// BLAKE3 of the file's bytes (zeros when there is no file), for the record.
    pub digest: Blake3,
    pub recipients: Vec<Recipient>,
    pub exists: bool,
}

impl Register {
    /// Loads and checks the register. A missing file is an empty register; a bad one is an
    /// error with line and column.
    pub fn load(path: &Path) -> Result<Register> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Register {
                    path: path.to_path_buf(),
                    digest: Blake3::ZERO,
                    recipients: Vec::new(),
                    exists: false,
                });
            }
            Err(e) => return Err(Error::io("read the recipient register", path, e)),
        };
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Register> {
        let bad = |line: usize, col: usize, msg: String| {
            Error::invalid(format!(
                "the recipient register {}:{line}:{col} is not valid: {msg}",
                path.display()
            ))
            .with_hint("fix the register (check it with `okuri recipients check`) or ask whoever keeps the contracts for the current one")
        };
        let file: File = toml::from_str(text).map_err(|e| {
            let (l, c) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            bad(l, c, e.message().trim().to_owned())
        })?;
        if file.version != 1 {
            return Err(bad(
                1,
                1,
                "unsupported version; this okuri reads `version = 1`".into(),
            ));
        }
        for (i, r) in file.recipient.iter().enumerate() {
            let at = text
                .match_indices("[[recipient]]")
                .nth(i)
                .map(|(o, _)| line_col(text, o))
                .unwrap_or((1, 1));
            if let Err(e) = keys::check_id(&r.id) {
                return Err(bad(at.0, at.1, format!("recipient {i}: {e}")));
            }
            if file.recipient[..i].iter().any(|o| o.id == r.id) {
                return Err(bad(
                    at.0,
                    at.1,
                    format!("the id `{}` is listed twice", r.id),
                ));
            }
            if r.classes.is_empty() || r.channels.is_empty() {
                return Err(bad(
                    at.0,
                    at.1,
                    format!(
                        "`{}`: classes and channels must each list at least one value",
                        r.id
                    ),
                ));
            }
            let s = &r.slip;
            let missing = match s.method {
                SlipMethod::Phone => s.phone.is_none().then_some("phone"),
                SlipMethod::Fax => s.fax.is_none().then_some("fax"),
                SlipMethod::Post => s.address.is_none().then_some("address"),
                SlipMethod::Hand => None,
            };
            if let Some(m) = missing {
                return Err(bad(
                    at.0,
                    at.1,
                    format!(
                        "`{}`: the slip goes by {:?} but [recipient.slip] has no {m}",
                        r.id, s.method
                    ),
                ));
            }
        }
        Ok(Register {
            path: path.to_path_buf(),
            digest: Blake3::of(text.as_bytes()),
            recipients: file.recipient,
            exists: true,
        })
    }

    pub fn get(&self, id: &str) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.id == id)
    }
}

/// Who `--to` names, once the register and the policy have been consulted.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub name: String,
    pub registered: Option<Recipient>,
}

impl Resolved {
    pub fn id(&self) -> Option<&str> {
        self.registered.as_ref().map(|r| r.id.as_str())
    }
}

const RULE_OUTSOURCING: &str = "外部委託に関する管理: 業務委託セキュリティ受託者による情報資産の持出、盗聴、改ざん、破壊、漏えい等を防止するため、業務委託について、必要な対策を定める(第6章2)";
const RULE_OUTSOURCING_EN: &str =
    "Outsourcing: data goes to contractors under an agreement that covers it (Ch.6 §2)";

/// Resolves `--to` against the register: a registered recipient's agreement must cover the
/// class and channel today; an unregistered one is accepted only where the policy says the
/// class may go to anyone.
pub fn resolve(
    register: &Register,
    policy: &crate::policy::Policy,
    to: &str,
    class: Class,
    channel: Channel,
    today: Date,
) -> std::result::Result<Resolved, crate::policy::Refusal> {
    use crate::policy::{RecipientRule, Refusal, RefusalCode};
    let refuse = |code, ja: String, en: String, hint_ja: &str, hint_en: &str| Refusal {
        code,
        class,
        channel: Some(channel),
        rule: RULE_OUTSOURCING.into(),
        rule_en: RULE_OUTSOURCING_EN.into(),
        ja,
        en,
        hint_ja: hint_ja.into(),
        hint_en: hint_en.into(),
    };
    let Some(r) = register.get(to) else {
        if policy.class(class).recipient == RecipientRule::Any {
            return Ok(Resolved {
                name: to.to_owned(),
                registered: None,
            });
        }
        return Err(refuse(
            RefusalCode::RecipientUnregistered,
            format!(
                "「{to}」は外部委託先台帳に登録されていません。{}の情報資産は、契約のある登録済みの受信者にのみ提供できます。",
                class.ja()
            ),
            format!(
                "\"{to}\" is not in the recipient register ({}); class {class} ({}) goes only to a registered contractor under an agreement.",
                register.path.display(),
                class.ja()
            ),
            "--to には台帳の ID を指定してください(okuri recipients list)。契約がなければ契約担当課に相談してください。",
            "Give a register id with --to (see `okuri recipients list`); without an agreement, ask the department that manages contracts.",
        ));
    };
    match r.covers(class, channel, today) {
        Ok(()) => Ok(Resolved {
            name: r.name.clone(),
            registered: Some(r.clone()),
        }),
        Err(Gap::Ended(d)) => Err(refuse(
            RefusalCode::AgreementEnded,
            format!(
                "{} ({}) との契約 {} は {d} で終了しています。",
                r.name, r.id, r.contract
            ),
            format!(
                "The agreement {} with {} ({}) ended on {d}.",
                r.contract, r.name, r.id
            ),
            "契約が更新されていれば台帳を更新してもらってください。",
            "If the agreement was renewed, have the recipient register updated.",
        )),
        Err(Gap::Class(c)) => Err(refuse(
            RefusalCode::AgreementClass,
            format!(
                "{} ({}) との契約 {} は{}の情報資産を対象としていません。",
                r.name,
                r.id,
                r.contract,
                c.ja()
            ),
            format!(
                "The agreement {} with {} ({}) does not cover class {c} ({}).",
                r.contract,
                r.name,
                r.id,
                c.ja()
            ),
            "契約の範囲を確認してください。",
            "Check what the agreement covers.",
        )),
        Err(Gap::Channel(ch)) => Err(refuse(
            RefusalCode::AgreementChannel,
            format!(
                "{} ({}) との契約 {} は{}({ch})での提供を対象としていません。",
                r.name,
                r.id,
                r.contract,
                ch.ja()
            ),
            format!(
                "The agreement {} with {} ({}) does not cover sending by {ch}.",
                r.contract, r.name, r.id
            ),
            "契約で合意した経路で送ってください。",
            "Use a channel the agreement covers.",
        )),
    }
}

/// Today's date in Japan, by the (injectable) clock.
pub fn today_jst() -> Date {
    crate::hooks::now()
        .timestamp()
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(crate::trust::JST))
        .date()
}

/// TOML dates (`agreement_ends = 2027-03-31`) in and out.
mod date_toml {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let v = toml::value::Datetime::deserialize(d)?;
        match (v.date, v.time, v.offset) {
            (Some(x), None, None) => Date::new(x.year as i16, x.month as i8, x.day as i8)
                .map_err(serde::de::Error::custom),
            _ => Err(serde::de::Error::custom(
                "agreement_ends must be a date like 2027-03-31 (no time)",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
version = 1
[[recipient]]
id = "kameoka-print"
name = "株式会社亀岡印刷"
contract = "亀総契第2026-0123号"
classes = ["II", "III"]
channels = ["email", "hand"]
agreement_ends = 2027-03-31
[recipient.slip]
method = "phone"
phone = "0771-22-0000"
contact = "印刷 太郎"
"#;

    #[test]
    fn parses_and_covers() {
        let r = Register::parse(SAMPLE, Path::new("r.toml")).unwrap();
        let p = r.get("kameoka-print").unwrap();
        let day = Date::new(2027, 3, 31).unwrap();
        assert_eq!(p.covers(Class::II, Channel::Email, day), Ok(()));
        assert_eq!(
            p.covers(Class::II, Channel::Email, Date::new(2027, 4, 1).unwrap()),
            Err(Gap::Ended(day))
        );
        assert_eq!(
            p.covers(Class::I, Channel::Email, day),
            Err(Gap::Class(Class::I))
        );
        assert_eq!(
            p.covers(Class::II, Channel::Lgwan, day),
            Err(Gap::Channel(Channel::Lgwan))
        );
    }

    #[test]
    fn errors_name_the_line() {
        let bad = SAMPLE.replace("contract =", "contrct =");
        let e = Register::parse(&bad, Path::new("r.toml")).unwrap_err();
        assert!(e.message().contains("r.toml:"), "{}", e.message());
        assert!(e.message().contains("contrct"), "{}", e.message());
        let bad = SAMPLE.replace("phone = \"0771-22-0000\"\n", "");
        let e = Register::parse(&bad, Path::new("r.toml")).unwrap_err();
        assert!(e.message().contains("has no phone"), "{}", e.message());
    }
}
