//! Schema profiles: rewrites of a tool's canonical JSON Schema that specific clients accept
//! (the table is on [`Profile`]).

mod gemini;
mod openai;
mod portable;

use std::{fmt, str::FromStr};

use serde_json::Value;

pub(crate) use portable::inline_refs;

/// A schema rewrite for a family of clients, chosen per gateway
/// ([`Gateway::schema_profile`](crate::Gateway::schema_profile)) and applied once at `build()`.
///
/// | profile | for | what it does |
/// |---|---|---|
/// | [`Canonical`](Profile::Canonical) | spec-compliant clients | nothing: the 2020-12 schema exactly as generated or hand-written |
/// | [`Portable`](Profile::Portable) | any client (Claude Code, VS Code/Copilot, LangChain, Inspector, …) | inlines local `$ref`s and drops `$defs`; drops `$schema`, `$id`, `$anchor`, `$comment`; writes `type: [T, "null"]` as `anyOf: [{type: T, …}, {type: "null"}]` |
/// | [`OpenAiStrict`](Profile::OpenAiStrict) | OpenAI function calling with `strict: true` | portable, then: every object gets `additionalProperties: false` and lists every property in `required`, optional ones made nullable; `oneOf` becomes `anyOf`; keywords outside OpenAI's supported subset are dropped |
/// | [`Gemini`](Profile::Gemini) | Gemini function declarations (an OpenAPI 3.0 subset) | portable, then: nullable unions become `nullable: true`; `const` becomes a one-value `enum`; keywords outside Gemini's subset (`additionalProperties`, `allOf`, `oneOf`, `not`, `if`, non-string `enum`, unsupported `format`s, …) are dropped |
///
/// Profiles never make a schema reject a call the canonical schema accepts, except where a
/// client cannot express a construct at all; each such place, and each constraint a profile
/// had to drop, is a [`ProfileNote`] that `schemas lint` reports. A dropped constraint is only
/// hidden from that client's model: the server still rejects whatever the tool's Rust types
/// reject when it deserializes the arguments (it does not validate arguments against the
/// schema itself).
///
/// Output schemas get only the portable rewrite under every non-canonical profile: the
/// OpenAI and Gemini rules describe what a model may *send*, and making every output field
/// required would misdescribe the `structuredContent` the server returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Profile {
    /// The JSON Schema 2020-12 document as the tool declares it.
    #[default]
    Canonical,
    /// Inlined, `$schema`-free schemas with `anyOf` nullable unions.
    Portable,
    /// OpenAI strict function calling.
    OpenAiStrict,
    /// Gemini function declarations.
    Gemini,
}

impl Profile {
    /// Every profile, in a fixed order.
    pub const ALL: [Self; 4] = [
        Self::Canonical,
        Self::Portable,
        Self::OpenAiStrict,
        Self::Gemini,
    ];

    /// The profile's name on the command line and in exports (`openai-strict`, …).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Canonical => "canonical",
            Self::Portable => "portable",
            Self::OpenAiStrict => "openai-strict",
            Self::Gemini => "gemini",
        }
    }

    /// Rewrite a tool's `inputSchema` for this profile.
    ///
    /// ```
    /// use mcp_runtime::schema::Profile;
    /// use serde_json::json;
    ///
    /// let canonical = json!({
    ///     "type": "object",
    ///     "properties": { "q": { "type": "string" }, "limit": { "type": ["integer", "null"] } },
    ///     "required": ["q"]
    /// });
    /// let strict = Profile::OpenAiStrict.apply_input(&canonical)?.schema;
    /// assert_eq!(strict["required"], json!(["limit", "q"]));
    /// assert_eq!(strict["additionalProperties"], json!(false));
    /// # Ok::<(), mcp_runtime::schema::ProfileError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A `$ref` that is recursive or does not resolve inside the document cannot be inlined.
    pub fn apply_input(self, schema: &Value) -> Result<Profiled, ProfileError> {
        let mut notes = Vec::new();
        let schema = match self {
            Self::Canonical => schema.clone(),
            Self::Portable => portable::apply(schema)?,
            Self::OpenAiStrict => openai::apply(&portable::apply(schema)?, &mut notes),
            Self::Gemini => gemini::apply(&portable::apply(schema)?, &mut notes),
        };
        Ok(Profiled { schema, notes })
    }

    /// Rewrite a tool's `outputSchema` for this profile (the portable rewrite, or nothing for
    /// [`Canonical`](Self::Canonical)).
    ///
    /// # Errors
    ///
    /// As [`apply_input`](Self::apply_input).
    pub fn apply_output(self, schema: &Value) -> Result<Profiled, ProfileError> {
        let schema = match self {
            Self::Canonical => schema.clone(),
            Self::Portable | Self::OpenAiStrict | Self::Gemini => portable::apply(schema)?,
        };
        Ok(Profiled {
            schema,
            notes: Vec::new(),
        })
    }

    /// Check that an input schema follows this profile's rules; every violation with its JSON
    /// pointer. An [`apply_input`](Self::apply_input) result always passes.
    pub fn violations(self, schema: &Value) -> Vec<ProfileNote> {
        let mut out = Vec::new();
        match self {
            Self::Canonical => {}
            Self::Portable => portable::check(schema, &mut out),
            Self::OpenAiStrict => {
                portable::check(schema, &mut out);
                openai::check(schema, &mut out);
            }
            Self::Gemini => {
                portable::check(schema, &mut out);
                gemini::check(schema, &mut out);
            }
        }
        out
    }
}

