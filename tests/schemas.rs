//! The schemas of what okuri prints for machines and what its service speaks
//! (docs/schemas, docs/json.md). Every test that reads a `--json` output, a record line or a
//! service body checks it against its schema (tests/common/schema.rs); these tests check the
//! schemas themselves, and the outputs no other test reads.

mod common;

use common::*;
use serde_json::json;

/// Every schema file under docs/schemas, as a path relative to it.
fn schema_files() -> Vec<String> {
    let root = schema::dir();
    let mut out = Vec::new();
    for f in common::files_with_extension(&root, "json") {
        out.push(
            f.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        );
    }
    out.sort();
    out
}

#[test]
fn every_schema_compiles_names_itself_and_is_documented() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md")).unwrap();
    let files = schema_files();
    assert!(files.len() >= 40, "only {} schemas: {files:?}", files.len());
    for f in &files {
        let s = schema::load(f);
        assert_eq!(s["$id"], format!("{}{f}", schema::BASE), "{f}: its $id");
        assert_eq!(
            s["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{f}"
        );
        assert!(s["title"].is_string(), "{f}: no title");
        assert!(doc.contains(f.as_str()), "docs/json.md does not list {f}");
        if f != "common.v1.json" {
            schema::validator(f);
        }
        // A --json output names its type and version, and the file says which.
        if let Some(rest) = f.strip_prefix("cli/") {
            let (name, version) = rest
                .strip_suffix(".json")
                .unwrap()
                .rsplit_once(".v")
                .unwrap();
            assert_eq!(s["properties"]["type"]["const"], name, "{f}");
            assert_eq!(
                s["properties"]["version"]["const"],
                version.parse::<u64>().unwrap(),
                "{f}"
            );
            assert_eq!(s["required"], json!(["data", "type", "version"]), "{f}");
        }
    }
}

/// The check is strict: an unknown field, a missing one, a digest that is not one, or a
/// class that does not exist is refused, so a schema that drifted from the output fails.
#[test]
fn the_schemas_refuse_what_okuri_never_prints() {
    let env = Env::new();
    env.labelled("memo.txt", b"memo", "III");
    let r = env.pack("memo.txt", "email", &[]);
    let out: serde_json::Value = serde_json::from_str(&r.ok().stdout).unwrap();
    schema::cli(&out);
    let refused = |edit: &dyn Fn(&mut serde_json::Value), what: &str| {
        let mut v = out.clone();
        edit(&mut v);
        let r = std::panic::catch_unwind(|| schema::cli(&v));
        assert!(r.is_err(), "the pack schema accepts {what}");
    };
    refused(&|v| v["data"]["surprise"] = json!(1), "an unknown field");
    refused(
        &|v| {
            v["data"].as_object_mut().unwrap().remove("transfer_id");
        },
        "no transfer_id",
    );
    refused(
        &|v| v["data"]["file"]["blake3"] = json!("not a digest"),
        "a bad digest",
    );
    refused(&|v| v["data"]["class"] = json!("IV"), "class IV");
    refused(
        &|v| v["version"] = json!(2),
        "a version it does not describe",
    );
    // The names of a file that is not UTF-8 are represented, never dropped.
    let mut v = out.clone();
    v["data"]["file"]["name"] = json!({"bytes": "/21lbW8udHh0"});
    schema::cli(&v);
}

#[test]
fn recipients_and_an_offline_approval_as_json() {
    let env = Env::new();
    let j = env.run(&["recipients", "list", "--json"]).ok().json();
    let ids: Vec<&str> = j
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(ids.contains(&"kameoka-print"), "{j}");
    env.labelled("memo.txt", b"memo", "II");
    let (r, req) = env.request("memo.txt", "kameoka-print", "email", &[]);
    r.ok();
    let (r, _) = env.approve(&req, "suzuki.hanako", &["--json"], &[]);
    let token = r.ok().json();
    assert_eq!(token["okuri"], "approval-token", "{token}");
    assert_eq!(token["issuer"]["id"], "suzuki.hanako", "{token}");
    assert_eq!(token["request"]["file"]["name"], "memo.txt", "{token}");
}

