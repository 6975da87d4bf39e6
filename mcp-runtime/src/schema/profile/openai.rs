//! The `openai-strict` profile: OpenAI function calling with `strict: true`.
//!
//! Rules (OpenAI "Structured Outputs" supported-schema list): every object has
//! `additionalProperties: false` and lists every property in `required` (optional ones are
//! made nullable instead); the root is an object, not a union; only the keywords below.

use serde_json::{Map, Value, json};

use super::{Profile, ProfileNote, check_keywords, retain_keywords};
use crate::schema::keywords::{self, ANNOTATIONS};

/// Keywords OpenAI strict mode accepts.
const SUPPORTED: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "anyOf",
    "description",
    "title",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
];

/// String formats OpenAI strict mode accepts.
const FORMATS: &[&str] = &[
    "date-time",
    "time",
    "date",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uuid",
];

/// OpenAI's documented limits.
const MAX_DEPTH: usize = 10;
const MAX_PROPERTIES: usize = 5000;

pub(super) fn apply(schema: &Value, notes: &mut Vec<ProfileNote>) -> Value {
    let profile = Profile::OpenAiStrict;
    let mapped = keywords::map_schemas(schema, "", &mut |mut node, pointer| {
        if let Some(one_of) = node.remove("oneOf") {
            notes.push(ProfileNote::relaxed(
                pointer,
                "`oneOf` became `anyOf` (openai-strict has no exclusive union)",
            ));
            node.insert("anyOf".into(), one_of);
        }
        // `format` is an annotation in 2020-12: dropping an unknown one loses no constraint.
        if let Some(Value::String(format)) = node.get("format")
            && !FORMATS.contains(&format.as_str())
        {
            node.remove("format");
        }
        retain_keywords(&mut node, SUPPORTED, pointer, profile, notes);
        if is_object(&node) {
            close_object(&mut node, pointer, notes);
        }
        if node.is_empty() || node.keys().all(|k| ANNOTATIONS.contains(&k.as_str())) {
            notes.push(ProfileNote::unsupported(
                pointer,
                "a schema without `type` (any JSON value) cannot be expressed in openai-strict",
            ));
        }
        Ok::<_, std::convert::Infallible>(Value::Object(node))
    });
    match mapped {
        Ok(v) => v,
        Err(never) => match never {},
    }
}

fn is_object(node: &Map<String, Value>) -> bool {
    keywords::types(node).contains(&"object") || node.contains_key("properties")
}

/// `additionalProperties: false`, every property required, optional ones nullable.
fn close_object(node: &mut Map<String, Value>, pointer: &str, notes: &mut Vec<ProfileNote>) {
    match node.get("additionalProperties") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => {}
        Some(_) => notes.push(ProfileNote::unsupported(
            pointer,
            "a map (`additionalProperties` schema) cannot be expressed in openai-strict: the \
             model can only send the declared properties",
        )),
    }
    node.insert("additionalProperties".into(), Value::Bool(false));
    let required: Vec<String> = node
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let Some(Value::Object(properties)) = node.get_mut("properties") else {
        node.insert("properties".into(), json!({}));
        node.insert("required".into(), json!([]));
        return;
    };
    for (name, property) in properties.iter_mut() {
        if !required.contains(name) && !keywords::admits_null(property) {
            *property = nullable(std::mem::take(property));
            notes.push(ProfileNote::relaxed(
                &keywords::child(&keywords::child(pointer, "properties"), name),
                format!(
                    "optional `{name}` became required and nullable: the model sends null to \
                     leave it out, so the tool must accept null for it (an Option field does)"
                ),
            ));
        }
    }
    let all: Vec<Value> = properties.keys().cloned().map(Value::String).collect();
    node.insert("required".into(), Value::Array(all));
}

/// `schema` accepting `null` too: `type: [T, "null"]` when that is exact, else an `anyOf`.
fn nullable(schema: Value) -> Value {
    let Value::Object(mut node) = schema else {
        return json!({ "anyOf": [schema, { "type": "null" }] });
    };
    if let Some(Value::String(t)) = node.get("type")
        && !node.contains_key("enum")
        && !node.contains_key("const")
        && !node.contains_key("anyOf")
    {
        let t = t.clone();
        node.insert("type".into(), json!([t, "null"]));
        return Value::Object(node);
    }
    let mut outer = Map::new();
    for key in ANNOTATIONS {
        if let Some(v) = node.remove(*key) {
            outer.insert((*key).to_owned(), v);
        }
    }
    outer.insert(
        "anyOf".into(),
        json!([Value::Object(node), { "type": "null" }]),
    );
    Value::Object(outer)
}

pub(super) fn check(schema: &Value, out: &mut Vec<ProfileNote>) {
    let profile = Profile::OpenAiStrict;
    if let Value::Object(root) = schema
        && !keywords::types(root).contains(&"object")
    {
        out.push(ProfileNote::unsupported(
            "",
            "the root must be `type: object` in openai-strict",
        ));
    }
    let mut properties = 0;
    keywords::visit(schema, "", &mut |node, pointer| {
        let Value::Object(node) = node else {
            if pointer.ends_with("/additionalProperties") {
                return;
            }
            out.push(ProfileNote::unsupported(
                pointer,
                "boolean schemas are not supported by openai-strict",
            ));
            return;
        };
        check_keywords(node, SUPPORTED, pointer, profile, out);
        let depth = pointer.matches("/properties/").count();
        if depth > MAX_DEPTH {
            out.push(ProfileNote::unsupported(
                pointer,
                format!("objects nest deeper than openai-strict's limit of {MAX_DEPTH}"),
            ));
        }
        if !is_object(node) {
            return;
        }
        if node.get("additionalProperties") != Some(&Value::Bool(false)) {
            out.push(ProfileNote::unsupported(
                pointer,
                "objects need `additionalProperties: false` in openai-strict",
            ));
        }
        let names: Vec<&String> = node
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().collect())
            .unwrap_or_default();
        properties += names.len();
        let required: Vec<&str> = node
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for name in names {
            if !required.contains(&name.as_str()) {
                out.push(ProfileNote::unsupported(
                    &keywords::child(&keywords::child(pointer, "properties"), name),
                    format!("property `{name}` must be listed in `required` in openai-strict"),
                ));
            }
        }
    });
    if properties > MAX_PROPERTIES {
        out.push(ProfileNote::unsupported(
            "",
            format!("more than openai-strict's limit of {MAX_PROPERTIES} properties"),
        ));
    }
}
