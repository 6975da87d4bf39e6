//! The CRM's plain data: object types, the property catalogue, owners/teams/users, associations and
//! pipelines.
//!
//! Nothing here touches storage or HTTP; the DSL, the filter IR and the SQL compiler all read the
//! [`Catalogue`] so that a property name only ever reaches SQL through a catalogue entry.

mod association;
mod catalogue;
mod object_type;
mod owners;
mod pipeline;
mod property;
mod standard;

pub use association::{
    Association, AssociationCategory, AssociationType, standard_association_types,
};
pub use catalogue::{Catalogue, CatalogueError};
pub use object_type::{ObjectType, UnknownObjectType};
pub use owners::{
    Owner, OwnerId, Team, TeamId, TeamMembership, Tenant, TenantId, User, UserId, expand_team_ids,
};
pub use pipeline::{Pipeline, PipelineStage, standard_pipelines};
pub use property::{Property, PropertyOption, PropertyType};
