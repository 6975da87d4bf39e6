//! Semantic diff of two exports: every change is breaking or additive by a named rule.
//!
//! Input schemas are compared contravariantly (the new schema must accept every call the old
//! one accepted), output schemas covariantly (the new `structuredContent` must still satisfy
//! what clients were promised). Schemas are compared after inlining local `$ref`s, so renaming
//! a `$defs` entry is not a change. A change the classifier cannot order (e.g. an edited
//! `allOf`) is [`Rule::SchemaChanged`], breaking, for a person to review.

use std::{collections::BTreeSet, fmt};

use serde_json::{Map, Value};

use super::{
    Export,
    export::ToolExport,
    keywords::{self, ANNOTATIONS},
    profile::inline_refs,
};

/// Whether a change can break existing clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Existing clients keep working (new tool, new optional property, doc change, …).
    Additive,
    /// An existing client may fail (tool removed, required property added, …).
    Breaking,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Additive => "additive",
            Self::Breaking => "BREAKING",
        })
    }
}

/// Which schema of a tool a change is in; decides the direction of schema rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Input,
    Output,
}

macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $input:ident, $output:ident; )*) => {
        /// A classification rule. Schema rules have a severity per side: input schemas are
        /// contravariant, output schemas covariant (see [`Rule::severity`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Rule {
            $( $(#[$doc])* $variant, )*
        }

        impl Rule {
            /// Every rule, in table order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The rule's kebab-case name, as printed in diffs.
            pub const fn name(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }

            /// `(in an input schema or at tool level, in an output schema)`.
            pub const fn severity(self) -> (Severity, Severity) {
                match self { $(Self::$variant => (Severity::$input, Severity::$output),)* }
            }
        }
    };
}

rules! {
    /// A tool is gone (or renamed: the old name is gone).
    ToolRemoved = "tool-removed", Breaking, Breaking;
    /// A new tool.
    ToolAdded = "tool-added", Additive, Additive;
    /// The display title changed.
    TitleChanged = "title-changed", Additive, Additive;
    /// The description changed.
    DescriptionChanged = "description-changed", Additive, Additive;
    /// Callers need a new OAuth scope.
    ScopeAdded = "scope-added", Breaking, Breaking;
    /// A scope is no longer needed.
    ScopeRemoved = "scope-removed", Additive, Additive;
    /// The tool needs a new client capability.
    CapabilityAdded = "client-capability-added", Breaking, Breaking;
    /// A client capability is no longer needed.
    CapabilityRemoved = "client-capability-removed", Additive, Additive;
    /// A behaviour hint moved away from its safe value (read-only, non-destructive,
    /// idempotent, closed-world): clients that auto-approved the tool may now be wrong.
    HintWeakened = "hint-weakened", Breaking, Breaking;
    /// A behaviour hint changed towards its safe value, or was spelled out.
    HintChanged = "hint-changed", Additive, Additive;
    /// A gateway is no longer mounted.
    GatewayRemoved = "gateway-removed", Breaking, Breaking;
    /// A new gateway.
    GatewayAdded = "gateway-added", Additive, Additive;
    /// A gateway moved to another path.
    GatewayPathChanged = "gateway-path-changed", Breaking, Breaking;
    /// A gateway serves another schema profile: its clients see different schemas.
    GatewayProfileChanged = "gateway-profile-changed", Breaking, Breaking;
    /// A gateway no longer serves a tool.
    ToolLeftGateway = "tool-left-gateway", Breaking, Breaking;
    /// A gateway serves one more tool.
    ToolJoinedGateway = "tool-joined-gateway", Additive, Additive;
    /// The tool's gateway tags changed without changing what any gateway serves.
    TagsChanged = "gateway-tags-changed", Additive, Additive;
    /// The tool has no `outputSchema` any more.
    OutputSchemaRemoved = "output-schema-removed", Breaking, Breaking;
    /// The tool now declares an `outputSchema`.
    OutputSchemaAdded = "output-schema-added", Additive, Additive;
    /// A property is gone (input: calls sending it fail; output: clients reading it fail).
    PropertyRemoved = "property-removed", Breaking, Breaking;
    /// A new property that is required.
    RequiredPropertyAdded = "required-property-added", Breaking, Additive;
    /// A new optional property.
    OptionalPropertyAdded = "optional-property-added", Additive, Additive;
    /// An existing property became required.
    PropertyBecameRequired = "property-became-required", Breaking, Additive;
    /// An existing property became optional.
    PropertyBecameOptional = "property-became-optional", Additive, Breaking;
    /// Fewer JSON types are accepted.
    TypeNarrowed = "type-narrowed", Breaking, Additive;
    /// More JSON types are accepted.
    TypeWidened = "type-widened", Additive, Breaking;
    /// An `enum` (or `const`) value is gone.
    EnumValueRemoved = "enum-value-removed", Breaking, Additive;
    /// An `enum` value is new.
    EnumValueAdded = "enum-value-added", Additive, Breaking;
    /// A bound, length, pattern, format or `enum` was added or made stricter.
    ConstraintTightened = "constraint-tightened", Breaking, Additive;
    /// A bound, length, pattern, format or `enum` was removed or relaxed.
    ConstraintLoosened = "constraint-loosened", Additive, Breaking;
    /// Unknown properties are no longer accepted (`additionalProperties: false`).
    AdditionalPropertiesRestricted = "additional-properties-restricted", Breaking, Additive;
    /// Unknown properties are accepted now.
    AdditionalPropertiesAllowed = "additional-properties-allowed", Additive, Additive;
    /// A title, description, default or example inside a schema changed.
    DocumentationChanged = "documentation-changed", Additive, Additive;
    /// A change the classifier cannot order (composition keywords, conditionals, a changed
    /// pattern, …): breaking until a person says otherwise.
    SchemaChanged = "schema-changed", Breaking, Breaking;
    /// The source location changed (only with locations exported).
    LocationChanged = "location-changed", Additive, Additive;
    /// The documents differ outside the contract (e.g. the format version).
    Other = "other", Additive, Additive;
}

