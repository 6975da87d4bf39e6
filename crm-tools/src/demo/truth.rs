//! The planted answers, counted from the generated rows as they are produced (never by querying
//! the store), so a store query that agrees with them is an independent check.

use std::collections::BTreeMap;

use serde::Serialize;

/// Contacts created in the 90-day window of one region, and how many of them are customers now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegionConversion {
    /// Contacts created on or after [`GroundTruth::window_start`].
    pub created: u64,
    /// Of those, contacts whose `lifecyclestage` is `customer`.
    pub customers: u64,
}

impl RegionConversion {
    /// `customers / created` (0 when nothing was created).
    pub fn rate(&self) -> f64 {
        if self.created == 0 {
            0.0
        } else {
            #[allow(clippy::cast_precision_loss, reason = "counts far below 2^53")]
            let r = self.customers as f64 / self.created as f64;
            r
        }
    }
}

/// What the generator planted in the main tenant (`expected.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GroundTruth {
    /// The account the numbers are about.
    pub tenant: i64,
    /// The generator's "now", RFC 3339.
    pub now: String,
    /// The first day of the 90-day window (`createdate:gte:<this>`), `YYYY-MM-DD`.
    pub window_start: String,
    /// 90-day lead→customer conversion per region.
    pub conversion_by_region: BTreeMap<String, RegionConversion>,
    /// The region with the highest 90-day conversion rate.
    pub best_region: String,
    /// Contacts per `lifecyclestage`, all time.
    pub contacts_by_lifecyclestage: BTreeMap<String, u64>,
    /// Sum of `amount` of `closedwon` deals per owner id (unassigned deals under `"none"`).
    pub won_amount_by_owner: BTreeMap<String, f64>,
    /// Records per object type.
    pub counts: BTreeMap<String, u64>,
    /// Records without an owner, per object type.
    pub unassigned: BTreeMap<String, u64>,
}

impl GroundTruth {
    /// Pretty JSON, as written to `expected.json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub(crate) fn finish(&mut self) {
        self.best_region = self
            .conversion_by_region
            .iter()
            .max_by(|a, b| a.1.rate().total_cmp(&b.1.rate()))
            .map(|(r, _)| r.clone())
            .unwrap_or_default();
    }
}
