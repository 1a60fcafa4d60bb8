//! Replays the committed fuzz corpus (`fuzz/corpus/TARGET/`: the seeds, and every input the
//! fuzzer found and we fixed) through the same functions the fuzz targets call
//! (`okuri::fuzzing`), so CI checks them without building instrumented targets. A panic in
//! any parser fails this test with the file that caused it.

use std::path::Path;

#[test]
fn every_fuzz_target_replays_its_corpus_without_a_panic() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    // Every target cargo-fuzz builds is one this test replays.
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
    let built: Vec<&str> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|b| b.lines().find_map(|l| l.strip_prefix("name = ")))
        .map(|n| n.trim_matches('"'))
        .collect();
    let replayed: Vec<&str> = okuri::fuzzing::TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        built, replayed,
        "fuzz/Cargo.toml and okuri::fuzzing::TARGETS differ"
    );
    let mut inputs = 0;
    for (name, target) in okuri::fuzzing::TARGETS {
        let dir = fuzz.join("corpus").join(name);
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        assert!(!files.is_empty(), "{}: no seed", dir.display());
        for f in files {
            let data = std::fs::read(&f).unwrap();
            if std::panic::catch_unwind(|| target(&data)).is_err() {
                panic!("{name} panicked on {}", f.display());
            }
            inputs += 1;
        }
    }
    assert!(inputs >= 12, "only {inputs} inputs replayed");
}
