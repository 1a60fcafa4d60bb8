//! The edge: messages rendered for people, from the Fluent files built into the binary
//! (`i18n/ja/okuri.ftl`, `i18n/en/okuri.ftl`), in the language the reader chose. The library
//! below returns [`Msg`]s; only the binaries (and the test suite, to check what they print)
//! call this module.
//!
//! The language: `--lang`, else `OKURI_LANG`, else `LC_ALL`/`LC_MESSAGES`/`LANG` (`ja*` is
//! Japanese, `C`/`POSIX` say nothing), else the policy's `language`, else English.

pub mod slip;

use std::sync::OnceLock;

use i18n_embed::fluent::FluentLanguageLoader;
use i18n_embed::{LanguageLoader, unic_langid::LanguageIdentifier};
use i18n_embed_fl::fl;
use rust_embed::RustEmbed;

use crate::base::error::{Error, Kind, Severity};
use crate::base::message::{Lang, Msg, Value};
use crate::base::refusal::{Refusal, Rule};

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Localizations;

/// A language's messages, loaded once and only when asked for (a command speaks one; the
/// slip loads both). English is the fallback of Japanese.
fn loader(lang: Lang) -> &'static FluentLanguageLoader {
    static JA: OnceLock<FluentLanguageLoader> = OnceLock::new();
    static EN: OnceLock<FluentLanguageLoader> = OnceLock::new();
    let (cell, langs) = match lang {
        Lang::Ja => (&JA, vec![Lang::Ja.id(), Lang::En.id()]),
        Lang::En => (&EN, vec![Lang::En.id()]),
    };
    cell.get_or_init(|| {
        let loader = FluentLanguageLoader::new("okuri", Lang::En.id());
        loader
            .load_languages(&Localizations, &langs)
            .expect("the built-in message files load (checked by the test suite)");
        // No Unicode isolation marks around arguments: okuri's text goes to terminals, files
        // and logs, where the marks are noise.
        loader.set_use_isolating(false);
        loader
    })
}

impl Lang {
    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Ja => "ja".parse().expect("a language id"),
            Lang::En => "en".parse().expect("a language id"),
        }
    }

    /// The language a locale such as `ja_JP.UTF-8` asks for; `None` for `C`, `POSIX` or an
    /// empty value, which say nothing about the reader.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let l = locale.trim();
        if l.is_empty() || l == "C" || l == "POSIX" || l.starts_with("C.") {
            return None;
        }
        Some(if l.starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        })
    }

    /// `--lang`, `OKURI_LANG`, then the locale variables; `None` if none of them says.
    pub fn from_environment(flag: Option<Lang>) -> Option<Lang> {
        if flag.is_some() {
            return flag;
        }
        if let Some(l) = std::env::var("OKURI_LANG")
            .ok()
            .and_then(|v| v.parse::<Lang>().ok())
        {
            return Some(l);
        }
        // POSIX: the first of these that is set and not empty decides.
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::from_locale(&v))
    }
}

/// Messages in one language.
pub struct Texts {
    loader: &'static FluentLanguageLoader,
    pub lang: Lang,
}

impl Texts {
    pub fn new(lang: Lang) -> Texts {
        Texts {
            loader: loader(lang),
            lang,
        }
    }

    /// The loader, for `fl!` at the edge.
    pub fn loader(&self) -> &FluentLanguageLoader {
        self.loader
    }

    /// Does this message exist in this language?
    pub fn has(&self, id: &str) -> bool {
        self.loader.has(id)
    }

    /// Renders a message. A message this okuri does not know (one from a newer service, say)
    /// is shown as its id and arguments rather than lost.
    pub fn render(&self, m: &Msg) -> String {
        if !self.loader.has(m.id()) {
            return format!("{m:?}");
        }
        let mut args = fluent_bundle::FluentArgs::new();
        for (k, v) in &m.args {
            args.set(k.as_str(), self.value(v));
        }
        self.loader.get_args_fluent(m.id(), Some(&args))
    }

