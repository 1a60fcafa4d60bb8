//! Where a file's importance class comes from: the extended attribute `user.okuri.class`, a
//! sidecar label file `<name>.okuri-class`, and the label register under the home, keyed by
//! the file's BLAKE3 so that a renamed file keeps its label and a changed file loses it.
//!
//! The strictest label wins; a file with none takes the policy's `unlabeled_class`. Register
//! entries are JSON files whose exact bytes a designating officer can sign (a detached
//! signature beside them), so signed designations add to this format rather than replace it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::class::Class;
use crate::digest::Blake3;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::home::{Home, Identity};
use crate::input::Input;
use crate::policy::Policy;

/// The extended attribute that carries a class.
pub const XATTR: &str = "user.okuri.class";
/// The suffix of a sidecar label file: `report.csv` is labelled by `report.csv.okuri-class`.
pub const SIDECAR_SUFFIX: &str = ".okuri-class";

/// Where one label was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    Xattr,
    Sidecar {
        path: PathBuf,
    },
    Register {
        path: PathBuf,
        designated_by: String,
        designated_at: String,
    },
    /// No label: the policy's class for unlabeled files.
    Default,
}

impl Source {
    /// A short name for tables and the record.
    pub fn name(&self) -> &'static str {
        match self {
            Source::Xattr => "xattr",
            Source::Sidecar { .. } => "sidecar",
            Source::Register { .. } => "register",
            Source::Default => "default",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Source::Xattr => format!("extended attribute {XATTR}"),
            Source::Sidecar { path } => format!("label file {}", path.display()),
            Source::Register {
                designated_by,
                designated_at,
                ..
            } => format!("label register (by {designated_by}, {designated_at})"),
            Source::Default => "no label: the policy's class for unlabeled files".into(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Label {
    pub class: Class,
    pub source: Source,
}

/// A file's class and everything that was found about it.
#[derive(Clone, Debug, Serialize)]
pub struct Classification {
    pub path: PathBuf,
    pub size: u64,
    pub blake3: Blake3,
    pub class: Class,
    pub source: Source,
    pub labels: Vec<Label>,
}

/// One entry of the label register, stored as `labels/<blake3>.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Designation {
    pub version: u32,
    pub blake3: Blake3,
    pub size: u64,
    pub class: Class,
    pub file_name: String,
    pub designated_at: String,
    pub designated_by: Designator,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Designator {
    pub name: String,
    pub department: String,
}

/// Classifies an opened input: reads every label, hashes the file, applies the rule.
pub fn classify(input: &mut Input, home: &Home, policy: &Policy) -> Result<Classification> {
    let blake3 = input.digest()?;
    let mut labels = Vec::new();
    if let Some(c) = read_xattr(input)? {
        labels.push(Label {
            class: c,
            source: Source::Xattr,
        });
    }
    if let Some(l) = read_sidecar(&input.path)? {
        labels.push(l);
    }
    if let Some(l) = read_register(home, &blake3)? {
        labels.push(l);
    }
    let winner = labels.iter().max_by_key(|l| l.class).cloned();
    let (class, source) = match winner {
        Some(l) => (l.class, l.source),
        None => (policy.unlabeled_class, Source::Default),
    };
    Ok(Classification {
        path: input.path.clone(),
        size: input.size,
        blake3,
        class,
        source,
        labels,
    })
}

fn read_xattr(input: &Input) -> Result<Option<Class>> {
    use xattr::FileExt;
    let raw = match input.file.get_xattr(XATTR) {
        Ok(v) => v,
        // A file system without user xattrs simply has no such label.
        Err(e) if e.raw_os_error() == Some(95) => None,
        Err(e) => return Err(Error::io("read the extended attributes of", &input.path, e)),
    };
    let Some(raw) = raw else { return Ok(None) };
    let text = String::from_utf8_lossy(&raw);
    text.parse::<Class>().map(Some).map_err(|e| {
        Error::invalid(format!(
            "the label {XATTR} of {} is not valid: {e}",
            input.path.display()
        ))
        .with_hint(format!(
            "set a valid class with `okuri label {} --class I|II|III --store xattr`, or ask your information officer (情報責任者) which class applies",
            input.path.display()
        ))
    })
}

pub fn sidecar_path(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(SIDECAR_SUFFIX);
    fsutil::parent_dir(file).join(name)
}

/// Parses a sidecar label: one class on a line of its own; `#` starts a comment.
pub fn parse_sidecar(text: &str) -> std::result::Result<Class, String> {
    let words: Vec<&str> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    match words.as_slice() {
        [one] => one.parse::<Class>().map_err(|e| e.to_string()),
        [] => Err("it is empty".into()),
        _ => Err("it holds more than one class".into()),
    }
}

fn read_sidecar(file: &Path) -> Result<Option<Label>> {
    let path = sidecar_path(file);
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read label file", &path, e)),
    };
    let text = String::from_utf8(text).map_err(|_| {
        Error::invalid(format!(
            "the label file {} is not UTF-8 text",
            path.display()
        ))
    })?;
    let class = parse_sidecar(&text).map_err(|why| {
        Error::invalid(format!(
            "the label file {} is not valid: {why}",
            path.display()
        ))
        .with_hint("write I, II or III in it, or remove it and label the file with `okuri label`")
    })?;
    Ok(Some(Label {
        class,
        source: Source::Sidecar { path },
    }))
}

pub fn register_path(home: &Home, digest: &Blake3) -> PathBuf {
    home.labels_dir().join(format!("{digest}.json"))
}

fn read_register(home: &Home, digest: &Blake3) -> Result<Option<Label>> {
    let path = register_path(home, digest);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read label register entry", &path, e)),
    };
    let d: Designation = serde_json::from_slice(&bytes).map_err(|e| {
        Error::invalid(format!(
            "the label register entry {} is not valid",
            path.display()
        ))
        .with_source(e)
        .with_hint("restore it from backup or remove it and have the file labelled again")
    })?;
    if d.blake3 != *digest {
        return Err(Error::invalid(format!(
            "the label register entry {} names another file's digest",
            path.display()
        ))
        .with_hint("the register was edited by hand; remove the entry and label the file again"));
    }
    Ok(Some(Label {
        class: d.class,
        source: Source::Register {
            path,
            designated_by: format!("{} ({})", d.designated_by.name, d.designated_by.department),
            designated_at: d.designated_at,
        },
    }))
}

/// Where `okuri label` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    Register,
    Xattr,
    Sidecar,
}

