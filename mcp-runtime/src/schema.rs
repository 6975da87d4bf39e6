//! JSON Schema generation for tool inputs and outputs.

use schemars::{JsonSchema, Schema, generate::SchemaSettings};

/// The JSON Schema 2020-12 document for `T` as a tool's `inputSchema`/`outputSchema`.
///
/// No `$schema` is added (2020-12 is MCP's default dialect since 2025-11-25), but one that a
/// hand-written `JsonSchema` impl declares is kept. The root `title` schemars derives from the
/// Rust type name is dropped: for generated argument structs it would leak a hidden name.
pub fn root_schema_for<T: JsonSchema>() -> Schema {
    let mut settings = SchemaSettings::draft2020_12();
    settings.meta_schema = None;
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    if let Some(object) = schema.as_object_mut() {
        object.remove("title");
    }
    schema
}
