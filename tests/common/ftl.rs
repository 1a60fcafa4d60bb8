//! Reading okuri's Fluent files the way the tests need: every message's variables, and its
//! text as a pattern that a rendering must match (arguments are wildcards), so that tests
//! check what okuri prints against the `.ftl` source rather than against a copied sentence.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

/// One piece of a message's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Lit(String),
    Any,
}

#[derive(Clone, Debug)]
pub struct Message {
    pub vars: BTreeSet<String>,
    pub glob: Vec<Seg>,
}

/// The messages of one language's file, by id. Panics on a syntax error (with the junk), so
/// a test that reads the file fails if it does not parse.
pub fn messages(lang: &str) -> BTreeMap<String, Message> {
    let path = format!("{}/i18n/{lang}/okuri.ftl", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let res = match fluent_syntax::parser::parse(text.as_str()) {
        Ok(r) => r,
        Err((_, errs)) => panic!("{path} does not parse: {errs:?}"),
    };
    let mut out = BTreeMap::new();
    for e in res.body {
        match e {
            Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                let mut glob = Vec::new();
                if let Some(p) = &m.value {
                    walk(p, &mut vars, &mut glob);
                }
                let dup = out.insert(m.id.name.to_owned(), Message { vars, glob });
                assert!(dup.is_none(), "{path}: {} is defined twice", m.id.name);
            }
            Entry::Junk { content } => panic!("{path} has junk: {content}"),
            _ => {}
        }
    }
    out
}

fn walk(p: &Pattern<&str>, vars: &mut BTreeSet<String>, glob: &mut Vec<Seg>) {
    for el in &p.elements {
        match el {
            PatternElement::TextElement { value } => lit(glob, value),
            PatternElement::Placeable { expression } => expr(expression, vars, glob),
        }
    }
}

fn lit(glob: &mut Vec<Seg>, s: &str) {
    if let Some(Seg::Lit(last)) = glob.last_mut() {
        last.push_str(s);
    } else {
        glob.push(Seg::Lit(s.to_owned()));
    }
}

fn any(glob: &mut Vec<Seg>) {
    if glob.last() != Some(&Seg::Any) {
        glob.push(Seg::Any);
    }
}

fn expr(e: &Expression<&str>, vars: &mut BTreeSet<String>, glob: &mut Vec<Seg>) {
    match e {
        Expression::Select { selector, variants } => {
            inline(selector, vars, &mut Vec::new());
            for v in variants {
                walk(&v.value, vars, &mut Vec::new());
            }
            any(glob);
        }
        Expression::Inline(i) => inline(i, vars, glob),
    }
}

fn inline(i: &InlineExpression<&str>, vars: &mut BTreeSet<String>, glob: &mut Vec<Seg>) {
    match i {
        InlineExpression::StringLiteral { value } => lit(glob, value),
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
            any(glob);
        }
        InlineExpression::Placeable { expression } => expr(expression, vars, glob),
        _ => any(glob),
    }
}

/// Does `text` match the message's pattern, arguments being any text?
pub fn matches(glob: &[Seg], text: &str) -> bool {
    let lits: Vec<&str> = glob
        .iter()
        .filter_map(|s| match s {
            Seg::Lit(l) => Some(l.as_str()),
            Seg::Any => None,
        })
        .collect();
    let starts_any = glob.first() == Some(&Seg::Any);
    let ends_any = glob.last() == Some(&Seg::Any);
    if lits.is_empty() {
        return starts_any || text.is_empty();
    }
    let mut rest = text;
    for (i, l) in lits.iter().enumerate() {
        let first = i == 0;
        let last = i == lits.len() - 1;
        if first && !starts_any {
            let Some(r) = rest.strip_prefix(l) else {
                return false;
            };
            rest = r;
            if last && !ends_any {
                return rest.is_empty();
            }
            continue;
        }
        if last && !ends_any {
            return rest.ends_with(l);
        }
        match rest.find(l) {
            Some(at) => rest = &rest[at + l.len()..],
            None => return false,
        }
    }
    true
}