/// One classified difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Breaking or additive.
    pub severity: Severity,
    /// The rule that classified it.
    pub rule: Rule,
    /// The tool it is in, if any.
    pub tool: Option<String>,
    /// The gateway it is about, if any.
    pub gateway: Option<String>,
    /// JSON pointer inside the tool (e.g. `/inputSchema/properties/a`) or the gateway.
    pub pointer: String,
    /// What changed, for people.
    pub detail: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<9}", self.severity.to_string())?;
        match (&self.tool, &self.gateway) {
            (Some(tool), _) => write!(f, "tool `{tool}`")?,
            (None, Some(gateway)) => write!(f, "gateway `{gateway}`")?,
            (None, None) => f.write_str("document")?,
        }
        if !self.pointer.is_empty() {
            write!(f, " {}", self.pointer)?;
        }
        write!(f, ": {} [{}]", self.detail, self.rule.name())
    }
}

/// Every difference from `old` to `new`, classified; tools and gateways in name order,
/// breaking and additive interleaved as found.
///
/// ```
/// use mcp_runtime::schema::{Export, Rule, Severity, diff};
/// use serde_json::json;
///
/// let old: Export = serde_json::from_value(json!({
///     "format": 1,
///     "gateways": { "default": { "path": "/mcp", "profile": "canonical", "tools": ["add"] } },
///     "tools": { "add": {
///         "name": "add", "description": "Adds.", "scopes": [], "gateways": [],
///         "clientCapabilities": [],
///         "inputSchema": { "type": "object", "properties": { "a": { "type": "integer" } } }
///     } }
/// }))?;
/// let mut new = old.clone();
/// new.tools.get_mut("add").unwrap().input_schema["required"] = json!(["a"]);
/// let changes = diff(&old, &new);
/// assert_eq!(changes[0].rule, Rule::PropertyBecameRequired);
/// assert_eq!(changes[0].severity, Severity::Breaking);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn diff(old: &Export, new: &Export) -> Vec<Change> {
    let mut cx = Cx::default();
    if old.format != new.format {
        cx.push(
            Rule::Other,
            None,
            "",
            format!("format {} became {}", old.format, new.format),
        );
    }
    diff_gateways(old, new, &mut cx);
    let names: BTreeSet<&String> = old.tools.keys().chain(new.tools.keys()).collect();
    for name in names {
        cx.tool = Some(name.clone());
        match (old.tools.get(name), new.tools.get(name)) {
            (Some(o), Some(n)) => diff_tool(o, n, &mut cx),
            (Some(o), None) => {
                let renamed = new
                    .tools
                    .values()
                    .find(|t| !old.tools.contains_key(&t.name) && t.input_schema == o.input_schema)
                    .map(|t| format!(" (renamed to `{}`?)", t.name))
                    .unwrap_or_default();
                cx.push(
                    Rule::ToolRemoved,
                    None,
                    "",
                    format!("tool removed{renamed}"),
                );
            }
            (None, Some(_)) => cx.push(Rule::ToolAdded, None, "", "new tool".to_owned()),
            (None, None) => {}
        }
    }
    cx.tool = None;
    if cx.changes.is_empty() && old != new {
        cx.push(
            Rule::Other,
            None,
            "",
            "the documents differ outside the schema contract".to_owned(),
        );
    }
    cx.changes
}

