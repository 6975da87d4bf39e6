//! Profile rewrites: examples for each rule, and property tests that a rewritten schema
//! accepts what the canonical one accepts (portable: exactly the same instances).

#![allow(
    clippy::needless_pass_by_value,
    reason = "helpers take `json!` literals"
)]

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::*;

fn input(profile: Profile, schema: &Value) -> Value {
    profile.apply_input(schema).unwrap().schema
}

fn contact() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "$defs": { "address": { "$anchor": "addressDef", "type": "object",
            "properties": { "street": { "type": "string" } } } },
        "properties": {
            "home": { "$ref": "#/$defs/address", "description": "Where they live." },
            "work": { "$ref": "#addressDef" },
            "name": { "type": ["string", "null"], "maxLength": 20 }
        },
        "required": ["home"]
    })
}

#[test]
fn canonical_is_untouched() {
    assert_eq!(input(Profile::Canonical, &contact()), contact());
}

#[test]
fn portable_inlines_refs_drops_identifiers_and_normalises_nullable() {
    let out = input(Profile::Portable, &contact());
    assert_eq!(
        out,
        json!({
            "type": "object",
            "properties": {
                "home": { "type": "object", "description": "Where they live.",
                    "properties": { "street": { "type": "string" } } },
                "work": { "type": "object", "properties": { "street": { "type": "string" } } },
                "name": { "anyOf": [{ "type": "string", "maxLength": 20 }, { "type": "null" }] }
            },
            "required": ["home"]
        })
    );
    assert!(Profile::Portable.violations(&out).is_empty());
    assert!(!Profile::Portable.violations(&contact()).is_empty());
}

#[test]
fn portable_keeps_clashing_ref_siblings_in_all_of() {
    let schema = json!({
        "type": "object",
        "properties": { "n": { "$ref": "#/$defs/small", "maximum": 3 } },
        "$defs": { "small": { "type": "integer", "maximum": 10 } }
    });
    let out = input(Profile::Portable, &schema);
    assert_eq!(
        out["properties"]["n"],
        json!({ "maximum": 3, "allOf": [{ "type": "integer", "maximum": 10 }] })
    );
}

#[test]
fn recursive_and_dangling_refs_are_errors() {
    let recursive = json!({
        "type": "object",
        "properties": { "tree": { "$ref": "#/$defs/node" } },
        "$defs": { "node": { "type": "object",
            "properties": { "children": { "type": "array", "items": { "$ref": "#/$defs/node" } } } } }
    });
    let err = Profile::Portable.apply_input(&recursive).unwrap_err();
    assert!(matches!(err, ProfileError::RecursiveRef { .. }), "{err}");
    let dangling = json!({ "type": "object", "properties": { "a": { "$ref": "#/$defs/nope" } } });
    let err = Profile::Gemini.apply_input(&dangling).unwrap_err();
    assert_eq!(err.pointer(), "/properties/a/$ref");
    let remote = json!({ "type": "object", "properties": { "a": { "$ref": "https://example.com/s.json" } } });
    assert!(matches!(
        Profile::OpenAiStrict.apply_input(&remote),
        Err(ProfileError::UnresolvableRef { .. })
    ));
}

#[test]
fn openai_strict_requires_everything_and_closes_objects() {
    let out = Profile::OpenAiStrict.apply_input(&contact()).unwrap();
    let s = &out.schema;
    assert_eq!(s["additionalProperties"], json!(false));
    assert_eq!(s["required"], json!(["home", "name", "work"]));
    assert_eq!(s["properties"]["work"]["type"], json!(["object", "null"]));
    assert_eq!(
        s["properties"]["home"]["additionalProperties"],
        json!(false)
    );
    assert_eq!(s["properties"]["home"]["required"], json!(["street"]));
    assert_eq!(
        s["properties"]["home"]["properties"]["street"]["type"],
        json!(["string", "null"])
    );
    // OpenAI has no string lengths; optional non-null properties now take null.
    let notes: Vec<(&str, NoteKind)> = out
        .notes
        .iter()
        .map(|n| (n.pointer.as_str(), n.kind))
        .collect();
    assert_eq!(
        notes,
        [
            ("/properties/home/properties/street", NoteKind::Relaxed),
            ("/properties/name/anyOf/0", NoteKind::Relaxed),
            ("/properties/work/properties/street", NoteKind::Relaxed),
            ("/properties/work", NoteKind::Relaxed),
        ],
        "{:?}",
        out.notes
    );
    assert!(
        Profile::OpenAiStrict.violations(s).is_empty(),
        "{:?}",
        Profile::OpenAiStrict.violations(s)
    );
}

