//! JSON Schema generation for tool inputs and outputs, and the schema tooling for CI.
//!
//! * [`root_schema_for`] / [`output_schema_for`]: the schema of a Rust type as a tool's
//!   `inputSchema` (deserialized) / `outputSchema` (serialized).
//! * [`Export`]: a deterministic, canonical JSON document of every tool on every gateway.
//! * [`diff`]: compare two exports; every change is [`Severity::Breaking`] or
//!   [`Severity::Additive`] by a named [`Rule`].
//! * [`Profile`]: rewrites that make schemas acceptable to picky clients, served per gateway.
//! * [`lint`]: the 2020-12 meta-schema, MCP's rules, and every profile's rules.
//! * [`assert_snapshot`] / [`assert_schema_snapshot!`](crate::assert_schema_snapshot): fail
//!   `cargo test` on an unreviewed change.
//!
//! The same operations are the `schemas export|check|lint` subcommands of every server binary
//! ([`crate::cli::schemas`]).

mod diff;
mod export;
pub(crate) mod keywords;
mod lint;
mod profile;
mod snapshot;

use schemars::{JsonSchema, Schema, generate::SchemaSettings};

pub use diff::{Change, Rule, Severity, diff};
pub use export::{Export, ExportError, ExportOptions, FORMAT, GatewayExport, ToolExport};
pub use lint::{Finding, FindingKind, lint, validate_structured_content};
pub use profile::{NoteKind, Profile, ProfileError, ProfileNote, Profiled, UnknownProfile};
pub use snapshot::{
    SnapshotError, UPDATE_ENV, assert_lint_clean, assert_snapshot, check_snapshot, read_snapshot,
    update_requested,
};

pub(crate) use snapshot::report as snapshot_report;

use crate::{error::Problem, gateway::Gateway, registry::Registry};

/// The JSON Schema 2020-12 document for `T` as a tool's `inputSchema`: what the arguments may
/// look like when they are deserialized into `T`.
///
/// No `$schema` is added (2020-12 is MCP's default dialect since 2025-11-25), but one that a
/// hand-written `JsonSchema` impl declares is kept. The root `title` schemars derives from the
/// Rust type name is dropped: for generated argument structs it would leak a hidden name.
pub fn root_schema_for<T: JsonSchema>() -> Schema {
    generate::<T>(SchemaSettings::draft2020_12())
}

/// The JSON Schema 2020-12 document for `T` as a tool's `outputSchema`: what `T` looks like when
/// it is serialized. The two differ where serde attributes do, e.g. a field with
/// `skip_serializing_if` is optional here even when deserializing would require it.
pub fn output_schema_for<T: JsonSchema>() -> Schema {
    generate::<T>(SchemaSettings::draft2020_12().for_serialize())
}

fn generate<T: JsonSchema>(mut settings: SchemaSettings) -> Schema {
    settings.meta_schema = None;
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    if let Some(object) = schema.as_object_mut() {
        object.remove("title");
    }
    schema
}

/// `build()`'s check that every tool's schemas can be rewritten for its gateways' profiles.
pub(crate) fn check_profiles(
    registry: &Registry,
    gateways: &[Gateway],
    problems: &mut Vec<Problem>,
) {
    for gateway in gateways {
        let profile = gateway.profile.unwrap_or_default();
        if profile == Profile::Canonical {
            continue;
        }
        for tool in registry
            .tools()
            .iter()
            .filter(|t| gateway.serves(t.gateways))
        {
            let input = Some((tool.input_schema)().to_value());
            let output = (tool.output_schema)().map(|s| s.to_value());
            let rewrites = [
                ("input", input, Profile::apply_input as fn(_, &_) -> _),
                ("output", output, Profile::apply_output),
            ];
            for (which, schema, apply) in rewrites {
                if let Some(schema) = schema
                    && let Err(error) = apply(profile, &schema)
                {
                    problems.push(Problem::SchemaProfile {
                        tool: tool.name,
                        which,
                        gateway: gateway.name.clone(),
                        profile,
                        error,
                        location: tool.location,
                    });
                }
            }
        }
    }
}
