//! Checks what okuri prints for machines, and what its service sends and accepts, against the
//! schemas in docs/schemas (docs/json.md). Every `--json` output a test reads through
//! [`super::Run::json`], every record line it reads, and every body the service handles while
//! a test runs it is checked, so a field that appears, disappears or changes shape without its
//! schema changing fails the suite.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

/// Where every schema's `$id` lives; `$ref`s between schemas resolve to docs/schemas/.
pub const BASE: &str = "https://okuri.city.kameoka.kyoto.jp/schemas/";

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schemas")
}

/// Reads `docs/schemas/NAME` (a path such as `cli/pack.v1.json`).
pub fn load(name: &str) -> Value {
    let p = dir().join(name);
    let text =
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("no schema {}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", p.display()))
}

struct Files;

impl jsonschema::Retrieve for Files {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .strip_prefix(BASE)
            .ok_or_else(|| format!("{uri} is not one of okuri's schemas"))?;
        Ok(load(name))
    }
}

/// The compiled validator of `docs/schemas/NAME`.
pub fn validator(name: &str) -> Arc<jsonschema::Validator> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(v) = cache.lock().unwrap().get(name) {
        return Arc::clone(v);
    }
    let v = jsonschema::options()
        .with_retriever(Files)
        .should_validate_formats(true)
        .build(&load(name))
        .unwrap_or_else(|e| panic!("schema {name} does not compile: {e}"));
    let v = Arc::new(v);
    cache
        .lock()
        .unwrap()
        .insert(name.to_owned(), Arc::clone(&v));
    v
}

/// Panics, naming every difference, unless `value` is valid under `docs/schemas/NAME`.
pub fn check(name: &str, value: &Value, what: &str) {
    let v = validator(name);
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match docs/schemas/{name}:\n{}\n{}",
        errors.join("\n"),
        serde_json::to_string_pretty(value).unwrap()
    );
}

/// A `--json` output: `{"type", "version", "data"}`, checked against
/// `docs/schemas/cli/TYPE.vVERSION.json`. Returns `data`.
pub fn cli(out: &Value) -> Value {
    let name = out["type"]
        .as_str()
        .unwrap_or_else(|| panic!("a --json output without a type: {out}"));
    let version = out["version"]
        .as_u64()
        .unwrap_or_else(|| panic!("a --json output without a version: {out}"));
    check(
        &format!("cli/{name}.v{version}.json"),
        out,
        &format!("the --json output {name}"),
    );
    out["data"].clone()
}

/// One line of a record, checked against `docs/schemas/record/entry.vFORMAT.json`.
pub fn record_line(entry: &Value) {
    // Format 1 had no `format` field.
    let format = match &entry["format"] {
        serde_json::Value::Null => 1,
        f => f
            .as_u64()
            .unwrap_or_else(|| panic!("a record line with a bad format: {entry}")),
    };
    check(
        &format!("record/entry.v{format}.json"),
        entry,
        "a record line",
    );
}

/// The schema of each route's bodies: (method, route, request schema, response schema).
pub const ROUTES: &[(&str, &str, Option<&str>, &str)] = &[
    ("GET", "/v1/health", None, "health"),
    (
        "POST",
        "/v1/auth/challenge",
        Some("challenge-request"),
        "challenge",
    ),
    (
        "POST",
        "/v1/auth/session",
        Some("session-request"),
        "session",
    ),
    ("POST", "/v1/auth/logout", None, "logged-out"),
    ("POST", "/v1/requests", Some("request"), "submitted"),
    ("GET", "/v1/requests", None, "request-list"),
    ("GET", "/v1/requests/{id}", None, "request-view"),
    (
        "POST",
        "/v1/requests/{id}/decision",
        Some("decision"),
        "request-view",
    ),
    (
        "POST",
        "/v1/tokens/{id}/consume",
        Some("consume-request"),
        "consumption",
    ),
    ("GET", "/v1/violations", None, "violations"),
    ("GET", "/v1/violations/classes", None, "class-findings"),
    (
        "POST",
        "/v1/designations",
        Some("designation-upload"),
        "designation",
    ),
    ("GET", "/v1/designations/{blake3}", None, "designation-list"),
    ("GET", "/v1/witness/{record}", None, "witness-head"),
    (
        "PUT",
        "/v1/witness/{record}",
        Some("witness-update"),
        "witness-head",
    ),
];

/// Checks every body in a service's wire log (`OKURI_TEST_WIRE_LOG`): a request body the
/// service accepted (2xx) against the route's request schema, every response against the
/// route's response schema or, for an error, `api/error.v1.json`.
pub fn wire_log(log: &Path) {
    let text = std::fs::read_to_string(log)
        .unwrap_or_else(|e| panic!("the wire log {}: {e}", log.display()));
    for line in text.lines() {
        let call: Value = serde_json::from_str(line).expect("a wire log line is JSON");
        let (method, route) = (
            call["method"].as_str().unwrap(),
            call["route"].as_str().unwrap(),
        );
        let status = call["status"].as_u64().unwrap();
        let what = format!("{method} {route} ({status})");
        let Some(&(_, _, req, res)) = ROUTES
            .iter()
            .find(|(m, r, _, _)| *m == method && *r == route)
        else {
            // No such endpoint: the answer is an error all the same.
            check("api/error.v1.json", &call["response"], &what);
            continue;
        };
        if (200..300).contains(&status) {
            match req {
                Some(s) => {
                    assert!(
                        !call["request_raw"].as_bool().unwrap(),
                        "{what}: accepted a body that is not JSON"
                    );
                    check(
                        &format!("api/{s}.v1.json"),
                        &call["request"],
                        &format!("the body sent to {what}"),
                    )
                }
                None => assert!(
                    call["request"].is_null(),
                    "{what} accepted a body it has no schema for"
                ),
            }
            check(
                &format!("api/{res}.v1.json"),
                &call["response"],
                &format!("the answer to {what}"),
            );
        } else {
            check(
                "api/error.v1.json",
                &call["response"],
                &format!("the answer to {what}"),
            );
        }
    }
}