#[test]
fn openai_strict_empty_object_and_unsupported_constructs() {
    let out = input(Profile::OpenAiStrict, &json!({ "type": "object" }));
    assert_eq!(
        out,
        json!({ "type": "object", "properties": {}, "required": [], "additionalProperties": false })
    );
    let map = json!({ "type": "object", "properties": {
        "tags": { "type": "object", "additionalProperties": { "type": "string" } },
        "any": {},
        "choice": { "oneOf": [{ "type": "string" }, { "type": "integer" }] },
        "when": { "type": "string", "minLength": 2 }
    }});
    let out = Profile::OpenAiStrict.apply_input(&map).unwrap();
    let unsupported: Vec<&str> = out
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Unsupported)
        .map(|n| n.pointer.as_str())
        .collect();
    assert_eq!(unsupported, ["/properties/any", "/properties/tags"]);
    let relaxed: Vec<&str> = out
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Relaxed)
        .map(|n| n.message.as_str())
        .collect();
    // `oneOf` relaxed, `minLength` dropped, three optional properties made nullable (`any`
    // already accepts null).
    assert_eq!(relaxed.len(), 5, "{relaxed:?}");
    assert!(out.schema["properties"]["choice"]["anyOf"].is_array());
}

#[test]
fn gemini_uses_nullable_single_types_and_string_enums() {
    let schema = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "name": { "type": ["string", "null"] },
            "kind": { "const": "person" },
            "level": { "type": "integer", "enum": [1, 2], "format": "uint8", "exclusiveMinimum": 0 },
            "home": { "anyOf": [{ "type": "object", "properties": {} }, { "type": "null" }],
                "description": "Optional." },
            "either": { "type": ["string", "integer"] }
        }
    });
    let out = Profile::Gemini.apply_input(&schema).unwrap();
    let p = &out.schema["properties"];
    assert_eq!(p["name"], json!({ "type": "string", "nullable": true }));
    assert_eq!(p["kind"], json!({ "enum": ["person"] }));
    assert_eq!(p["level"], json!({ "type": "integer", "minimum": 0 }));
    assert_eq!(
        p["home"],
        json!({ "type": "object", "nullable": true, "description": "Optional." })
    );
    assert_eq!(
        p["either"],
        json!({ "anyOf": [{ "type": "string" }, { "type": "integer" }] })
    );
    assert!(out.schema.get("additionalProperties").is_none());
    assert!(Profile::Gemini.violations(&out.schema).is_empty());
}

#[test]
fn output_schemas_get_only_the_portable_rewrite() {
    let schema = json!({ "type": "object", "properties": { "a": { "type": "string" } } });
    for profile in [Profile::Portable, Profile::OpenAiStrict, Profile::Gemini] {
        assert_eq!(profile.apply_output(&schema).unwrap().schema, schema);
    }
}

#[test]
fn names_round_trip() {
    for profile in Profile::ALL {
        assert_eq!(profile.name().parse::<Profile>().unwrap(), profile);
        assert_eq!(
            serde_json::to_value(profile).unwrap(),
            json!(profile.name())
        );
    }
    assert!("openai".parse::<Profile>().is_err());
}

// ---- property tests -------------------------------------------------------------------------

/// A small deterministic generator (proptest supplies the seed, so failures replay).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({ "type": "string" })),
        Just(json!({ "type": "string", "maxLength": 3 })),
        Just(json!({ "type": "integer", "minimum": 0 })),
        Just(json!({ "type": "number" })),
        Just(json!({ "type": "boolean" })),
        Just(json!({ "type": "string", "enum": ["a", "b"] })),
        Just(json!({ "type": ["string", "null"] })),
        Just(json!({ "type": ["integer", "null"], "maximum": 9 })),
        Just(json!({ "const": "fixed" })),
        Just(json!({ "type": "string", "format": "date-time", "description": "When." })),
    ]
}

