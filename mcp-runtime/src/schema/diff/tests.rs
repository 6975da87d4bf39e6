//! One test per rule: the smallest change that triggers it, and its severity.

#![allow(
    clippy::needless_pass_by_value,
    reason = "helpers take `json!` literals"
)]

use serde_json::{Value, json};

use super::*;
use crate::schema::Profile;

fn export(tools: Value) -> Export {
    let mut names: Vec<String> = tools.as_object().unwrap().keys().cloned().collect();
    names.sort();
    serde_json::from_value(json!({
        "format": 1,
        "gateways": { "default": { "path": "/mcp", "profile": "canonical", "tools": names } },
        "tools": tools,
    }))
    .unwrap()
}

fn tool(input: Value) -> Value {
    json!({
        "name": "t", "description": "A tool.", "scopes": [], "gateways": [],
        "clientCapabilities": [], "inputSchema": input,
    })
}

fn with_output(output: Value) -> Value {
    let mut t = tool(json!({ "type": "object" }));
    t["outputSchema"] = output;
    t
}

/// The single change between two versions of tool `t`.
fn only(old: Value, new: Value) -> Change {
    let changes = diff(&export(json!({ "t": old })), &export(json!({ "t": new })));
    assert_eq!(changes.len(), 1, "{changes:#?}");
    changes.into_iter().next().unwrap()
}

fn input_change(old: Value, new: Value) -> (Rule, Severity) {
    let c = only(tool(old), tool(new));
    (c.rule, c.severity)
}

fn output_change(old: Value, new: Value) -> (Rule, Severity) {
    let c = only(with_output(old), with_output(new));
    (c.rule, c.severity)
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({ "type": "object", "properties": properties, "required": required })
}

use Rule::*;
use Severity::{Additive, Breaking};

#[test]
fn identical_exports_have_no_changes() {
    let e = export(json!({ "t": tool(object(json!({"a": {"type": "string"}}), &["a"])) }));
    assert!(diff(&e, &e).is_empty());
}

#[test]
fn tool_removed_is_breaking_and_suggests_a_rename() {
    let old = export(json!({ "t": tool(json!({"type": "object"})) }));
    let mut renamed = tool(json!({"type": "object"}));
    renamed["name"] = json!("u");
    let new = export(json!({ "u": renamed }));
    let changes = diff(&old, &new);
    let removed = changes.iter().find(|c| c.rule == ToolRemoved).unwrap();
    assert_eq!(removed.severity, Breaking);
    assert!(
        removed.detail.contains("renamed to `u`"),
        "{}",
        removed.detail
    );
    let added = changes.iter().find(|c| c.rule == ToolAdded).unwrap();
    assert_eq!(added.severity, Additive);
    // The gateway lists change too.
    assert!(
        changes
            .iter()
            .any(|c| c.rule == ToolLeftGateway && c.severity == Breaking)
    );
    assert!(
        changes
            .iter()
            .any(|c| c.rule == ToolJoinedGateway && c.severity == Additive)
    );
}

#[test]
fn title_and_description_changes_are_additive() {
    let mut new = tool(json!({"type": "object"}));
    new["description"] = json!("Another text.");
    let c = only(tool(json!({"type": "object"})), new.clone());
    assert_eq!((c.rule, c.severity), (DescriptionChanged, Additive));
    let mut titled = new.clone();
    titled["title"] = json!("T");
    let c = only(new, titled);
    assert_eq!((c.rule, c.severity), (TitleChanged, Additive));
}

#[test]
fn scopes_and_capabilities() {
    let base = tool(json!({"type": "object"}));
    let mut scoped = base.clone();
    scoped["scopes"] = json!(["crm.read"]);
    assert_eq!(only(base.clone(), scoped.clone()).rule, ScopeAdded);
    assert_eq!(only(base.clone(), scoped.clone()).severity, Breaking);
    assert_eq!(only(scoped, base.clone()).severity, Additive);
    let mut capable = base.clone();
    capable["clientCapabilities"] = json!(["sampling"]);
    let c = only(base.clone(), capable.clone());
    assert_eq!((c.rule, c.severity), (CapabilityAdded, Breaking));
    let c = only(capable, base);
    assert_eq!((c.rule, c.severity), (CapabilityRemoved, Additive));
}

#[test]
fn hints_weakened_are_breaking_strengthened_additive() {
    let base = tool(json!({"type": "object"}));
    let mut read_only = base.clone();
    read_only["annotations"] = json!({ "readOnlyHint": true });
    let c = only(read_only.clone(), base.clone());
    assert_eq!((c.rule, c.severity), (HintWeakened, Breaking));
    let c = only(base.clone(), read_only);
    assert_eq!((c.rule, c.severity), (HintChanged, Additive));
    let mut destructive = base.clone();
    destructive["annotations"] = json!({ "destructiveHint": false });
    let c = only(destructive, base);
    assert_eq!((c.rule, c.severity), (HintWeakened, Breaking));
}

