//! The `gemini` profile: Gemini function declarations, an OpenAPI 3.0 `Schema` subset.
//!
//! One `type` per schema (`nullable: true` for null), string-only `enum`, no
//! `additionalProperties`, no `allOf`/`oneOf`/`not`/conditionals, only the formats Gemini
//! knows, no empty `properties`.

use serde_json::{Map, Value, json};

use super::{Profile, ProfileNote, check_keywords, retain_keywords};
use crate::schema::keywords::{self, ANNOTATIONS};

/// Keywords of Gemini's `Schema`.
const SUPPORTED: &[&str] = &[
    "type",
    "format",
    "title",
    "description",
    "nullable",
    "enum",
    "maxItems",
    "minItems",
    "properties",
    "required",
    "minProperties",
    "maxProperties",
    "minLength",
    "maxLength",
    "pattern",
    "example",
    "anyOf",
    "propertyOrdering",
    "default",
    "items",
    "minimum",
    "maximum",
];

/// Formats Gemini accepts, by type.
const FORMATS: &[(&str, &str)] = &[
    ("string", "date-time"),
    ("string", "enum"),
    ("integer", "int32"),
    ("integer", "int64"),
    ("number", "float"),
    ("number", "double"),
];

pub(super) fn apply(schema: &Value, notes: &mut Vec<ProfileNote>) -> Value {
    let profile = Profile::Gemini;
    let mapped = keywords::map_schemas(schema, "", &mut |node, pointer| {
        let mut node = collapse_nullable(node);
        if let Some(one_of) = node.remove("oneOf") {
            notes.push(ProfileNote::relaxed(pointer, "`oneOf` became `anyOf`"));
            node.insert("anyOf".into(), one_of);
        }
        if let Some(constant) = node.remove("const") {
            if constant.is_string() {
                node.insert("enum".into(), Value::Array(vec![constant]));
            } else {
                notes.push(ProfileNote::relaxed(
                    pointer,
                    "a non-string `const` cannot be expressed in gemini and was dropped",
                ));
            }
        }
        if let Some(Value::Array(values)) = node.get("enum")
            && !values.iter().all(Value::is_string)
        {
            notes.push(ProfileNote::relaxed(
                pointer,
                "gemini allows only string `enum` values; the `enum` was dropped",
            ));
            node.remove("enum");
        }
        for (exclusive, inclusive) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(bound) = node.remove(exclusive) {
                notes.push(ProfileNote::relaxed(
                    pointer,
                    format!("`{exclusive}` became the inclusive `{inclusive}`"),
                ));
                node.entry(inclusive).or_insert(bound);
            }
        }
        if let Some(Value::Array(examples)) = node.remove("examples")
            && let Some(first) = examples.into_iter().next()
        {
            node.entry("example").or_insert(first);
        }
        if let Some(Value::String(format)) = node.get("format") {
            let ty = keywords::types(&node).first().copied().unwrap_or("");
            if !FORMATS.contains(&(ty, format.as_str())) {
                node.remove("format");
            }
        }
        if node
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(Map::is_empty)
        {
            node.remove("properties");
        }
        if node
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            node.remove("required");
        }
        // Closed or open, Gemini cannot say it (generated argument structs still reject unknown
        // fields when they deserialize).
        if matches!(node.get("additionalProperties"), Some(Value::Bool(_))) {
            node.remove("additionalProperties");
        }
        retain_keywords(&mut node, SUPPORTED, pointer, profile, notes);
        Ok::<_, std::convert::Infallible>(Value::Object(node))
    });
    match mapped {
        Ok(v) => v,
        Err(never) => match never {},
    }
}

/// `type: [T, "null"]` → `type: T, nullable: true`; `anyOf: [S, {type: null}]` → `S` with
/// `nullable: true`; several non-null types → an `anyOf` of single types.
fn collapse_nullable(mut node: Map<String, Value>) -> Map<String, Value> {
    if let Some(Value::Array(branches)) = node.get("anyOf") {
        let is_null = |b: &Value| b == &json!({"type": "null"}) || b == &json!({"nullable": true});
        if branches.iter().any(is_null) {
            let rest: Vec<Value> = branches.iter().filter(|b| !is_null(b)).cloned().collect();
            node.remove("anyOf");
            node.insert("nullable".into(), Value::Bool(true));
            match <[Value; 1]>::try_from(rest) {
                Ok([Value::Object(single)]) => {
                    for (k, v) in single {
                        if !(ANNOTATIONS.contains(&k.as_str()) && node.contains_key(&k)) {
                            node.insert(k, v);
                        }
                    }
                }
                Ok([other]) => {
                    node.insert("anyOf".into(), Value::Array(vec![other]));
                }
                Err(rest) if rest.is_empty() => {}
                Err(rest) => {
                    node.insert("anyOf".into(), Value::Array(rest));
                }
            }
        }
    }
    if let Some(Value::Array(types)) = node.get("type") {
        let mut types: Vec<Value> = types.clone();
        if types.iter().any(|t| t == "null") {
            types.retain(|t| t != "null");
            node.insert("nullable".into(), Value::Bool(true));
        }
        match <[Value; 1]>::try_from(types) {
            Ok([single]) => {
                node.insert("type".into(), single);
            }
            Err(many) if many.is_empty() => {
                node.remove("type");
            }
            Err(many) => {
                node.remove("type");
                node.insert(
                    "anyOf".into(),
                    Value::Array(many.into_iter().map(|t| json!({ "type": t })).collect()),
                );
            }
        }
    }
    if node.get("type") == Some(&json!("null")) {
        node.remove("type");
        node.insert("nullable".into(), Value::Bool(true));
    }
    node
}

pub(super) fn check(schema: &Value, out: &mut Vec<ProfileNote>) {
    let profile = Profile::Gemini;
    keywords::visit(schema, "", &mut |node, pointer| {
        let Value::Object(node) = node else {
            out.push(ProfileNote::unsupported(
                pointer,
                "boolean schemas are not supported by gemini",
            ));
            return;
        };
        check_keywords(node, SUPPORTED, pointer, profile, out);
        if matches!(node.get("type"), Some(t) if !t.is_string()) {
            out.push(ProfileNote::unsupported(
                pointer,
                "gemini needs a single `type` string (use `nullable` for null)",
            ));
        }
        if let Some(Value::Array(values)) = node.get("enum")
            && !values.iter().all(Value::is_string)
        {
            out.push(ProfileNote::unsupported(
                pointer,
                "gemini allows only string `enum` values",
            ));
        }
    });
}
