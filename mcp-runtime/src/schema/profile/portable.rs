//! The `portable` profile: local `$ref`s inlined, no `$defs`/`$schema`, `anyOf` nullable unions.

use serde_json::{Map, Value};

use super::{ProfileError, ProfileNote};
use crate::schema::keywords::{self, ANNOTATIONS, TYPE_AGNOSTIC};

/// Keywords that only name or identify a document; meaningless once everything is inlined.
const IDENTIFIERS: &[&str] = &[
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$comment",
    "$vocabulary",
    "$defs",
    "definitions",
];

/// Rewrite `schema` for the portable profile.
pub(super) fn apply(schema: &Value) -> Result<Value, ProfileError> {
    let inlined = inline_refs(schema)?;
    let cleaned = keywords::map_schemas(&inlined, "", &mut |mut node, _| {
        for key in IDENTIFIERS {
            node.remove(*key);
        }
        Ok::<_, ProfileError>(nullable_as_any_of(node))
    })?;
    Ok(cleaned)
}

/// Report what the portable profile does not allow.
pub(super) fn check(schema: &Value, out: &mut Vec<ProfileNote>) {
    keywords::visit(schema, "", &mut |node, pointer| {
        let Value::Object(node) = node else { return };
        for key in ["$ref", "$dynamicRef", "$defs", "definitions", "$schema"] {
            if node.contains_key(key) {
                out.push(ProfileNote::unsupported(
                    pointer,
                    format!("`{key}` is not allowed in the portable profile"),
                ));
            }
        }
    });
}

/// Replace every local `$ref` by the schema it points at. Sibling keywords of a `$ref` are
/// kept: merged into the target when they do not clash with it, else beside an `allOf`.
pub(crate) fn inline_refs(schema: &Value) -> Result<Value, ProfileError> {
    let mut stack = Vec::new();
    inline(schema, schema, "", &mut stack)
}

fn inline(
    node: &Value,
    root: &Value,
    pointer: &str,
    stack: &mut Vec<String>,
) -> Result<Value, ProfileError> {
    let Value::Object(object) = node else {
        return Ok(node.clone());
    };
    // Children first (a `$ref`'s siblings may hold schemas too), through the shared walker for
    // one level only: `map_schemas` recurses, so rebuild by hand.
    let mut out = Map::new();
    for (key, value) in object {
        let here = keywords::child(pointer, key);
        let value = if keywords::SINGLE.contains(&key.as_str()) {
            inline(value, root, &here, stack)?
        } else if keywords::ARRAY.contains(&key.as_str()) {
            match value {
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            inline(v, root, &keywords::child(&here, &i.to_string()), stack)
                        })
                        .collect::<Result<_, _>>()?,
                ),
                other => other.clone(),
            }
        } else if keywords::MAP.contains(&key.as_str()) && key != "$defs" && key != "definitions" {
            match value {
                Value::Object(entries) => Value::Object(
                    entries
                        .iter()
                        .map(|(k, v)| {
                            inline(v, root, &keywords::child(&here, k), stack)
                                .map(|v| (k.clone(), v))
                        })
                        .collect::<Result<_, _>>()?,
                ),
                other => other.clone(),
            }
        } else {
            value.clone()
        };
        out.insert(key.clone(), value);
    }
    let Some(Value::String(reference)) = out.remove("$ref") else {
        return Ok(Value::Object(out));
    };
    let here = keywords::child(pointer, "$ref");
    if stack.contains(&reference) {
        return Err(ProfileError::RecursiveRef {
            pointer: here,
            reference,
        });
    }
    let target = resolve(root, &reference).ok_or_else(|| ProfileError::UnresolvableRef {
        pointer: here.clone(),
        reference: reference.clone(),
    })?;
    stack.push(reference);
    let target = inline(target, root, &here, stack)?;
    stack.pop();
    Ok(merge(target, out))
}

/// Resolve `#`, `#/json/pointer` or `#anchor` inside `root`.
fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let fragment = reference.strip_prefix('#')?;
    if fragment.is_empty() || fragment.starts_with('/') {
        let decoded = percent_decode(fragment);
        return root.pointer(&decoded);
    }
    let mut pointer = None;
    keywords::visit(root, "", &mut |node, p| {
        if pointer.is_none() && node.get("$anchor").and_then(Value::as_str) == Some(fragment) {
            pointer = Some(p.to_owned());
        }
    });
    root.pointer(&pointer?)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `$ref` target with the referring schema's other keywords.
fn merge(target: Value, siblings: Map<String, Value>) -> Value {
    if siblings.is_empty() {
        return target;
    }
    let mut target = match target {
        Value::Object(t) => t,
        Value::Bool(true) => Map::new(),
        other => {
            let mut out = siblings;
            out.insert("allOf".into(), Value::Array(vec![other]));
            return Value::Object(out);
        }
    };
    let clash = siblings
        .iter()
        .any(|(k, v)| !ANNOTATIONS.contains(&k.as_str()) && target.get(k).is_some_and(|t| t != v));
    if clash {
        let mut out = siblings;
        out.insert("allOf".into(), Value::Array(vec![Value::Object(target)]));
        return Value::Object(out);
    }
    for (k, v) in siblings {
        target.insert(k, v);
    }
    Value::Object(target)
}

/// `{"type": [T, "null"], …}` → `{"anyOf": [{"type": T, …}, {"type": "null"}]}`, annotations
/// kept outside. Left alone when a keyword that also constrains `null` (e.g. `enum`) is present.
fn nullable_as_any_of(mut node: Map<String, Value>) -> Value {
    let types = keywords::types(&node);
    let is_nullable_union = matches!(node.get("type"), Some(Value::Array(_)))
        && types.contains(&"null")
        && types.len() > 1;
    if !is_nullable_union || TYPE_AGNOSTIC.iter().any(|k| node.contains_key(*k)) {
        return Value::Object(node);
    }
    let others: Vec<Value> = types
        .iter()
        .filter(|t| **t != "null")
        .map(|t| Value::String((*t).to_owned()))
        .collect();
    let others = match <[Value; 1]>::try_from(others) {
        Ok([single]) => single,
        Err(many) => Value::Array(many),
    };
    node.insert("type".into(), others);
    let mut outer = Map::new();
    for key in ANNOTATIONS {
        if let Some(v) = node.remove(*key) {
            outer.insert((*key).to_owned(), v);
        }
    }
    outer.insert(
        "anyOf".into(),
        Value::Array(vec![
            Value::Object(node),
            serde_json::json!({"type": "null"}),
        ]),
    );
    Value::Object(outer)
}