#[test]
fn gateway_changes() {
    let old = export(json!({ "t": tool(json!({"type": "object"})) }));
    let mut moved = old.clone();
    moved.gateways.get_mut("default").unwrap().path = "/v2/mcp".into();
    assert_eq!(diff(&old, &moved)[0].rule, GatewayPathChanged);
    assert_eq!(diff(&old, &moved)[0].severity, Breaking);
    let mut profiled = old.clone();
    profiled.gateways.get_mut("default").unwrap().profile = Profile::Portable;
    assert_eq!(diff(&old, &profiled)[0].rule, GatewayProfileChanged);
    let mut more = old.clone();
    let extra = more.gateways["default"].clone();
    more.gateways.insert("public".into(), extra);
    let c = &diff(&old, &more)[0];
    assert_eq!((c.rule, c.severity), (GatewayAdded, Additive));
    let c = &diff(&more, &old)[0];
    assert_eq!((c.rule, c.severity), (GatewayRemoved, Breaking));
}

#[test]
fn gateway_tags_alone_are_additive() {
    let base = tool(json!({"type": "object"}));
    let mut tagged = base.clone();
    tagged["gateways"] = json!(["default"]);
    let c = only(base, tagged);
    assert_eq!((c.rule, c.severity), (TagsChanged, Additive));
}

#[test]
fn output_schema_added_and_removed() {
    let base = tool(json!({"type": "object"}));
    let structured = with_output(json!({"type": "object"}));
    let c = only(base.clone(), structured.clone());
    assert_eq!((c.rule, c.severity), (OutputSchemaAdded, Additive));
    let c = only(structured, base);
    assert_eq!((c.rule, c.severity), (OutputSchemaRemoved, Breaking));
}

#[test]
fn properties_in_input_schemas() {
    let a = json!({"a": {"type": "string"}});
    let ab = json!({"a": {"type": "string"}, "b": {"type": "string"}});
    assert_eq!(
        input_change(object(a.clone(), &["a"]), object(ab.clone(), &["a", "b"])),
        (RequiredPropertyAdded, Breaking)
    );
    assert_eq!(
        input_change(object(a.clone(), &["a"]), object(ab.clone(), &["a"])),
        (OptionalPropertyAdded, Additive)
    );
    assert_eq!(
        input_change(object(ab.clone(), &["a"]), object(a.clone(), &["a"])),
        (PropertyRemoved, Breaking)
    );
    assert_eq!(
        input_change(object(ab.clone(), &["a"]), object(ab.clone(), &["a", "b"])),
        (PropertyBecameRequired, Breaking)
    );
    assert_eq!(
        input_change(object(ab.clone(), &["a", "b"]), object(ab, &["a"])),
        (PropertyBecameOptional, Additive)
    );
}

#[test]
fn properties_in_output_schemas() {
    let a = json!({"a": {"type": "string"}});
    let ab = json!({"a": {"type": "string"}, "b": {"type": "string"}});
    assert_eq!(
        output_change(object(ab.clone(), &["a"]), object(a.clone(), &["a"])),
        (PropertyRemoved, Breaking)
    );
    assert_eq!(
        output_change(object(a.clone(), &["a"]), object(ab.clone(), &["a", "b"])),
        (RequiredPropertyAdded, Additive)
    );
    assert_eq!(
        output_change(object(ab.clone(), &["a", "b"]), object(ab.clone(), &["a"])),
        (PropertyBecameOptional, Breaking)
    );
    assert_eq!(
        output_change(object(ab.clone(), &["a"]), object(ab, &["a", "b"])),
        (PropertyBecameRequired, Additive)
    );
}

fn prop(schema: Value) -> Value {
    object(json!({ "x": schema }), &["x"])
}

#[test]
fn types_narrowed_and_widened() {
    let narrowed = (
        prop(json!({"type": ["string", "null"]})),
        prop(json!({"type": "string"})),
    );
    assert_eq!(
        input_change(narrowed.0.clone(), narrowed.1.clone()),
        (TypeNarrowed, Breaking)
    );
    assert_eq!(
        output_change(narrowed.0.clone(), narrowed.1.clone()),
        (TypeNarrowed, Additive)
    );
    assert_eq!(
        input_change(narrowed.1.clone(), narrowed.0.clone()),
        (TypeWidened, Additive)
    );
    assert_eq!(
        output_change(narrowed.1, narrowed.0),
        (TypeWidened, Breaking)
    );
    // integer -> number accepts more; number -> integer accepts less.
    let (int, num) = (
        prop(json!({"type": "integer"})),
        prop(json!({"type": "number"})),
    );
    assert_eq!(
        input_change(int.clone(), num.clone()),
        (TypeWidened, Additive)
    );
    assert_eq!(input_change(num, int), (TypeNarrowed, Breaking));
    // No `type` means any type.
    assert_eq!(
        input_change(prop(json!({})), prop(json!({"type": "string"}))),
        (TypeNarrowed, Breaking)
    );
}

