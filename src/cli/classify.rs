//! `okuri classify`

use std::path::PathBuf;

use okuri::base::error::Result;
use okuri::sys::input::Input;
use okuri::transfer::label::{self, Source};

#[derive(clap::Args, Debug)]
#[command(mut_arg("key", |a| a.help("Your own key, to ask the approval service for the city's designations of the files [default: keys/<id> in the home]")))]
pub struct Args {
    /// The files to classify
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print JSON: one array of objects with path, size, blake3, class, source and labels
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    keys: super::KeyArgs,
}

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    let policy = cx.policy()?;
    if let (Some(d), Ok(me)) = (cx.directory()?, cx.home.identity()) {
        d.confirm(&me)?;
    }
    let client = cx.optional_session(&policy, &a.keys)?;
    let city = cx.city_designations(&policy, client.as_ref());
    let mut results = Vec::new();
    for f in &a.files {
        let mut input = Input::open(f)?;
        results.push(label::classify_with(&mut input, &cx.home, &policy, &city)?);
    }
    if a.json {
        return super::json(super::formats::CLASSIFY, &results);
    }
    let mut s = String::new();
    for c in &results {
        s.push_str(&t!(
            cx,
            "cli-classified",
            path = okuri::base::fsname::shown(c.path.as_os_str()),
            class = cx.class(c.class),
            source = source(cx, &c.source)
        ));
        s.push('\n');
        if c.city == label::CityAsked::Unasked {
            s.push_str(&t!(cx, "cli-classify-unasked"));
            s.push('\n');
        }
        for i in &c.ignored {
            s.push_str(&t!(
                cx,
                "cli-classify-ignored",
                path = okuri::base::fsname::shown(i.path.as_os_str()),
                why = cx.say(&i.why)
            ));
            s.push('\n');
        }
        for l in &c.labels {
            if l.source != c.source {
                s.push_str(&t!(
                    cx,
                    "cli-classify-also",
                    class = cx.class(l.class),
                    source = source(cx, &l.source)
                ));
                s.push('\n');
            }
        }
    }
    super::out(&s)
}

/// Where a class came from, as the reader says it.
pub fn source(cx: &super::Context, s: &Source) -> String {
    match s {
        Source::Xattr => t!(cx, "cli-source-xattr", xattr = label::XATTR),
        Source::Sidecar { path } => {
            t!(
                cx,
                "cli-source-sidecar",
                path = okuri::base::fsname::shown(path.as_os_str())
            )
        }
        Source::Register {
            designated_by,
            designated_at,
            ..
        } => t!(
            cx,
            "cli-source-register",
            by = designated_by.as_str(),
            at = designated_at.as_str()
        ),
        Source::Designation {
            officer,
            department,
            designated_at,
            ..
        } => t!(
            cx,
            "cli-source-designation",
            officer = officer.as_str(),
            department = department.as_str(),
            at = designated_at.as_str()
        ),
        Source::Default => t!(cx, "cli-source-default"),
    }
}