fn object_of(properties: Vec<(Value, bool)>) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for (i, (schema, is_required)) in properties.into_iter().enumerate() {
        let name = format!("p{i}");
        if is_required {
            required.push(Value::String(name.clone()));
        }
        props.insert(name, schema);
    }
    json!({ "type": "object", "properties": props, "required": required,
            "additionalProperties": false })
}

fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            inner
                .clone()
                .prop_map(|s| json!({ "type": "array", "items": s, "maxItems": 3 })),
            inner
                .clone()
                .prop_map(|s| json!({ "anyOf": [s, { "type": "null" }] })),
            prop::collection::vec((inner, any::<bool>()), 1..4).prop_map(object_of),
        ]
    })
}

/// A root object schema; with `defs`, its property schemas live in `$defs` behind `$ref`s.
fn root() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec((schema(), any::<bool>()), 0..4),
        any::<bool>(),
    )
        .prop_map(|(properties, defs)| {
            let mut root = object_of(properties);
            if defs {
                let mut definitions = Map::new();
                if let Some(Value::Object(props)) = root.get_mut("properties") {
                    for (name, schema) in props.iter_mut() {
                        let def = format!("D{name}");
                        definitions.insert(def.clone(), std::mem::take(schema));
                        *schema = json!({ "$ref": format!("#/$defs/{def}") });
                    }
                }
                root["$defs"] = Value::Object(definitions);
            }
            root
        })
}

/// An instance for `schema` (resolving refs against `root`), sometimes deliberately wrong.
fn instance(schema: &Value, root: &Value, rng: &mut Rng) -> Value {
    if let Some(Value::String(r)) = schema.get("$ref") {
        let target = root
            .pointer(r.trim_start_matches('#'))
            .cloned()
            .unwrap_or(Value::Null);
        return instance(&target, root, rng);
    }
    if rng.chance(4) {
        return [json!(null), json!("zz"), json!(7), json!({}), json!([1])][rng.below(5) as usize]
            .clone();
    }
    if let Some(c) = schema.get("const") {
        return c.clone();
    }
    if let Some(Value::Array(values)) = schema.get("enum") {
        return values[rng.below(values.len() as u64) as usize].clone();
    }
    if let Some(Value::Array(branches)) = schema.get("anyOf") {
        return instance(
            &branches[rng.below(branches.len() as u64) as usize],
            root,
            rng,
        );
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec!["string"],
    };
    match types[rng.below(types.len() as u64) as usize] {
        "null" => Value::Null,
        "string" => {
            let len = rng.below(5) as usize;
            Value::String("xyzab"[..len].to_owned())
        }
        "integer" => json!(rng.below(12) as i64 - 1),
        "number" => json!(rng.below(100) as f64 / 8.0),
        "boolean" => json!(rng.chance(50)),
        "array" => {
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            Value::Array(
                (0..rng.below(5))
                    .map(|_| instance(&items, root, rng))
                    .collect(),
            )
        }
        _ => {
            let mut out = Map::new();
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(Value::Object(props)) = schema.get("properties") {
                for (name, prop) in props {
                    let keep = if required.contains(&name.as_str()) {
                        !rng.chance(3)
                    } else {
                        rng.chance(50)
                    };
                    if keep {
                        out.insert(name.clone(), instance(prop, root, rng));
                    }
                }
            }
            Value::Object(out)
        }
    }
}