impl Profile {
    /// A pre-serialized `tools/list` entry with its schemas rewritten (unchanged where the
    /// rewrite fails: `build()` has already refused such a server).
    pub(crate) fn served_entry(self, mut entry: Value) -> Value {
        if self == Self::Canonical {
            return entry;
        }
        if let Some(schema) = entry.get_mut("inputSchema")
            && let Ok(profiled) = self.apply_input(schema)
        {
            *schema = profiled.schema;
        }
        if let Some(schema) = entry.get_mut("outputSchema")
            && let Ok(profiled) = self.apply_output(schema)
        {
            *schema = profiled.schema;
        }
        entry
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = UnknownProfile;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| UnknownProfile(s.to_owned()))
    }
}

impl serde::Serialize for Profile {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Profile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// A profile name that is not one of [`Profile::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown schema profile `{0}` (expected canonical, portable, openai-strict or gemini)")]
pub struct UnknownProfile(pub String);

/// A schema rewritten for a profile, with what the rewrite had to give up.
#[derive(Debug, Clone, PartialEq)]
pub struct Profiled {
    /// The rewritten schema.
    pub schema: Value,
    /// Constraints dropped or constructs the client cannot express.
    pub notes: Vec<ProfileNote>,
}

/// One place where a profile differs from the canonical schema's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileNote {
    /// JSON pointer into the schema.
    pub pointer: String,
    /// How much it matters.
    pub kind: NoteKind,
    /// What happened, for people.
    pub message: String,
}

impl ProfileNote {
    pub(crate) fn relaxed(pointer: &str, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.to_owned(),
            kind: NoteKind::Relaxed,
            message: message.into(),
        }
    }

    pub(crate) fn unsupported(pointer: &str, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.to_owned(),
            kind: NoteKind::Unsupported,
            message: message.into(),
        }
    }
}

/// How a [`ProfileNote`] affects clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum NoteKind {
    /// A constraint was dropped: the client's schema accepts more than the canonical one (the
    /// server still rejects what the tool's Rust types reject). A lint warning.
    Relaxed,
    /// The client cannot express this construct; the profile's schema misdescribes the tool
    /// or would be rejected. A lint error.
    Unsupported,
}

/// A schema that a profile cannot rewrite.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// A `$ref` leads back to itself; inlining would never end.
    #[error("recursive `$ref` `{reference}` at {pointer} cannot be inlined")]
    RecursiveRef {
        /// Where the `$ref` is.
        pointer: String,
        /// Its value.
        reference: String,
    },
    /// A `$ref` that does not point inside the document (remote references are never fetched).
    #[error("`$ref` `{reference}` at {pointer} does not resolve inside the schema")]
    UnresolvableRef {
        /// Where the `$ref` is.
        pointer: String,
        /// Its value.
        reference: String,
    },
}

impl ProfileError {
    /// The JSON pointer of the offending `$ref`.
    pub fn pointer(&self) -> &str {
        match self {
            Self::RecursiveRef { pointer, .. } | Self::UnresolvableRef { pointer, .. } => pointer,
        }
    }
}

/// Keep only `keys` of `schema` (at `pointer`), noting each dropped constraint as relaxed.
pub(crate) fn retain_keywords(
    schema: &mut serde_json::Map<String, Value>,
    keys: &[&str],
    pointer: &str,
    profile: Profile,
    notes: &mut Vec<ProfileNote>,
) {
    let dropped: Vec<String> = schema
        .keys()
        .filter(|k| !keys.contains(&k.as_str()))
        .cloned()
        .collect();
    for key in dropped {
        schema.remove(&key);
        if !crate::schema::keywords::ANNOTATIONS.contains(&key.as_str()) {
            notes.push(ProfileNote::relaxed(
                pointer,
                format!("`{key}` is not supported by {profile} and was dropped"),
            ));
        }
    }
}

/// Report each keyword of `schema` outside `keys`.
pub(crate) fn check_keywords(
    schema: &serde_json::Map<String, Value>,
    keys: &[&str],
    pointer: &str,
    profile: Profile,
    out: &mut Vec<ProfileNote>,
) {
    for key in schema.keys().filter(|k| !keys.contains(&k.as_str())) {
        out.push(ProfileNote::unsupported(
            pointer,
            format!("`{key}` is not supported by {profile}"),
        ));
    }
}

#[cfg(test)]
mod tests;
