//! Deal and ticket pipelines and their stages.

use super::ObjectType;

/// One stage of a pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineStage {
    /// The internal id stored in `dealstage` / `hs_pipeline_stage` (`closedwon`, `4`).
    pub id: String,
    /// The human label.
    pub label: String,
    /// Position in the pipeline, from 0.
    pub display_order: u32,
    /// Win probability for deal stages (0.0–1.0); `None` for tickets.
    pub probability: Option<f64>,
    /// Whether a record in this stage is closed.
    pub is_closed: bool,
}

/// A deal or ticket pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    /// The internal id stored in `pipeline` / `hs_pipeline` (`default`, `0`).
    pub id: String,
    /// The human label.
    pub label: String,
    /// Deals or tickets.
    pub object_type: ObjectType,
    /// The stages, in display order.
    pub stages: Vec<PipelineStage>,
}

fn stages(list: &[(&str, &str, Option<f64>, bool)]) -> Vec<PipelineStage> {
    list.iter()
        .zip(0..)
        .map(
            |((id, label, probability, is_closed), display_order)| PipelineStage {
                id: (*id).to_owned(),
                label: (*label).to_owned(),
                display_order,
                probability: *probability,
                is_closed: *is_closed,
            },
        )
        .collect()
}

/// HubSpot's default sales pipeline, a small renewals pipeline, and the default support pipeline.
pub fn standard_pipelines() -> Vec<Pipeline> {
    vec![
        Pipeline {
            id: "default".to_owned(),
            label: "Sales Pipeline".to_owned(),
            object_type: ObjectType::Deals,
            stages: stages(&[
                (
                    "appointmentscheduled",
                    "Appointment Scheduled",
                    Some(0.2),
                    false,
                ),
                ("qualifiedtobuy", "Qualified To Buy", Some(0.4), false),
                (
                    "presentationscheduled",
                    "Presentation Scheduled",
                    Some(0.6),
                    false,
                ),
                (
                    "decisionmakerboughtin",
                    "Decision Maker Bought-In",
                    Some(0.8),
                    false,
                ),
                ("contractsent", "Contract Sent", Some(0.9), false),
                ("closedwon", "Closed Won", Some(1.0), true),
                ("closedlost", "Closed Lost", Some(0.0), true),
            ]),
        },
        Pipeline {
            id: "renewals".to_owned(),
            label: "Renewals".to_owned(),
            object_type: ObjectType::Deals,
            stages: stages(&[
                ("renewalopen", "Renewal Open", Some(0.5), false),
                ("renewalwon", "Renewed", Some(1.0), true),
                ("renewallost", "Churned", Some(0.0), true),
            ]),
        },
        Pipeline {
            id: "0".to_owned(),
            label: "Support Pipeline".to_owned(),
            object_type: ObjectType::Tickets,
            stages: stages(&[
                ("1", "New", None, false),
                ("2", "Waiting on contact", None, false),
                ("3", "Waiting on us", None, false),
                ("4", "Closed", None, true),
            ]),
        },
    ]
}
