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

use std::ops::Range;
use toml::Spanned;
use toml::de::DeValue;

use super::reader::{Cx, Table};

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

    /// Reads a register, reporting every finding at once, each at its line and column and in
    /// the register's own terms: whoever keeps it fixes it in one go.
    pub fn parse(text: &str, path: &Path) -> Result<Register> {
        let recipients = super::read_file_as(
            text,
            path,
            |cx, root, span| cx.recipient_register(root, span),
            |file, errors| {
                (
                    msg!("recipients-invalid", file = file, errors = errors),
                    msg!("hint-recipients-invalid"),
                )
            },
        )?;
        Ok(Register {
            path: path.to_path_buf(),
            digest: Blake3::of(text.as_bytes()),
            recipients,
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

/// The names of the slip's ways in the register.
const SLIP_METHODS: &[(&str, SlipMethod)] = &[
    ("phone", SlipMethod::Phone),
    ("fax", SlipMethod::Fax),
    ("post", SlipMethod::Post),
    ("hand", SlipMethod::Hand),
];

/// The register's top level, as messages name it.
const REGISTER: &str = "recipients.toml";
const ENTRY: &str = "[[recipient]]";
const SLIP: &str = "[recipient.slip]";

impl Cx<'_> {
    /// `recipients.toml`: `version = 1`, the city's header, and `[[recipient]]` entries.
    fn recipient_register(
        &mut self,
        root: &Table<'_>,
        span: Range<usize>,
    ) -> Option<Vec<Recipient>> {
        self.unknown_keys(
            root,
            &["version", "serial", "valid_until", "recipient"],
            REGISTER,
        );
        // Read on even when the version is wrong, so that every other finding is said too.
        let version = self
            .get(
                root,
                &span,
                "version",
                REGISTER,
                msg!("hint-recipients-version"),
            )
            .and_then(|v| self.integer(v, "version", 1..=1, msg!("hint-recipients-version")));
        let Some((_, list)) = root
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == "recipient")
        else {
            return version.map(|_| Vec::new());
        };
        let items = self.array(list, ENTRY)?;
        let mut out: Vec<Recipient> = Vec::new();
        let mut ok = true;
        for item in items {
            match self.recipient(item) {
                Some(r) => {
                    if out.iter().any(|o| o.id == r.id) {
                        self.error_at(
                            item.span().start,
                            msg!("recipients-id-twice", id = &r.id),
                            msg!("hint-recipients-id-twice"),
                        );
                        ok = false;
                    }
                    out.push(r);
                }
                None => ok = false,
            }
        }
        version?;
        ok.then_some(out)
    }

    fn recipient(&mut self, v: &Spanned<DeValue<'_>>) -> Option<Recipient> {
        let t = self.table(v, ENTRY)?;
        let span = v.span();
        self.unknown_keys(
            t,
            &[
                "id",
                "name",
                "contract",
                "classes",
                "channels",
                "agreement_ends",
                "slip",
            ],
            ENTRY,
        );
        let text = |cx: &mut Self, key: &str, hint: Msg| {
            cx.get(t, &span, key, ENTRY, hint)
                .and_then(|v| cx.string(v, key).map(str::to_owned))
        };
        let raw_id = text(self, "id", msg!("hint-recipients-id"));
        // Messages about the entry name it as written, even by an id that is not valid.
        let shown_id = raw_id.clone().unwrap_or_else(|| "?".to_owned());
        let id = raw_id.filter(|id| match keys::check_id(id) {
            Ok(()) => true,
            Err(m) => {
                let at = t
                    .iter()
                    .find(|(k, _)| k.get_ref().as_ref() == "id")
                    .map_or(span.start, |(_, v)| v.span().start);
                self.error_at(at, m, msg!("hint-recipients-id"));
                false
            }
        });
        let name = text(self, "name", msg!("hint-recipients-name"));
        let contract = text(self, "contract", msg!("hint-recipients-contract"));
        let classes = self
            .get(t, &span, "classes", ENTRY, msg!("hint-recipients-classes"))
            .and_then(|v| self.list_of(v, "classes", |cx, i| cx.class_value(i, "classes")));
        let channels = self
            .get(
                t,
                &span,
                "channels",
                ENTRY,
                msg!("hint-recipients-channels"),
            )
            .and_then(|v| {
                let names: Vec<(&str, Channel)> =
                    Channel::ALL.iter().map(|c| (c.as_str(), *c)).collect();
                self.list_of(v, "channels", |cx, i| cx.choice(i, "channels", &names))
            });
        let agreement_ends = self
            .get(
                t,
                &span,
                "agreement_ends",
                ENTRY,
                msg!("hint-recipients-agreement-ends"),
            )
            .and_then(|v| self.date(v, "agreement_ends"));
        let slip = self
            .get(t, &span, "slip", ENTRY, msg!("hint-recipients-slip"))
            .and_then(|v| self.slip(v, &shown_id));
        Some(Recipient {
            id: id?,
            name: name?,
            contract: contract?,
            classes: classes?,
            channels: channels?,
            agreement_ends: agreement_ends?,
            slip: slip?,
        })
    }

    /// A TOML date, unquoted, without a time: a day in Japan.
    fn date(&mut self, v: &Spanned<DeValue<'_>>, what: &str) -> Option<Date> {
        let found = match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => Date::new(d.year as i16, d.month as i8, d.day as i8).ok(),
                _ => None,
            },
            _ => None,
        };
        if found.is_none() {
            self.error_at(
                v.span().start,
                msg!("recipients-not-date", what = what),
                msg!("hint-recipients-date"),
            );
        }
        found
    }

    fn slip(&mut self, v: &Spanned<DeValue<'_>>, id: &str) -> Option<SlipDelivery> {
        let t = self.table(v, SLIP)?;
        let span = v.span();
        self.unknown_keys(t, &["method", "contact", "phone", "fax", "address"], SLIP);
        let method = self
            .get(t, &span, "method", SLIP, msg!("hint-recipients-slip"))
            .and_then(|m| self.choice(m, "method", SLIP_METHODS));
        let contact = self
            .get(t, &span, "contact", SLIP, msg!("hint-recipients-slip"))
            .and_then(|c| self.string(c, "contact").map(str::to_owned));
        let optional = |cx: &mut Self, key: &str| {
            t.iter()
                .find(|(k, _)| k.get_ref().as_ref() == key)
                .and_then(|(_, v)| cx.string(v, key).map(str::to_owned))
        };
        let (phone, fax, address) = (
            optional(self, "phone"),
            optional(self, "fax"),
            optional(self, "address"),
        );
        let method = method?;
        let missing = match method {
            SlipMethod::Phone => phone.is_none().then_some("phone"),
            SlipMethod::Fax => fax.is_none().then_some("fax"),
            SlipMethod::Post => address.is_none().then_some("address"),
            SlipMethod::Hand => None,
        };
        if let Some(m) = missing {
            self.error_at(
                span.start,
                msg!(
                    "recipients-slip-missing",
                    id = id,
                    method = method.as_str(),
                    missing = m
                ),
                msg!("hint-recipients-slip"),
            );
            return None;
        }
        Some(SlipDelivery {
            method,
            contact: contact?,
            phone,
            fax,
            address,
        })
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
        // Both findings of a misspelt key at once: the key it lacks, and the one it has.
        let ids: Vec<&str> = diags.iter().map(|d| d.message.id()).collect();
        assert!(ids.contains(&"policy-missing-key"), "{diags:?}");
        let unknown = diags
            .iter()
            .find(|d| d.message.id() == "policy-unknown-key")
            .expect("the unknown key");
        assert_eq!(unknown.message.args["key"].plain(), "contrct");
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
