//! The command line: clap definitions here, one file per subcommand that calls the library
//! and renders its result. No policy logic lives in the binary.

use std::cell::OnceCell;
use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use okuri::base::error::{Error, Result};
use okuri::base::ids::StaffId;
use okuri::base::message::{Lang, Msg};
use okuri::i18n::Texts;
use okuri::msg;
use okuri::policy::Policy;
use okuri::sys::home::Home;

/// `t!(cx, "id", name = value, …)`: a CLI message in the reader's language. The id and its
/// arguments are checked against `i18n/en/okuri.ftl` at compile time (`fl!`).
macro_rules! t {
    ($cx:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        i18n_embed_fl::fl!($cx.texts().loader(), $id $(, $name = $value)*)
    };
}

pub mod approve;
pub mod classify;
pub mod enrol;
pub mod generate;
pub mod init;
pub mod keygen;
pub mod label;
pub mod media;
pub mod pack;
pub mod policy;
pub mod recipients;
pub mod record;
pub mod request;
pub mod sign;
pub mod token;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error (I/O, lock, unexpected failure)
  2  usage error (bad arguments, okuri not set up)
  3  refused by policy (重要性分類, channel, recipient, approval token, medium); the refusal
     is recorded; `media scan` found a violation
  4  invalid input (bad policy, label, register or token file, wrong key passphrase,
     not a regular file, file changed, output exists)
  5  the transfer record failed verification (edited, cut short or reordered)";

/// okuri (送り): send files outside the city as the Information Security Standard requires.
///
/// Reads the file's importance class (重要性分類), applies policy.toml, encrypts with age,
/// prints a separate password slip for another channel, and records every transfer.
#[derive(Parser, Debug)]
#[command(name = "okuri", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// The okuri home (identity, record, label register, outbox) [default: $XDG_DATA_HOME/okuri]
    #[arg(long, global = true, env = "OKURI_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// The policy file [default: the embedded policy.toml]
    #[arg(long, global = true, env = "OKURI_POLICY", value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// The language okuri speaks: ja or en [default: OKURI_LANG, else LC_ALL, LC_MESSAGES or
    /// LANG (ja* is Japanese), else the policy's language, else en]
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<Lang>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Set up the okuri home with the sender's name and department
    Init(init::Args),
    /// Show each file's importance class and where it came from
    Classify(classify::Args),
    /// Label a file: an officer's signed designation with --key, else an unsigned label that
    /// may only raise the class
    Label(label::Args),
    /// Encrypt a file for an outside body, write the password slip, and record the transfer
    Pack(pack::Args),
    /// Ask a custodian (情報資産管理責任者) to approve a transfer: a request file, or one
    /// submitted to the approval service
    Request(request::Args),
    /// Custodians: approve a request, signing an approval token bound to it
    Approve(approve::ApproveArgs),
    /// Custodians: refuse a request, with a reason (signed and recorded)
    Deny(approve::DenyArgs),
    /// The requests at the approval service that wait for you
    #[command(subcommand)]
    Approvals(approve::ApprovalsCommand),
    /// Explain an approval token and whether pack would accept it
    #[command(subcommand)]
    Token(token::Command),
    /// Make an Ed25519 key pair for a custodian, an officer or staff
    Keygen(keygen::Args),
    /// Check or show the policy; export its trust list for ssh-keygen
    #[command(subcommand)]
    Policy(policy::Command),
    /// List or check the recipient register
    #[command(subcommand)]
    Recipients(recipients::Command),
    /// Registered removable media (記録媒体): register, list, retire, scan, wipe, export,
    /// USBGuard rules
    Media(media::Args),
    /// Verify or show the transfer record
    #[command(subcommand)]
    Record(record::Command),
    /// Sign a city document (rules, trust list, service address, staff directory, recipient
    /// register): writes FILE.sig
    Sign(sign::Args),
    /// Print a commented example of a city document to start from (rules, trust list, service
    /// address, staff directory, recipient register, media register)
    Template(enrol::TemplateArgs),
    /// Add a custodian, an officer or an administrator to the trust list, and sign it
    #[command(subcommand)]
    Trust(enrol::TrustCommand),
    /// Add a staff member or an auditor to the staff directory, and sign it
    #[command(subcommand)]
    Staff(enrol::StaffCommand),
    /// Print a shell completion script: `okuri completion bash > /etc/bash_completion.d/okuri`
    Completion(generate::CompletionArgs),
    /// Write the man pages into a directory (for building the packages)
    #[command(hide = true)]
    GenerateMan(generate::ManArgs),
}