/// Formats 2 and 3 are what format 4 is without its newer fields: a real entry, written back as
/// each, fits that format's schema, and a format 4 entry fits no older one.
#[test]
fn older_record_formats_describe_older_entries() {
    let env = Env::new();
    env.labelled("memo.txt", b"memo", "III");
    env.pack("memo.txt", "email", &[]).ok();
    let mut entry = env.record_entries().pop().unwrap();
    assert_eq!(entry["format"], 4);
    entry.as_object_mut().unwrap().remove("development");
    for (format, ok) in [(3, true), (2, true)] {
        let mut e = entry.clone();
        e["format"] = json!(format);
        let r = std::panic::catch_unwind(|| schema::record_line(&e));
        assert_eq!(r.is_ok(), ok, "format {format}: {e}");
    }
    // An outcome format 2 did not have.
    let mut e = entry.clone();
    e["format"] = json!(2);
    e["outcome"] = json!("prepared");
    assert!(std::panic::catch_unwind(|| schema::record_line(&e)).is_err());
    // A format 4 field in a format 3 entry.
    let mut e = entry.clone();
    e["format"] = json!(3);
    e["designations_unasked"] = json!(true);
    assert!(std::panic::catch_unwind(|| schema::record_line(&e)).is_err());
}

/// Every route the service has (read from its router) has its bodies' schemas here, and every
/// `--json` output okuri has (`cli::formats`) has its schema file: a new route or output
/// without a schema fails.
#[test]
fn every_route_and_output_has_a_schema() {
    let root = env!("CARGO_MANIFEST_DIR");
    let api = std::fs::read_to_string(format!("{root}/src/service/api.rs")).unwrap();
    let route = regex::Regex::new(r#"\.route\("([^"]+)",\s*(.*)\)"#).unwrap();
    let method = regex::Regex::new(r"\b(get|post|put|delete|patch)\(").unwrap();
    let mut seen = 0;
    for c in route.captures_iter(&api) {
        for m in method.captures_iter(&c[2]) {
            let m = m[1].to_uppercase();
            assert!(
                schema::ROUTES
                    .iter()
                    .any(|(rm, rp, _, _)| *rm == m && *rp == &c[1]),
                "{m} {} has no schema in tests/common/schema.rs ROUTES",
                &c[1]
            );
            seen += 1;
        }
    }
    assert_eq!(
        seen,
        schema::ROUTES.len(),
        "ROUTES names a route the router lacks"
    );
    let cli = std::fs::read_to_string(format!("{root}/src/cli/mod.rs")).unwrap();
    let format = regex::Regex::new(r#"Format::v(\d+)\("([a-z-]+)"\)"#).unwrap();
    let mut outputs = 0;
    for c in format.captures_iter(&cli) {
        let file = format!("cli/{}.v{}.json", &c[2], &c[1]);
        assert!(
            schema::dir().join(&file).is_file(),
            "no schema docs/schemas/{file}"
        );
        outputs += 1;
    }
    assert_eq!(outputs, 17, "the --json outputs in cli::formats");
}

/// The outputs that are different when there is nothing, or something wrong: an empty record's
/// verdict (no head, no last hash), a tampered one's (the problem, with exit 5), and a valid
/// policy's check (its digest).
#[test]
fn empty_and_failing_verdicts_fit_their_schemas() {
    let env = Env::new();
    let empty = env.run(&["record", "verify", "--json"]).ok().json();
    assert_eq!(empty["entries"], 0, "{empty}");
    assert!(empty["last_hash"].is_null(), "{empty}");
    env.labelled("memo.txt", b"memo", "III");
    env.pack("memo.txt", "email", &[]).ok();
    let record = env.home.join("record.jsonl");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replacen("memo.txt", "memo.TXT", 1)).unwrap();
    let bad = env.run(&["record", "verify", "--json"]);
    bad.code(5);
    let j = bad.json();
    assert_eq!(j["problem"]["entry"], 1, "{j}");
    assert!(j["problem"]["message"]["id"].is_string(), "{j}");
    let c = env.run(&["policy", "check", "--json"]).ok().json();
    assert_eq!(c["valid"], true, "{c}");
    assert!(c["blake3"].is_string(), "{c}");
}
