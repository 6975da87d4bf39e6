//! JSON Schema 2020-12 keyword tables and a traversal over every subschema, shared by the
//! profiles, the lint and the diff.

use serde_json::{Map, Value};

/// Keywords whose value is one subschema.
pub(crate) const SINGLE: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
];

/// Keywords whose value is an array of subschemas.
pub(crate) const ARRAY: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords whose value maps names to subschemas.
pub(crate) const MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords that only annotate: changing them never changes which instances are valid.
pub(crate) const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// Keywords that constrain every instance whatever its type (so they also apply to `null`).
pub(crate) const TYPE_AGNOSTIC: &[&str] = &[
    "enum", "const", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
];

/// Escape one JSON-pointer segment (RFC 6901).
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `pointer` extended by `segment`.
pub(crate) fn child(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape(segment))
}

/// Rebuild `value` with every subschema passed through `f` (children first, then the node
/// itself). `f` gets the node's JSON pointer.
pub(crate) fn map_schemas<E>(
    value: &Value,
    pointer: &str,
    f: &mut impl FnMut(Map<String, Value>, &str) -> Result<Value, E>,
) -> Result<Value, E> {
    let Value::Object(object) = value else {
        return Ok(value.clone());
    };
    let mut out = Map::new();
    for (key, v) in object {
        let here = child(pointer, key);
        let mapped = if SINGLE.contains(&key.as_str()) {
            map_schemas(v, &here, f)?
        } else if ARRAY.contains(&key.as_str()) {
            match v {
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| map_schemas(item, &child(&here, &i.to_string()), f))
                        .collect::<Result<_, _>>()?,
                ),
                other => other.clone(),
            }
        } else if MAP.contains(&key.as_str()) {
            match v {
                Value::Object(entries) => Value::Object(
                    entries
                        .iter()
                        .map(|(name, item)| {
                            map_schemas(item, &child(&here, name), f).map(|s| (name.clone(), s))
                        })
                        .collect::<Result<_, _>>()?,
                ),
                other => other.clone(),
            }
        } else {
            v.clone()
        };
        out.insert(key.clone(), mapped);
    }
    f(out, pointer)
}

/// Call `f` on every subschema (the node first, then its children) with its JSON pointer.
pub(crate) fn visit(value: &Value, pointer: &str, f: &mut impl FnMut(&Value, &str)) {
    f(value, pointer);
    let Value::Object(object) = value else {
        return;
    };
    for (key, v) in object {
        let here = child(pointer, key);
        if SINGLE.contains(&key.as_str()) {
            visit(v, &here, f);
        } else if ARRAY.contains(&key.as_str()) {
            if let Value::Array(items) = v {
                for (i, item) in items.iter().enumerate() {
                    visit(item, &child(&here, &i.to_string()), f);
                }
            }
        } else if MAP.contains(&key.as_str())
            && let Value::Object(entries) = v
        {
            for (name, item) in entries {
                visit(item, &child(&here, name), f);
            }
        }
    }
}

/// The `type` keyword as a list (empty when absent).
pub(crate) fn types(schema: &Map<String, Value>) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether the schema certainly accepts `null` (by `type`, `enum`, `const` or an `anyOf` branch).
pub(crate) fn admits_null(schema: &Value) -> bool {
    match schema {
        Value::Bool(b) => *b,
        Value::Object(o) if o.is_empty() => true,
        Value::Object(o) => {
            if let Some(c) = o.get("const") {
                return c.is_null();
            }
            if let Some(Value::Array(values)) = o.get("enum") {
                return values.iter().any(Value::is_null)
                    && (o.get("type").is_none() || types(o).contains(&"null"));
            }
            if o.get("type").is_some() {
                return types(o).contains(&"null");
            }
            matches!(o.get("anyOf"), Some(Value::Array(branches)) if branches.iter().any(admits_null))
        }
        _ => false,
    }
}

/// Sort every object's keys, recursively, so the text form is the same on every build and
/// platform whichever map `serde_json` was compiled with.
pub(crate) fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut entries: Vec<_> = object.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}
