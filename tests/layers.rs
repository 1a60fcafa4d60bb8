//! The library's modules are floors whose imports only point down (src/lib.rs): a module may
//! use its own floor's files and any floor below, never one above. A `crate::` path that climbs
//! fails this test, naming the file and the path.

mod common;

use std::path::Path;

/// The floors, lowest first. Modules on one floor do not use each other.
const FLOORS: &[&[&str]] = &[
    &["base"],
    &["sys"],
    &["secret"],
    &["policy"],
    &["signed"],
    &["record"],
    &["media"],
    &["transfer"],
    &["i18n"],
    &["net"],
    &["service"],
    &["fuzzing"],
];

fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

#[test]
fn imports_only_point_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = common::rust_files(&src);
    let mut climbs = Vec::new();
    let mut checked = 0;
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        // The binaries are above every floor.
        let Some(own) = floor(&top) else { continue };
        checked += 1;
        let text = std::fs::read_to_string(&f).unwrap();
        // Code only: doc links may point anywhere.
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .map(|l| format!("{l}\n"))
            .collect();
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let module: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if let Some(target) = floor(&module)
                && target > own
            {
                climbs.push(format!("{}: crate::{module}", rel.display()));
            }
        }
    }
    assert!(checked > 40, "only {checked} files checked");
    assert!(climbs.is_empty(), "imports that climb a floor: {climbs:#?}");
}