    /// An argument as the reader says it: a class or a channel by its name in this language.
    fn value(&self, v: &Value) -> fluent_bundle::FluentValue<'static> {
        match v {
            Value::Int(n) => (*n).into(),
            Value::Class(c) => self.class(*c).into(),
            Value::Channel(c) => self.channel(*c).into(),
            other => other.plain().into(),
        }
    }

    /// A class as the reader names it: "class I (重要性分類Ⅰ)", "重要性分類Ⅰ".
    pub fn class(&self, c: crate::Class) -> String {
        fl!(self.loader, "class-name", class = c.as_str())
    }

    /// A channel as the reader names it.
    pub fn channel(&self, c: crate::Channel) -> String {
        fl!(self.loader, "channel-name", channel = c.as_str())
    }

    /// The rule a refusal quotes, in this language.
    pub fn rule(&self, r: &Rule) -> String {
        match (r, self.lang) {
            (Rule::Policy { ja, .. }, Lang::Ja) => ja.clone(),
            (Rule::Policy { en, .. }, Lang::En) => en.clone(),
            (Rule::Standard(s), _) => self.render(&Msg::dynamic(
                format!("rule-{}", s.id()),
                Default::default(),
            )),
        }
    }

    /// A refusal: what was refused, the rule, what to do instead.
    pub fn refusal(&self, r: &Refusal) -> (String, String, String) {
        (
            self.render(&r.message),
            fl!(self.loader, "refusal-rule", rule = self.rule(&r.rule)),
            self.render(&r.hint),
        )
    }

    /// An error in okuri's one voice on stderr: `okuri: error: …`, the findings in a file,
    /// the rule of a refusal, `okuri: hint: …`, then the causes.
    pub fn error_lines(&self, program: &str, e: &Error) -> Vec<String> {
        let label = match e.kind() {
            Kind::Refused => fl!(self.loader, "voice-refused"),
            Kind::Integrity => fl!(self.loader, "voice-integrity"),
            _ => fl!(self.loader, "voice-error"),
        };
        let mut out = Vec::new();
        let mut push = |label: &str, text: &str| {
            for l in text.lines() {
                out.push(format!("{program}: {label}: {l}"));
            }
        };
        match e.refusal() {
            // The code in brackets: what staff quote to the helpdesk, and what scripts match.
            Some(r) => {
                let first = format!("{label} [{}]", r.code.as_str());
                let text = self.render(e.message());
                let mut lines = text.lines();
                push(&first, lines.next().unwrap_or(""));
                for l in lines {
                    push(&label, l);
                }
            }
            None => push(&label, &self.render(e.message())),
        }
        if let Some(r) = e.refusal() {
            push(
                &label,
                &fl!(self.loader, "refusal-rule", rule = self.rule(&r.rule)),
            );
        }
        if let Some((file, diags)) = e.diagnostics() {
            for line in self.diagnostics(file, diags).lines() {
                out.push(format!("{program}:   {line}"));
            }
        }
        let hint = fl!(self.loader, "voice-hint");
        for h in e.hints() {
            for l in self.render(h).lines() {
                out.push(format!("{program}: {hint}: {l}"));
            }
        }
        let caused = fl!(self.loader, "voice-caused-by");
        for c in e.causes() {
            out.push(format!("{program}:   {caused}: {c}"));
        }
        out
    }

    /// Findings as `file:line:col: error: message`, with the hint below, like a compiler.
    pub fn diagnostics(&self, file: &str, diags: &[crate::base::error::Diagnostic]) -> String {
        let mut out = String::new();
        for d in diags {
            let sev = match d.severity {
                Severity::Error => fl!(self.loader, "severity-error"),
                Severity::Warning => fl!(self.loader, "severity-warning"),
            };
            out.push_str(&format!(
                "{file}:{}:{}: {sev}: {}\n",
                d.line,
                d.column,
                self.render(&d.message)
            ));
            if let Some(h) = &d.hint {
                out.push_str(&format!(
                    "  {}: {}\n",
                    fl!(self.loader, "voice-hint"),
                    self.render(h)
                ));
            }
        }
        out
    }
}

/// The message files as built in, for the test suite's checks.
pub fn source(lang: Lang) -> String {
    let path = match lang {
        Lang::Ja => "ja/okuri.ftl",
        Lang::En => "en/okuri.ftl",
    };
    Localizations::get(path)
        .map(|f| String::from_utf8_lossy(&f.data).into_owned())
        .unwrap_or_default()
}
