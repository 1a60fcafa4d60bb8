//! `okuri classify`

use std::path::PathBuf;

use okuri::error::Result;
use okuri::input::Input;
use okuri::label;

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
        s.push_str(&format!(
            "{}: class {} ({}) — from {}\n",
            c.path.display(),
            c.class,
            c.class.ja(),
            c.source.describe()
        ));
        for i in &c.ignored {
            s.push_str(&format!("    ignored: {} — {}\n", i.path.display(), i.why));
        }
        for l in &c.labels {
            if l.source != c.source {
                s.push_str(&format!(
                    "    also: class {} from {}\n",
                    l.class,
                    l.source.describe()
                ));
            }
        }
    }
    super::out(&s)
}