/// An argument that is an id when it reads as one (`req-` and 32 hex digits, say), and a file
/// otherwise: decided by its syntax, never by whether a file of that name happens to exist.
#[derive(Clone, Debug)]
pub enum IdOrFile<T> {
    Id(T),
    File(PathBuf),
}

/// A class argument (I, II, III, or Ⅰ Ⅱ Ⅲ as Japanese input methods type them), checked as
/// clap parses it: the one parser of every `--class` and `--classes`.
pub fn parse_class(s: &str) -> Result<okuri::base::class::Class, String> {
    s.parse::<okuri::base::class::Class>()
        .map_err(|_| env_texts().render(&msg!("cli-bad-class", value = s)))
}

/// An id argument, checked as clap parses it; the message in the environment's language (the
/// policy's is not known yet).
pub fn id_arg<T: std::str::FromStr<Err = Msg>>(s: &str) -> Result<T, String> {
    s.parse::<T>().map_err(|m| env_texts().render(&m))
}

pub fn by_syntax<T: std::str::FromStr>(s: &str) -> Result<IdOrFile<T>, String> {
    Ok(match s.parse::<T>() {
        Ok(id) => IdOrFile::Id(id),
        Err(_) => IdOrFile::File(PathBuf::from(s)),
    })
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse::<Lang>().map_err(|m| env_texts().render(&m))
}

/// Messages for what clap checks, before the policy (and its language) is read.
pub fn env_texts() -> Texts {
    Texts::new(Lang::from_environment(None).unwrap_or(Lang::En))
}

/// A signing key and how to unlock it, for the commands that sign or log in. Each command says
/// whose key `--key` is (`mut_arg`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct KeyArgs {
    /// The signing key: an OpenSSH Ed25519 private key file, passphrase-protected
    #[arg(long, value_name = "KEY")]
    pub key: Option<PathBuf>,
    /// Read the key's passphrase from the first line of FILE instead of asking
    #[arg(long, env = "OKURI_KEY_PASSPHRASE_FILE", value_name = "FILE")]
    pub key_passphrase_file: Option<PathBuf>,
    /// Never prompt: a missing passphrase is an error instead
    #[arg(long)]
    pub batch: bool,
}

/// The recipient register, for the commands that check a recipient.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct RegisterArgs {
    /// The recipient register (外部委託先台帳) [default: recipients.toml in the home]
    #[arg(long, env = "OKURI_RECIPIENTS", value_name = "FILE")]
    pub recipients: Option<PathBuf>,
}

/// The media register, for the commands that write to or manage removable media.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct MediaArgs {
    /// The media register (記録媒体台帳), a directory custodians share [default: media/ in the
    /// home]
    #[arg(long, env = "OKURI_MEDIA", value_name = "DIR")]
    pub media: Option<PathBuf>,
}

/// What every command gets: where the home is, which policy applies, and the reader's language.
pub struct Context {
    pub home: Home,
    policy_path: Option<PathBuf>,
    lang: Option<Lang>,
    policy: OnceCell<Policy>,
    directory: OnceCell<Option<okuri::policy::directory::Directory>>,
    texts: OnceCell<Texts>,
}

impl Context {
    pub fn new(cli: &Cli) -> Result<Context> {
        Ok(Context {
            home: Home::resolve(cli.home.as_deref())?,
            policy_path: cli.policy.clone(),
            lang: Lang::from_environment(cli.lang),
            policy: OnceCell::new(),
            directory: OnceCell::new(),
            texts: OnceCell::new(),
        })
    }