#[derive(Default)]
struct Cx {
    tool: Option<String>,
    gateway: Option<String>,
    changes: Vec<Change>,
}

impl Cx {
    fn push(&mut self, rule: Rule, side: Option<Side>, pointer: &str, detail: String) {
        let (input, output) = rule.severity();
        let severity = if side == Some(Side::Output) {
            output
        } else {
            input
        };
        self.changes.push(Change {
            severity,
            rule,
            tool: self.tool.clone(),
            gateway: self.gateway.clone(),
            pointer: pointer.to_owned(),
            detail,
        });
    }
}

fn diff_gateways(old: &Export, new: &Export, cx: &mut Cx) {
    let names: BTreeSet<&String> = old.gateways.keys().chain(new.gateways.keys()).collect();
    for name in names {
        cx.gateway = Some(name.clone());
        match (old.gateways.get(name), new.gateways.get(name)) {
            (Some(o), Some(n)) => {
                if o.path != n.path {
                    let detail = format!("path `{}` became `{}`", o.path, n.path);
                    cx.push(Rule::GatewayPathChanged, None, "/path", detail);
                }
                if o.profile != n.profile {
                    let detail = format!("profile `{}` became `{}`", o.profile, n.profile);
                    cx.push(Rule::GatewayProfileChanged, None, "/profile", detail);
                }
                for tool in o.tools.iter().filter(|t| !n.tools.contains(t)) {
                    let detail = format!("no longer serves `{tool}`");
                    cx.push(Rule::ToolLeftGateway, None, "/tools", detail);
                }
                for tool in n.tools.iter().filter(|t| !o.tools.contains(t)) {
                    let detail = format!("now serves `{tool}`");
                    cx.push(Rule::ToolJoinedGateway, None, "/tools", detail);
                }
            }
            (Some(_), None) => cx.push(Rule::GatewayRemoved, None, "", "gateway removed".into()),
            (None, Some(_)) => cx.push(Rule::GatewayAdded, None, "", "new gateway".into()),
            (None, None) => {}
        }
    }
    cx.gateway = None;
}

fn diff_tool(o: &ToolExport, n: &ToolExport, cx: &mut Cx) {
    if o.title != n.title {
        cx.push(Rule::TitleChanged, None, "/title", "title changed".into());
    }
    if o.description != n.description {
        let detail = "description changed".into();
        cx.push(Rule::DescriptionChanged, None, "/description", detail);
    }
    diff_list(
        &o.scopes,
        &n.scopes,
        "/scopes",
        "scope",
        Rule::ScopeAdded,
        Rule::ScopeRemoved,
        cx,
    );
    diff_list(
        &o.client_capabilities,
        &n.client_capabilities,
        "/clientCapabilities",
        "client capability",
        Rule::CapabilityAdded,
        Rule::CapabilityRemoved,
        cx,
    );
    diff_hints(o, n, cx);
    if o.gateways != n.gateways {
        let detail = format!("gateway tags {:?} became {:?}", o.gateways, n.gateways);
        cx.push(Rule::TagsChanged, None, "/gateways", detail);
    }
    if o.location != n.location {
        cx.push(Rule::LocationChanged, None, "/location", "moved".into());
    }
    schema(
        &normal(&o.input_schema),
        &normal(&n.input_schema),
        Side::Input,
        "/inputSchema",
        cx,
    );
    match (&o.output_schema, &n.output_schema) {
        (Some(os), Some(ns)) => {
            schema(&normal(os), &normal(ns), Side::Output, "/outputSchema", cx);
        }
        (Some(_), None) => {
            let detail = "no outputSchema (and no structuredContent) any more".into();
            cx.push(Rule::OutputSchemaRemoved, None, "/outputSchema", detail);
        }
        (None, Some(_)) => {
            let detail = "now declares an outputSchema".into();
            cx.push(Rule::OutputSchemaAdded, None, "/outputSchema", detail);
        }
        (None, None) => {}
    }
}

