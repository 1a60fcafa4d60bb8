//! `okuri sign KIND FILE`: the CISO, an administrator or a custodian signs a city document.

use std::path::PathBuf;

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
    // Nothing invalid is ever signed: each kind is read by the reader that will read it.
    let text = city::read_for_signing(&a.file)?;
    match a.kind {
        Kind::Staff => okuri::policy::directory::Directory::parse(&text, &a.file).map(drop)?,
        Kind::Media => okuri::media::CityMedia::parse(&text, &a.file).map(drop)?,
        kind => Policy::check_city_document(kind, &text, &a.file)?,
    }
    let key = cx.signing_key(&a.key, super::KeyOf::Signer)?;
    let (sig, header) = city::sign(a.kind, &a.file, &key)?;
    // The end of validity as an instant in Japan, where the date was meant.
    let until = okuri::base::time::Time::of(
        &header
            .valid_until
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(okuri::base::time::JST)),
    );
    super::out(&t!(
        cx,
        "cli-sign-done",
        kind = a.kind.as_str(),
        file = okuri::base::fsname::shown(a.file.as_os_str()),
        sig = okuri::base::fsname::shown(sig.as_os_str()),
        serial = header.serial,
        until = until.as_str(),
        namespace = a.kind.namespace(),
        key = key.fingerprint.to_string()
    ))
}