    /// The reader's language: chosen by the environment, else the policy's (loaded if it can
    /// be), else English.
    pub fn texts(&self) -> &Texts {
        self.texts.get_or_init(|| {
            let lang = self
                .lang
                .or_else(|| self.policy().ok().and_then(|p| p.language))
                .unwrap_or(Lang::En);
            Texts::new(lang)
        })
    }

    /// Renders a library message in the reader's language.
    pub fn say(&self, m: &Msg) -> String {
        self.texts().render(m)
    }

    /// Prints a notice on stderr in okuri's voice.
    pub fn notice(&self, m: &Msg) {
        notice(&self.say(m));
    }

    /// A class as the reader names it ("class I (重要性分類Ⅰ)" or "重要性分類Ⅰ").
    pub fn class(&self, c: okuri::Class) -> String {
        self.texts().class(c)
    }

    /// A channel as the reader names it.
    pub fn channel(&self, c: okuri::Channel) -> String {
        self.texts().channel(c)
    }

    /// A prompt renderer for the library's prompts.
    pub fn prompter(&self) -> impl Fn(&Msg) -> String + '_ {
        move |m| self.say(m)
    }

    /// The recipient register in force (the city's signed one where an anchor is installed).
    pub fn register(&self, r: &RegisterArgs) -> Result<okuri::policy::recipients::Register> {
        okuri::policy::recipients::Register::in_force(
            r.recipients.as_deref(),
            &self.home.recipients_path(),
            self.home.root(),
            &self.policy()?.trust,
        )
    }

    pub fn register_path(&self, r: &RegisterArgs) -> PathBuf {
        r.recipients
            .clone()
            .unwrap_or_else(|| self.home.recipients_path())
    }

    /// The home, with the media register `--media` names.
    pub fn media_home(&self, m: &MediaArgs) -> Home {
        self.home.clone().with_media(m.media.clone())
    }

    /// Where a key passphrase comes from: the file, else a prompt (an error with --batch).
    pub fn key_passphrase(&self, k: &KeyArgs) -> okuri::secret::keys::PassphraseSource {
        match &k.key_passphrase_file {
            Some(p) => okuri::secret::keys::PassphraseSource::File(p.clone()),
            None => okuri::secret::keys::PassphraseSource::Prompt { batch: k.batch },
        }
    }

    /// The key `--key` names, decrypted; `whose` says whose key the command needs.
    pub fn signing_key(
        &self,
        k: &KeyArgs,
        whose: KeyOf,
    ) -> Result<okuri::secret::keys::SigningKey> {
        let Some(path) = &k.key else {
            return Err(Error::usage(msg!("cli-needs-key", whose = whose.as_str())));
        };
        okuri::secret::keys::SigningKey::load(path, &self.key_passphrase(k), &self.prompter())
    }

    /// Logs in to the policy's approval service as `id` with `key`; `None` without a service.
    pub fn login(
        &self,
        policy: &Policy,
        id: &StaffId,
        key: &okuri::secret::keys::SigningKey,
    ) -> std::result::Result<Option<okuri::net::client::Client>, okuri::net::client::Failure> {
        match &policy.service {
            None => Ok(None),
            Some(s) => okuri::net::client::Client::login(s, id, key).map(Some),
        }
    }

    /// Logs the staff member in to the approval service the policy names; an error saying
    /// `what` needs one if it names none.
    pub fn staff_session(
        &self,
        k: &KeyArgs,
        policy: &Policy,
        what: &str,
    ) -> Result<okuri::net::client::Client> {
        // Said before the key is looked for: without a service no key would help.
        let Some(service) = &policy.service else {
            return Err(Error::usage(msg!("cli-needs-service", what = what))
                .with_hint(msg!("hint-cli-needs-service")));
        };
        let me = self.home.identity()?.id;
        let key = self.own_key(k, &me)?;
        okuri::net::client::Client::login(service, &me, &key).map_err(|f| f.into_error())
    }

    /// The staff member's own key for the service: --key, else keys/<id> in the home.
    pub fn own_key(&self, k: &KeyArgs, id: &StaffId) -> Result<okuri::secret::keys::SigningKey> {
        let path = k
            .key
            .clone()
            .unwrap_or_else(|| self.home.keys_dir().join(id.as_str()));
        if !path.exists() {
            return Err(Error::usage(msg!("cli-no-own-key", path = &path))
                .with_hint(msg!("hint-cli-no-own-key", id = id)));
        }
        okuri::secret::keys::SigningKey::load(&path, &self.key_passphrase(k), &self.prompter())
    }

    /// The policy in force, read once per run.
    pub fn policy(&self) -> Result<Policy> {
        if let Some(p) = self.policy.get() {
            return Ok(p.clone());
        }
        let p = Policy::in_force(self.policy_path.as_deref(), self.home.root())?;
        Ok(self.policy.get_or_init(|| p).clone())
    }

    /// The city's staff directory, read once per run; `None` in development mode.
    pub fn directory(&self) -> Result<Option<&okuri::policy::directory::Directory>> {
        if let Some(d) = self.directory.get() {
            return Ok(d.as_ref());
        }
        let d =
            okuri::policy::directory::Directory::in_force(self.home.root(), &self.policy()?.trust)?;
        Ok(self.directory.get_or_init(|| d).as_ref())
    }

    /// Asks the approval service (through `client`) for the designations the city knows of a
    /// file: no service configured, the service's answer, or — when there is no session to
    /// ask with — unasked, so that the local designations count and the record says so.
    pub fn city_designations<'a>(
        &self,
        policy: &'a Policy,
        client: Option<&'a okuri::net::client::Client>,
    ) -> impl Fn(&okuri::base::digest::Blake3) -> Result<okuri::transfer::label::CityDesignations> + 'a
    {
        use okuri::transfer::label::CityDesignations;
        move |blake3| {
            if policy.service.is_none() {
                return Ok(CityDesignations::NoService);
            }
            let Some(c) = client else {
                return Ok(CityDesignations::Unasked);
            };
            match c.designations(blake3) {
                Ok(d) => Ok(CityDesignations::Known(
                    d.into_iter().map(|d| d.document).collect(),
                )),
                Err(okuri::net::client::Failure::Unreachable(_)) => Ok(CityDesignations::Unasked),
                Err(f) => Err(f.into_error()),
            }
        }
    }

    /// A session at the approval service as the staff member, if the policy names one and
    /// the staff member has their own key here; `None` (and a notice) when it cannot be
    /// reached, so that the caller goes on with what is on this machine.
    pub fn optional_session(
        &self,
        policy: &Policy,
        keys: &KeyArgs,
    ) -> Result<Option<okuri::net::client::Client>> {
        if policy.service.is_none() {
            return Ok(None);
        }
        let me = self.home.identity()?.id;
        if keys.key.is_none() && !self.home.keys_dir().join(me.as_str()).exists() {
            return Ok(None);
        }
        // Without the key's passphrase (--batch, say) the city is simply not asked.
        let key = match self.own_key(keys, &me) {
            Ok(k) => k,
            Err(e) => {
                self.notice(e.message());
                return Ok(None);
            }
        };
        match self.login(policy, &me, &key) {
            Ok(c) => Ok(c),
            Err(okuri::net::client::Failure::Unreachable(e)) => {
                self.notice(e.message());
                Ok(None)
            }
            Err(f) => Err(f.into_error()),
        }
    }

    pub fn policy_path(&self) -> Option<&std::path::Path> {
        self.policy_path.as_deref()
    }
}

