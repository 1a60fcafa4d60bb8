//! `okuri sign KIND FILE`: the CISO, an administrator or a custodian signs a city document.

use std::path::{Path, PathBuf};

use okuri::base::error::Result;
use okuri::policy::Policy;
use okuri::policy::city::{self, Kind};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// What the document is; it decides the signature's namespace and who may sign it
    #[arg(value_enum)]
    pub kind: Kind,
    /// The document (TOML with `serial` and `valid_until`); FILE.sig is written beside it
    pub file: PathBuf,
    #[command(flatten)]
    pub key: super::KeyArgs,
}

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    let text = city::read_for_signing(&a.file)?;
    check_document(a.kind, &text, &a.file)?;
    let key = cx.signing_key(&a.key, super::KeyOf::Signer)?;
    // The bytes checked are the bytes signed, even if the file changes meanwhile.
    let (sig, header) = city::sign(a.kind, &a.file, &text, &key)?;
    say_signed(cx, a.kind, &a.file, &sig, &header, &key)
}

/// Nothing invalid is ever signed: each kind is read by the reader that will read it. The one
/// check for every command that writes or signs a city document.
pub fn check_document(kind: Kind, text: &str, file: &Path) -> Result<()> {
    match kind {
        Kind::Staff => okuri::policy::directory::Directory::parse(text, file).map(drop),
        Kind::Media => okuri::media::CityMedia::parse(text, file).map(drop),
        kind => Policy::check_city_document(kind, text, file),
    }
}

/// Says what was signed, until when, with which key.
pub fn say_signed(
    cx: &super::Context,
    kind: Kind,
    file: &Path,
    sig: &Path,
    header: &city::Header,
    key: &okuri::secret::keys::SigningKey,
) -> Result<()> {
    // The end of validity as an instant in Japan, where the date was meant.
    let until = okuri::base::time::Time::of(
        &header
            .valid_until
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(okuri::base::time::JST)),
    );
    super::out(&t!(
        cx,
        "cli-sign-done",
        kind = kind.as_str(),
        file = okuri::base::fsname::shown(file.as_os_str()),
        sig = okuri::base::fsname::shown(sig.as_os_str()),
        serial = header.serial,
        until = until.as_str(),
        namespace = kind.namespace(),
        key = key.fingerprint.to_string()
    ))
}