#[allow(clippy::too_many_arguments, reason = "a private helper called twice")]
fn diff_list(
    old: &[String],
    new: &[String],
    pointer: &str,
    what: &str,
    added: Rule,
    removed: Rule,
    cx: &mut Cx,
) {
    for item in new.iter().filter(|s| !old.contains(s)) {
        cx.push(added, None, pointer, format!("{what} `{item}` added"));
    }
    for item in old.iter().filter(|s| !new.contains(s)) {
        cx.push(removed, None, pointer, format!("{what} `{item}` removed"));
    }
}

/// `(name, spec default, safe value)` of each behaviour hint.
const HINTS: [(&str, bool, bool); 4] = [
    ("readOnlyHint", false, true),
    ("destructiveHint", true, false),
    ("idempotentHint", false, true),
    ("openWorldHint", true, false),
];

fn diff_hints(o: &ToolExport, n: &ToolExport, cx: &mut Cx) {
    for (name, default, safe) in HINTS {
        let (was, is) = (o.annotations.get(name), n.annotations.get(name));
        if was == is {
            continue;
        }
        let pointer = format!("/annotations/{name}");
        let show = |v: Option<&bool>| v.map_or("unset".to_owned(), bool::to_string);
        let detail = format!("`{name}` {} became {}", show(was), show(is));
        let weakened = *was.unwrap_or(&default) == safe && *is.unwrap_or(&default) != safe;
        let rule = if weakened {
            Rule::HintWeakened
        } else {
            Rule::HintChanged
        };
        cx.push(rule, None, &pointer, detail);
    }
}

/// The form schemas are compared in: `$ref`s inlined, identifiers dropped, `const` as a
/// one-value `enum`. A schema whose refs cannot be inlined is compared as written.
fn normal(schema: &Value) -> Value {
    let inlined = inline_refs(schema);
    let dropped: &[&str] = if inlined.is_ok() {
        &[
            "$schema",
            "$id",
            "$anchor",
            "$defs",
            "definitions",
            "$comment",
        ]
    } else {
        &["$schema", "$comment"]
    };
    let base = inlined.unwrap_or_else(|_| schema.clone());
    let result = keywords::map_schemas(&base, "", &mut |mut node, _| {
        for key in dropped {
            node.remove(*key);
        }
        if let Some(c) = node.remove("const") {
            node.insert("enum".into(), Value::Array(vec![c]));
        }
        Ok::<_, std::convert::Infallible>(Value::Object(node))
    });
    match result {
        Ok(v) => v,
        Err(never) => match never {},
    }
}

/// Lower bounds: a larger value is stricter.
const LOWER: &[&str] = &[
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
    "minContains",
];
/// Upper bounds: a smaller value is stricter.
const UPPER: &[&str] = &[
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
    "maxContains",
];
/// Constraints that are stricter when present, but cannot be ordered when changed.
const UNORDERED: &[&str] = &["pattern", "format", "multipleOf", "uniqueItems"];
/// Keywords handled explicitly.
const HANDLED: &[&str] = &[
    "type",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
];