/// Whose key a command needs, for the message when `--key` is missing.
#[derive(Clone, Copy)]
pub enum KeyOf {
    Custodian,
    Officer,
    Own,
    Signer,
}

impl KeyOf {
    fn as_str(self) -> &'static str {
        match self {
            KeyOf::Custodian => "custodian",
            KeyOf::Officer => "officer",
            KeyOf::Own => "own",
            KeyOf::Signer => "signer",
        }
    }
}

pub fn run(cx: &Context, command: Command) -> Result<()> {
    match command {
        Command::Init(a) => init::run(cx, a),
        Command::Classify(a) => classify::run(cx, a),
        Command::Label(a) => label::run(cx, a),
        Command::Pack(a) => pack::run(cx, a),
        Command::Request(a) => request::run(cx, a),
        Command::Approve(a) => approve::approve(cx, a),
        Command::Deny(a) => approve::deny(cx, a),
        Command::Approvals(c) => approve::approvals(cx, c),
        Command::Token(c) => token::run(cx, c),
        Command::Keygen(a) => keygen::run(cx, a),
        Command::Policy(c) => policy::run(cx, c),
        Command::Recipients(c) => recipients::run(cx, c),
        Command::Media(c) => media::run(cx, c),
        Command::Record(c) => record::run(cx, c),
        Command::Sign(a) => sign::run(cx, a),
        Command::Template(a) => enrol::run_template(a),
        Command::Trust(c) => enrol::run_trust(cx, c),
        Command::Staff(c) => enrol::run_staff(cx, c),
        Command::Completion(a) => generate::completion(a),
        Command::GenerateMan(a) => generate::man(a),
    }
}

