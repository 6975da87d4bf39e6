//! The secondary indexes both stores build: the same list, spelled by each dialect.

use crate::model::ObjectType;
use crate::sql::Dialect;

/// Indexes serving the common filters and sorts. Tenant comes first in every one because every
/// query pins it. The shape is: equality columns (enumerations compare exactly, see
/// `sql::predicate`), then the one range or sort column, then the owner, so that under a team/own
/// permission predicate (`owner IN (…) OR owner IS NULL`, ANDed) both the page and the
/// `COUNT(*)` are filtered from the index alone, before any row is read.
pub(crate) fn indexes() -> Vec<(ObjectType, &'static str, &'static [&'static str])> {
    use ObjectType::{Companies, Contacts, Deals, Tickets};
    let mut list = Vec::new();
    for t in ObjectType::ALL {
        list.push((t, "createdate", &["createdate", "hubspot_owner_id"][..]));
        list.push((t, "owner", &["hubspot_owner_id", "createdate"][..]));
    }
    list.extend([
        (Contacts, "lastmodifieddate", &["lastmodifieddate"][..]),
        (
            Contacts,
            "lifecycle_created",
            &["lifecyclestage", "createdate", "hubspot_owner_id"][..],
        ),
        (
            Contacts,
            "region_created",
            &["region", "createdate", "hubspot_owner_id"][..],
        ),
        (
            Contacts,
            "region_lifecycle_created",
            &["region", "lifecyclestage", "createdate", "hubspot_owner_id"][..],
        ),
        (Contacts, "email", &["email"][..]),
        (Companies, "region", &["region"][..]),
        (Companies, "name", &["name"][..]),
        (
            Deals,
            "stage_close",
            &["dealstage", "closedate", "hubspot_owner_id"][..],
        ),
        (Deals, "stage_amount", &["dealstage", "amount"][..]),
        (Deals, "closedate", &["closedate", "hubspot_owner_id"][..]),
        (Deals, "amount", &["amount"][..]),
        (
            Tickets,
            "stage_created",
            &["hs_pipeline_stage", "createdate", "hubspot_owner_id"][..],
        ),
    ]);
    list
}

/// Columns most often sorted newest or largest first.
const DESCENDING: [&str; 4] = ["createdate", "closedate", "lastmodifieddate", "amount"];

/// `CREATE INDEX IF NOT EXISTS` for every index of [`indexes`].
///
/// With `postgres`:
///
/// - the date and amount columns are indexed `DESC NULLS LAST`: PostgreSQL can serve
///   `ORDER BY c DESC NULLS LAST` (unset values last, as every sort here) from such an index but
///   not from an ascending one read backwards (that gives `NULLS FIRST`); ranges are served
///   either way;
/// - every index `INCLUDE`s `hs_object_id`, so choosing a page's ids (and checking the owner
///   predicate on the index tuple) is an index-only scan instead of a heap read per candidate.
///
/// SQLite's planner needs neither.
pub(crate) fn index_statements(d: &dyn Dialect, postgres: bool) -> Vec<String> {
    let descending = postgres;
    indexes()
        .into_iter()
        .map(|(t, name, columns)| {
            let cols: Vec<String> = std::iter::once("tenant_id")
                .chain(columns.iter().copied())
                .map(|c| {
                    if descending && DESCENDING.contains(&c) {
                        format!("{} DESC NULLS LAST", d.quote_ident(c))
                    } else {
                        d.quote_ident(c)
                    }
                })
                .collect();
            let include = if postgres {
                format!(" INCLUDE ({})", d.quote_ident("hs_object_id"))
            } else {
                String::new()
            };
            format!(
                "CREATE INDEX IF NOT EXISTS {} ON {} ({}){include}",
                d.quote_ident(&format!("{}_{name}", t.as_str())),
                d.quote_ident(t.as_str()),
                cols.join(", ")
            )
        })
        .collect()
}