#[test]
fn enum_values() {
    let ab = prop(json!({"type": "string", "enum": ["a", "b"]}));
    let a = prop(json!({"type": "string", "enum": ["a"]}));
    assert_eq!(
        input_change(ab.clone(), a.clone()),
        (EnumValueRemoved, Breaking)
    );
    assert_eq!(
        output_change(ab.clone(), a.clone()),
        (EnumValueRemoved, Additive)
    );
    assert_eq!(
        input_change(a.clone(), ab.clone()),
        (EnumValueAdded, Additive)
    );
    assert_eq!(output_change(a, ab), (EnumValueAdded, Breaking));
    // `const` is a one-value enum.
    let changes = diff(
        &export(json!({ "t": tool(prop(json!({"const": "a"}))) })),
        &export(json!({ "t": tool(prop(json!({"const": "b"}))) })),
    );
    let rules: Vec<(Rule, Severity)> = changes.iter().map(|c| (c.rule, c.severity)).collect();
    assert_eq!(
        rules,
        [(EnumValueRemoved, Breaking), (EnumValueAdded, Additive)]
    );
}

#[test]
fn constraints_tightened_and_loosened() {
    let cases = [
        (
            json!({"type": "integer"}),
            json!({"type": "integer", "minimum": 1}),
        ),
        (
            json!({"type": "integer", "maximum": 10}),
            json!({"type": "integer", "maximum": 5}),
        ),
        (
            json!({"type": "string", "maxLength": 10}),
            json!({"type": "string", "maxLength": 3}),
        ),
        (
            json!({"type": "string"}),
            json!({"type": "string", "pattern": "^a"}),
        ),
        (
            json!({"type": "string"}),
            json!({"type": "string", "enum": ["a"]}),
        ),
        (
            json!({"type": "array"}),
            json!({"type": "array", "items": {"type": "string"}}),
        ),
    ];
    for (loose, tight) in cases {
        assert_eq!(
            input_change(prop(loose.clone()), prop(tight.clone())),
            (ConstraintTightened, Breaking),
            "{loose} -> {tight}"
        );
        assert_eq!(
            input_change(prop(tight.clone()), prop(loose.clone())),
            (ConstraintLoosened, Additive),
            "{tight} -> {loose}"
        );
        assert_eq!(
            output_change(prop(tight), prop(loose)),
            (ConstraintLoosened, Breaking)
        );
    }
}

#[test]
fn additional_properties() {
    let open = json!({"type": "object"});
    let closed = json!({"type": "object", "additionalProperties": false});
    assert_eq!(
        input_change(open.clone(), closed.clone()),
        (AdditionalPropertiesRestricted, Breaking)
    );
    assert_eq!(
        input_change(closed.clone(), open.clone()),
        (AdditionalPropertiesAllowed, Additive)
    );
    assert_eq!(
        output_change(closed, open),
        (AdditionalPropertiesAllowed, Additive)
    );
}

#[test]
fn documentation_inside_schemas_is_additive() {
    assert_eq!(
        input_change(
            prop(json!({"type": "string", "description": "old"})),
            prop(json!({"type": "string", "description": "new"}))
        ),
        (DocumentationChanged, Additive)
    );
}

#[test]
fn unclassifiable_changes_are_breaking() {
    let a = json!({"type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]}});
    let b = json!({"type": "object", "if": {"required": ["a"]}, "then": {"required": ["c"]}});
    assert_eq!(input_change(a, b).1, Breaking);
    let a = prop(json!({"type": "string", "pattern": "^a"}));
    let b = prop(json!({"type": "string", "pattern": "^b"}));
    assert_eq!(input_change(a, b), (SchemaChanged, Breaking));
}

#[test]
fn renaming_a_definition_is_not_a_change() {
    let a = json!({
        "type": "object",
        "properties": { "p": { "$ref": "#/$defs/Point" } },
        "$defs": { "Point": { "type": "object", "properties": { "x": { "type": "number" } } } }
    });
    let b = json!({
        "type": "object",
        "properties": { "p": { "$ref": "#/$defs/Coordinates" } },
        "$defs": { "Coordinates": { "type": "object", "properties": { "x": { "type": "number" } } } }
    });
    let e = |s: Value| export(json!({ "t": tool(s) }));
    // Only the text differs: one additive `other`, so the snapshot gets refreshed.
    let changes = diff(&e(a), &e(b));
    let rules: Vec<(Rule, Severity)> = changes.iter().map(|c| (c.rule, c.severity)).collect();
    assert_eq!(rules, [(Other, Additive)], "{changes:#?}");
}

#[test]
fn changes_inside_nullable_unions_are_classified() {
    let old = prop(
        json!({"anyOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "null"}]}),
    );
    let new = prop(json!({"anyOf": [{"type": "object", "properties": {}}, {"type": "null"}]}));
    let c = only(tool(old), tool(new));
    assert_eq!((c.rule, c.severity), (PropertyRemoved, Breaking));
    assert_eq!(c.pointer, "/inputSchema/properties/x/anyOf/0/properties/a");
}

#[test]
fn every_rule_has_a_unique_name() {
    let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), Rule::ALL.len());
}

#[test]
fn display_names_tool_pointer_and_rule() {
    let c = only(
        tool(object(json!({"a": {"type": "string"}}), &[])),
        tool(object(json!({}), &[])),
    );
    assert_eq!(
        c.to_string(),
        "BREAKING tool `t` /inputSchema/properties/a: property `a` removed [property-removed]"
    );
}