/// Writes to stdout; a closed pipe (`okuri record show | head`) is not an error.
pub fn out(text: &str) -> Result<()> {
    let mut o = io::stdout().lock();
    // A message from the .ftl files has no newline of its own; the terminal's prompt must not
    // follow it on the same line.
    let end: &[u8] = if text.is_empty() || text.ends_with('\n') {
        b""
    } else {
        b"\n"
    };
    match o
        .write_all(text.as_bytes())
        .and_then(|_| o.write_all(end))
        .and_then(|_| o.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::failure(msg!("cli-stdout-failed")).with_source(e)),
    }
}

/// What one `--json` output is: its name and the version of its shape. Each has a schema,
/// `docs/schemas/NAME.vVERSION.json` (docs/json.md). The version changes when a field is
/// removed, renamed or changes meaning; a new field keeps it, so readers ignore fields they do
/// not know.
#[derive(Clone, Copy, Debug)]
pub struct Format {
    pub name: &'static str,
    pub version: u32,
}

impl Format {
    /// The first version of output `name`.
    const fn v1(name: &'static str) -> Format {
        Format { name, version: 1 }
    }
}

/// Every `--json` output okuri has, in one place (docs/json.md lists them).
pub mod formats {
    use super::Format;
    pub const PACK: Format = Format::v1("pack");
    pub const CLASSIFY: Format = Format::v1("classify");
    pub const RECORD_SHOW: Format = Format::v1("record-show");
    pub const RECORD_VERIFY: Format = Format::v1("record-verify");
    pub const TOKEN_VERIFY: Format = Format::v1("token-verify");
    pub const APPROVAL: Format = Format::v1("approval");
    pub const APPROVALS_LIST: Format = Format::v1("approvals-list");
    pub const VIOLATIONS: Format = Format::v1("violations");
    pub const REQUEST: Format = Format::v1("request");
    pub const REQUEST_STATUS: Format = Format::v1("request-status");
    pub const MEDIA_MARKER: Format = Format::v1("media-marker");
    pub const MEDIA_CITY: Format = Format::v1("media-city");
    pub const MEDIA_LOCAL: Format = Format::v1("media-local");
    pub const MEDIA_SCAN: Format = Format::v1("media-scan");
    pub const POLICY_CHECK: Format = Format::v1("policy-check");
    pub const POLICY_SHOW: Format = Format::v1("policy-show");
    pub const RECIPIENTS: Format = Format::v1("recipients");
}

/// Prints `v` as one JSON object, `{"type": NAME, "version": N, "data": v}`, in the manner of
/// ripgrep's `--json`: a reader checks the type and version before it reads the data.
pub fn json<T: serde::Serialize>(format: Format, v: &T) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Envelope<'a, T> {
        #[serde(rename = "type")]
        name: &'static str,
        version: u32,
        data: &'a T,
    }
    let v = Envelope {
        name: format.name,
        version: format.version,
        data: v,
    };
    let mut s = serde_json::to_string_pretty(&v)
        .map_err(|e| Error::failure(msg!("cli-json-failed")).with_source(e))?;
    s.push('\n');
    out(&s)
}

/// Prints a notice on stderr in okuri's voice.
pub fn notice(text: &str) {
    for l in text.lines() {
        eprintln!("okuri: {l}");
    }
}