/// What an OpenAI-strict client sends for a canonical instance: every optional property that
/// was left out is `null`.
fn fill_nulls(value: &Value, strict: &Value) -> Value {
    match (value, strict) {
        (Value::Object(o), _) if strict.get("properties").is_some() => {
            let mut out = Map::new();
            if let Some(Value::Object(props)) = strict.get("properties") {
                for (name, prop) in props {
                    let v = o.get(name).map_or(Value::Null, |v| fill_nulls(v, prop));
                    out.insert(name.clone(), v);
                }
            }
            Value::Object(out)
        }
        (Value::Array(items), _) if strict.get("items").is_some() => Value::Array(
            items
                .iter()
                .map(|i| fill_nulls(i, &strict["items"]))
                .collect(),
        ),
        (_, _)
            if strict.get("anyOf").is_some() || strict.get("type").is_some_and(Value::is_array) =>
        {
            // Descend into the branch the value matches.
            let branches: Vec<Value> = match strict.get("anyOf") {
                Some(Value::Array(b)) => b.clone(),
                _ => vec![strict.clone()],
            };
            for branch in &branches {
                let filled = fill_nulls_single(value, branch);
                if jsonschema::is_valid(branch, &filled) {
                    return filled;
                }
            }
            value.clone()
        }
        _ => value.clone(),
    }
}

fn fill_nulls_single(value: &Value, branch: &Value) -> Value {
    // A union nested in a union (a nullable wrapped again): the client picks inside it too.
    if branch.get("anyOf").is_some() {
        return fill_nulls(value, branch);
    }
    fill_nulls(value, &strip_type_array(branch))
}

fn strip_type_array(schema: &Value) -> Value {
    let mut s = schema.clone();
    if let Some(Value::Array(_)) = s.get("type")
        && let Some(o) = s.as_object_mut()
    {
        o.remove("type");
    }
    s
}

/// Gemini's `nullable: true` read as JSON Schema, so a validator can judge the rewrite.
fn gemini_as_json_schema(schema: &Value) -> Value {
    crate::schema::keywords::map_schemas(schema, "", &mut |mut node, _| {
        if node.remove("nullable") == Some(Value::Bool(true)) {
            let inner = Value::Object(std::mem::take(&mut node));
            return Ok::<_, ()>(json!({ "anyOf": [inner, { "type": "null" }] }));
        }
        Ok(Value::Object(node))
    })
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn portable_accepts_exactly_what_canonical_accepts(root in root(), seed in 1..u64::MAX) {
        let portable = input(Profile::Portable, &root);
        prop_assert!(Profile::Portable.violations(&portable).is_empty());
        let canonical = jsonschema::draft202012::new(&root).unwrap();
        let rewritten = jsonschema::draft202012::new(&portable).unwrap();
        let mut rng = Rng(seed);
        for _ in 0..16 {
            let i = instance(&root, &root, &mut rng);
            prop_assert_eq!(canonical.is_valid(&i), rewritten.is_valid(&i), "instance {}", i);
        }
    }

    #[test]
    fn openai_strict_accepts_every_canonical_call(root in root(), seed in 1..u64::MAX) {
        let profiled = Profile::OpenAiStrict.apply_input(&root).unwrap();
        let strict = profiled.schema;
        prop_assert!(
            Profile::OpenAiStrict.violations(&strict).is_empty(),
            "{:?}", Profile::OpenAiStrict.violations(&strict)
        );
        let canonical = jsonschema::draft202012::new(&root).unwrap();
        let rewritten = jsonschema::draft202012::new(&strict).unwrap();
        let mut rng = Rng(seed);
        for _ in 0..16 {
            let i = instance(&root, &root, &mut rng);
            if canonical.is_valid(&i) {
                let sent = fill_nulls(&i, &strict);
                prop_assert!(rewritten.is_valid(&sent), "canonical {} sent as {} in {}", i, sent, strict);
            }
        }
    }

    #[test]
    fn gemini_accepts_every_canonical_call(root in root(), seed in 1..u64::MAX) {
        let gemini = input(Profile::Gemini, &root);
        prop_assert!(Profile::Gemini.violations(&gemini).is_empty());
        let canonical = jsonschema::draft202012::new(&root).unwrap();
        let rewritten = jsonschema::draft202012::new(&gemini_as_json_schema(&gemini)).unwrap();
        let mut rng = Rng(seed);
        for _ in 0..16 {
            let i = instance(&root, &root, &mut rng);
            if canonical.is_valid(&i) {
                prop_assert!(rewritten.is_valid(&i), "instance {} in {}", i, gemini);
            }
        }
    }
}