/// Labels a file. Without a signed designation a label may only raise the class: lowering it
/// is the information officer's (情報責任者) decision, not the sender's.
pub fn set_label(
    input: &mut Input,
    home: &Home,
    policy: &Policy,
    class: Class,
    store: Store,
    who: &Identity,
    now: &str,
) -> Result<Classification> {
    let before = classify(input, home, policy)?;
    if let Some(strictest) = before.labels.iter().map(|l| l.class).max()
        && class < strictest
    {
        return Err(Error::refused(crate::policy::Refusal {
            code: crate::policy::RefusalCode::LowerClass,
            class: strictest,
            channel: None,
            rule: "情報資産の重要性分類の指定は、情報責任者(部長等)が行う(第2章1)".into(),
            rule_en: "The importance class is designated by the information officer (情報責任者) (Ch.2 §1)".into(),
            ja: format!(
                "この情報資産は既に{}と表示されています。職員が分類を下げることはできません。",
                strictest.ja()
            ),
            en: format!(
                "This file is already labelled class {strictest} ({}); staff may not lower a class.",
                strictest.ja()
            ),
            hint_ja: "分類の変更は情報責任者(部長等)に依頼してください。".into(),
            hint_en: "Ask your information officer (情報責任者) to designate the class.".into(),
        }));
    }
    match store {
        Store::Xattr => {
            use xattr::FileExt;
            input
                .file
                .set_xattr(XATTR, class.as_str().as_bytes())
                .map_err(|e| {
                    Error::io("set the extended attribute on", &input.path, e).with_hint(
                        "this file system may not support user extended attributes; use --store register",
                    )
                })?;
        }
        Store::Sidecar => {
            let path = sidecar_path(&input.path);
            let text = format!(
                "# 重要性分類 (importance class) of {}, labelled by {} ({}) at {now}\n{class}\n",
                input.file_name(),
                who.name,
                who.department
            );
            fsutil::replace(&path, text.as_bytes())?;
        }
        Store::Register => {
            fsutil::create_dir(&home.labels_dir(), 0o700)?;
            let d = Designation {
                version: 1,
                blake3: before.blake3,
                size: before.size,
                class,
                file_name: input.file_name(),
                designated_at: now.to_owned(),
                designated_by: Designator {
                    name: who.name.clone(),
                    department: who.department.clone(),
                },
            };
            let mut bytes = serde_json::to_vec_pretty(&d).expect("designation serializes");
            bytes.push(b'\n');
            fsutil::replace(&register_path(home, &before.blake3), &bytes)?;
        }
    }
    classify(input, home, policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_parsing() {
        assert_eq!(parse_sidecar("# comment\nII\n"), Ok(Class::II));
        assert_eq!(parse_sidecar("III # public\n"), Ok(Class::III));
        assert!(parse_sidecar("").is_err());
        assert!(parse_sidecar("I\nII\n").is_err());
        assert!(parse_sidecar("secret").is_err());
    }
}
