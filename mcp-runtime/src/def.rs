//! What tool, resource and prompt descriptors have in common: the builder methods the macros
//! chain (`with_title`, `with_scopes`, `with_gateways`, `with_requirements`) and the accessors
//! for them. One `macro_rules!` writes them for all three, because `const fn` builders
//! cannot go through a trait.

use crate::tool::Requirement;

/// The requirements of a descriptor whose function has no context parameters.
pub(crate) fn no_requirements(_: &mut Vec<Requirement>) {}

/// The shared builder methods and accessors of a descriptor `$def` with the fields `title`,
/// `scopes`, `gateways`, `requirements` and `location`; `$scopes_doc` documents `scopes()`.
macro_rules! shared_def_methods {
    ($def:ty, $scopes_doc:literal) => {
        impl $def {
            #[doc(hidden)]
            pub const fn with_title(mut self, title: &'static str) -> Self {
                self.title = Some(title);
                self
            }

            #[doc(hidden)]
            pub const fn with_scopes(mut self, scopes: &'static [&'static str]) -> Self {
                self.scopes = scopes;
                self
            }

            #[doc(hidden)]
            pub const fn with_gateways(mut self, gateways: &'static [&'static str]) -> Self {
                self.gateways = gateways;
                self
            }

            #[doc(hidden)]
            pub const fn with_requirements(
                mut self,
                requirements: fn(&mut Vec<$crate::tool::Requirement>),
            ) -> Self {
                self.requirements = requirements;
                self
            }

            #[doc = $scopes_doc]
            pub const fn scopes(&self) -> &'static [&'static str] {
                self.scopes
            }

            /// Gateways it is tagged for; empty means the default gateway.
            pub const fn gateways(&self) -> &'static [&'static str] {
                self.gateways
            }

            /// Where it was declared.
            pub const fn location(&self) -> $crate::tool::Location {
                self.location
            }

            /// The state types its context parameters need.
            pub fn requirements(&self) -> Vec<$crate::tool::Requirement> {
                let mut out = Vec::new();
                (self.requirements)(&mut out);
                out
            }
        }
    };
}