fn schema(old: &Value, new: &Value, side: Side, pointer: &str, cx: &mut Cx) {
    if old == new {
        return;
    }
    let (Value::Object(o), Value::Object(n)) = (old, new) else {
        let detail = format!("schema `{old}` became `{new}`");
        cx.push(Rule::SchemaChanged, Some(side), pointer, detail);
        return;
    };
    diff_types(o, n, side, pointer, cx);
    diff_enum(o, n, side, pointer, cx);
    diff_properties(o, n, side, pointer, cx);
    diff_additional(o, n, side, pointer, cx);
    match (o.get("items"), n.get("items")) {
        (Some(a), Some(b)) => schema(a, b, side, &keywords::child(pointer, "items"), cx),
        (None, Some(_)) => {
            let detail = "`items` added".into();
            cx.push(Rule::ConstraintTightened, Some(side), pointer, detail);
        }
        (Some(_), None) => {
            let detail = "`items` removed".into();
            cx.push(Rule::ConstraintLoosened, Some(side), pointer, detail);
        }
        (None, None) => {}
    }
    let keys: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
    for key in keys {
        let (a, b) = (o.get(key.as_str()), n.get(key.as_str()));
        if a == b || HANDLED.contains(&key.as_str()) {
            continue;
        }
        let here = keywords::child(pointer, key);
        if ANNOTATIONS.contains(&key.as_str()) {
            let detail = format!("`{key}` changed");
            cx.push(Rule::DocumentationChanged, Some(side), &here, detail);
        } else if LOWER.contains(&key.as_str()) || UPPER.contains(&key.as_str()) {
            diff_bound(key, a, b, side, &here, cx);
        } else if UNORDERED.contains(&key.as_str()) {
            let (rule, detail) = match (a, b) {
                (None, Some(b)) => (Rule::ConstraintTightened, format!("`{key}: {b}` added")),
                (Some(a), None) => (Rule::ConstraintLoosened, format!("`{key}: {a}` removed")),
                _ => (Rule::SchemaChanged, format!("`{key}` changed")),
            };
            cx.push(rule, Some(side), &here, detail);
        } else if let (Some(Value::Array(a)), Some(Value::Array(b))) = (a, b)
            && a.len() == b.len()
            && keywords::ARRAY.contains(&key.as_str())
        {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                schema(x, y, side, &keywords::child(&here, &i.to_string()), cx);
            }
        } else {
            let detail = format!("`{key}` changed; review by hand");
            cx.push(Rule::SchemaChanged, Some(side), &here, detail);
        }
    }
}

/// The JSON types a schema accepts; `None` for any.
fn type_set(schema: &Map<String, Value>) -> Option<BTreeSet<String>> {
    schema.get("type").map(|_| {
        keywords::types(schema)
            .into_iter()
            .map(str::to_owned)
            .collect()
    })
}

fn covers(set: &Option<BTreeSet<String>>, ty: &str) -> bool {
    match set {
        None => true,
        Some(set) => set.contains(ty) || (ty == "integer" && set.contains("number")),
    }
}

fn diff_types(o: &Map<String, Value>, n: &Map<String, Value>, side: Side, p: &str, cx: &mut Cx) {
    let (ot, nt) = (type_set(o), type_set(n));
    if ot == nt {
        return;
    }
    let here = keywords::child(p, "type");
    let show = |t: &Option<BTreeSet<String>>| {
        t.as_ref().map_or("any".to_owned(), |t| {
            t.iter().cloned().collect::<Vec<_>>().join("|")
        })
    };
    let all = [
        "null", "boolean", "object", "array", "number", "string", "integer",
    ];
    let lost = all.iter().any(|t| covers(&ot, t) && !covers(&nt, t));
    let gained = all.iter().any(|t| !covers(&ot, t) && covers(&nt, t));
    let detail = format!("type {} became {}", show(&ot), show(&nt));
    if lost {
        cx.push(Rule::TypeNarrowed, Some(side), &here, detail.clone());
    }
    if gained {
        cx.push(Rule::TypeWidened, Some(side), &here, detail);
    }
}

fn diff_enum(o: &Map<String, Value>, n: &Map<String, Value>, side: Side, p: &str, cx: &mut Cx) {
    let here = keywords::child(p, "enum");
    match (o.get("enum"), n.get("enum")) {
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for v in a.iter().filter(|v| !b.contains(v)) {
                let detail = format!("value {v} no longer allowed");
                cx.push(Rule::EnumValueRemoved, Some(side), &here, detail);
            }
            for v in b.iter().filter(|v| !a.contains(v)) {
                let detail = format!("value {v} now allowed");
                cx.push(Rule::EnumValueAdded, Some(side), &here, detail);
            }
        }
        (None, Some(_)) => {
            let detail = "values restricted by a new `enum`/`const`".into();
            cx.push(Rule::ConstraintTightened, Some(side), &here, detail);
        }
        (Some(_), None) => {
            let detail = "`enum`/`const` restriction removed".into();
            cx.push(Rule::ConstraintLoosened, Some(side), &here, detail);
        }
        _ => {}
    }
}

