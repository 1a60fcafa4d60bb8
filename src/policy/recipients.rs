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

use crate::base::channel::Channel;
use crate::base::class::Class;
use crate::base::digest::Blake3;
use crate::base::error::{Error, IoOp, Result};
use crate::base::message::Msg;
use crate::msg;
use crate::secret::keys;

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
    /// The method's key in the register: `phone`, `fax`, `post` or `hand`.
    pub fn as_str(self) -> &'static str {
        match self {
            SlipMethod::Phone => "phone",
            SlipMethod::Fax => "fax",
            SlipMethod::Post => "post",
            SlipMethod::Hand => "hand",
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
    // The header of the city's signed register (policy::city), checked there.
    #[serde(default)]
    #[allow(dead_code)]
    serial: Option<u64>,
    #[serde(default)]
    #[allow(dead_code)]
    valid_until: Option<toml::value::Datetime>,
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

    /// The slip's delivery line after the method (which the slip names in its reader's
    /// language, from [`SlipDelivery::method`]): to whom, and the number or address, as the
    /// register has them, joined by " / ".
    pub fn slip_contact(&self) -> String {
        let s = &self.slip;
        let mut parts = vec![s.contact.clone()];
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
    /// The register in force: the city's, signed by a custodian of `trust`, where a trust
    /// anchor is installed (then `explicit` is refused and the serial is checked against
    /// `home`); else `explicit` or `default` (development mode).
    pub fn in_force(
        explicit: Option<&Path>,
        default: &Path,
        home: &Path,
        trust: &crate::policy::trust::TrustList,
    ) -> Result<Register> {
        use crate::policy::city;
        let dir = city::system_dir()?;
        let Some(c) = city::City::open(&dir)? else {
            return Self::load(explicit.unwrap_or(default));
        };
        if let Some(p) = explicit {
            return Err(city::override_refused(
                "--recipients / OKURI_RECIPIENTS",
                p,
                &c,
            ));
        }
        if !c.has(city::Kind::Recipients)? {
            return Self::load(&c.path(city::Kind::Recipients));
        }
        let now = crate::sys::hooks::now().timestamp();
        let doc = c.document(
            city::Kind::Recipients,
            &|fp| city::signed_by_role(trust, city::Kind::Recipients, fp, now),
            now,
        )?;
        city::Seen::check(home, city::Kind::Recipients, doc.serial)?;
        Self::parse(&doc.text, &doc.path)
    }

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
            Err(e) => return Err(Error::io(IoOp::Read, path, e)),
        };
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Register> {
        let bad = |offset: usize, finding: Msg| {
            Error::invalid_at(
                msg!("recipients-invalid", file = path),
                path,
                text,
                offset,
                finding,
            )
            .with_hint(msg!("hint-recipients-invalid"))
        };
        let file: File = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            bad(at, msg!("recipients-toml", detail = e.message().trim()))
        })?;
        if file.version != 1 {
            return Err(bad(0, msg!("recipients-version")));
        }
        for (i, r) in file.recipient.iter().enumerate() {
            let at = text
                .match_indices("[[recipient]]")
                .nth(i)
                .map_or(0, |(o, _)| o);
            if let Err(e) = keys::check_id(&r.id) {
                return Err(bad(at, e));
            }
            if file.recipient[..i].iter().any(|o| o.id == r.id) {
                return Err(bad(at, msg!("recipients-id-twice", id = &r.id)));
            }
            if r.classes.is_empty() || r.channels.is_empty() {
                return Err(bad(at, msg!("recipients-empty-lists", id = &r.id)));
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
                    at,
                    msg!(
                        "recipients-slip-missing",
                        id = &r.id,
                        method = s.method.as_str(),
                        missing = m
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
) -> std::result::Result<Resolved, crate::base::refusal::Refusal> {
    use crate::base::refusal::{Refusal, RefusalCode, Rule, StandardRule};
    use crate::policy::RecipientRule;
    let refuse = |code| {
        Refusal::new(code, class, Rule::Standard(StandardRule::Outsourcing)).channel(channel)
    };
    // The agreement a refusal is about: who, and under which contract.
    let agreement = |code, r: &Recipient| {
        refuse(code)
            .arg("name", &r.name)
            .arg("id", &r.id)
            .arg("contract", &r.contract)
    };
    let Some(r) = register.get(to) else {
        if policy.class(class).recipient == RecipientRule::Any {
            return Ok(Resolved {
                name: to.to_owned(),
                registered: None,
            });
        }
        return Err(refuse(RefusalCode::RecipientUnregistered)
            .arg("to", to)
            .arg("register", register.path.as_path()));
    };
    match r.covers(class, channel, today) {
        Ok(()) => Ok(Resolved {
            name: r.name.clone(),
            registered: Some(r.clone()),
        }),
        Err(Gap::Ended(d)) => Err(agreement(RefusalCode::AgreementEnded, r).arg("ended", d)),
        // The gap's class and channel are the transfer's own, which every refusal names.
        Err(Gap::Class(_)) => Err(agreement(RefusalCode::AgreementClass, r)),
        Err(Gap::Channel(_)) => Err(agreement(RefusalCode::AgreementChannel, r)),
    }
}

/// Today's date in Japan, by the (injectable) clock.
pub fn today_jst() -> Date {
    crate::sys::hooks::now()
        .timestamp()
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(crate::base::time::JST))
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
        assert_eq!(e.message().id(), "recipients-invalid");
        let (file, diags) = e.diagnostics().expect("the finding");
        assert_eq!(file, "r.toml");
        assert_eq!(diags[0].message.id(), "recipients-toml");
        assert!(
            diags[0].message.args["detail"].plain().contains("contrct"),
            "{diags:?}"
        );
        let bad = SAMPLE.replace("phone = \"0771-22-0000\"\n", "");
        let e = Register::parse(&bad, Path::new("r.toml")).unwrap_err();
        let (_, diags) = e.diagnostics().expect("the finding");
        assert_eq!(diags[0].message.id(), "recipients-slip-missing");
        assert_eq!(diags[0].message.args["missing"].plain(), "phone");
    }

    #[test]
    fn slip_contact_is_the_register_s_data() {
        let r = Register::parse(SAMPLE, Path::new("r.toml")).unwrap();
        let p = r.get("kameoka-print").unwrap();
        assert_eq!(p.slip.method.as_str(), "phone");
        assert_eq!(p.slip_contact(), "印刷 太郎 / TEL 0771-22-0000");
    }
}
