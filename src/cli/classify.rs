//! `okuri classify`

use std::path::PathBuf;

use okuri::base::error::Result;
use okuri::sys::input::Input;
use okuri::transfer::label::{self, Source};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The files to classify
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print JSON: one array of objects with path, size, blake3, class, source and labels
    #[arg(long)]
    json: bool,
}

pub fn run(cx: &super::Context, a: Args) -> Result<()> {
    let policy = cx.policy()?;
    let mut results = Vec::new();
    for f in &a.files {
        let mut input = Input::open(f)?;
        results.push(label::classify(&mut input, &cx.home, &policy)?);
    }
    if a.json {
        return super::json(&results);
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