fn names<'a>(schema: &'a Map<String, Value>, key: &str) -> BTreeSet<&'a str> {
    match schema.get(key) {
        Some(Value::Object(m)) => m.keys().map(String::as_str).collect(),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => BTreeSet::new(),
    }
}

fn diff_properties(
    o: &Map<String, Value>,
    n: &Map<String, Value>,
    side: Side,
    p: &str,
    cx: &mut Cx,
) {
    let (op, np) = (names(o, "properties"), names(n, "properties"));
    let (or, nr) = (names(o, "required"), names(n, "required"));
    let all: BTreeSet<&str> = op
        .iter()
        .chain(&np)
        .chain(&or)
        .chain(&nr)
        .copied()
        .collect();
    let props = keywords::child(p, "properties");
    for name in all {
        let here = keywords::child(&props, name);
        let (in_old, in_new) = (op.contains(name), np.contains(name));
        let (req_old, req_new) = (or.contains(name), nr.contains(name));
        if in_old && !in_new {
            cx.push(
                Rule::PropertyRemoved,
                Some(side),
                &here,
                format!("property `{name}` removed"),
            );
            continue;
        }
        if !in_old && in_new && !req_old {
            let (rule, kind) = if req_new {
                (Rule::RequiredPropertyAdded, "required")
            } else {
                (Rule::OptionalPropertyAdded, "optional")
            };
            cx.push(
                rule,
                Some(side),
                &here,
                format!("new {kind} property `{name}`"),
            );
            continue;
        }
        if in_old && in_new {
            let (a, b) = (&o["properties"][name], &n["properties"][name]);
            schema(a, b, side, &here, cx);
        }
        if req_old && !req_new {
            let detail = format!("property `{name}` is optional now");
            cx.push(Rule::PropertyBecameOptional, Some(side), &here, detail);
        } else if !req_old && req_new {
            let detail = format!("property `{name}` is required now");
            cx.push(Rule::PropertyBecameRequired, Some(side), &here, detail);
        }
    }
}

fn diff_additional(
    o: &Map<String, Value>,
    n: &Map<String, Value>,
    side: Side,
    p: &str,
    cx: &mut Cx,
) {
    let here = keywords::child(p, "additionalProperties");
    let closed = |v: Option<&Value>| v == Some(&Value::Bool(false));
    let (a, b) = (o.get("additionalProperties"), n.get("additionalProperties"));
    if a == b {
        return;
    }
    match (closed(a), closed(b)) {
        (false, true) => {
            let detail = "unknown properties are rejected now".into();
            cx.push(
                Rule::AdditionalPropertiesRestricted,
                Some(side),
                &here,
                detail,
            );
        }
        (true, false) => {
            let detail = "unknown properties are accepted now".into();
            cx.push(Rule::AdditionalPropertiesAllowed, Some(side), &here, detail);
        }
        _ => match (a, b) {
            (Some(a), Some(b)) => schema(a, b, side, &here, cx),
            (None, Some(_)) => {
                let detail = "`additionalProperties` constrained".into();
                cx.push(Rule::ConstraintTightened, Some(side), &here, detail);
            }
            (Some(_), None) => {
                let detail = "`additionalProperties` no longer constrained".into();
                cx.push(Rule::ConstraintLoosened, Some(side), &here, detail);
            }
            (None, None) => {}
        },
    }
}

fn diff_bound(key: &str, a: Option<&Value>, b: Option<&Value>, side: Side, p: &str, cx: &mut Cx) {
    let lower = LOWER.contains(&key);
    let num = |v: Option<&Value>| v.and_then(Value::as_f64);
    let tighter = match (num(a), num(b)) {
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(x), Some(y)) => (lower && y > x) || (!lower && y < x),
        (None, None) => return,
    };
    let show = |v: Option<&Value>| v.map_or("none".to_owned(), Value::to_string);
    let detail = format!("`{key}` {} became {}", show(a), show(b));
    let rule = if tighter {
        Rule::ConstraintTightened
    } else {
        Rule::ConstraintLoosened
    };
    cx.push(rule, Some(side), p, detail);
}

#[cfg(test)]
mod tests;
