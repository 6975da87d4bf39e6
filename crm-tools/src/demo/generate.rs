//! The record generator (reference §8): companies, deals, contacts and tickets of one tenant,
//! streamed into the [`Loader`] while the ground truth is counted from the same values.

use super::directory::{ARCHIVED_OWNER, OWNERS, REGION_TEAM};
use super::load::{Loader, RowBuf};
use super::rng::Rng;
use super::text::{
    COMPANY_SUFFIXES, COMPANY_WORDS, EDGE_COMPANIES, FIRST_NAMES, GEO, JOB_TITLES, LAST_NAMES,
    PRODUCTS, REGIONS, TICKET_TOPICS,
};
use super::truth::GroundTruth;
use super::{Progress, SeedError};
use crate::filter::DAY_MS;
use crate::model::ObjectType::{Companies, Contacts, Deals, Tickets};

const HOUR_MS: i64 = 3_600_000;

/// The lifecycle stages in funnel order (index = rank; the company takes its contacts' maximum).
const STAGES: [&str; 8] = [
    "subscriber",
    "other",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
];
/// Overall stage shares (percent), by rank, as in the reference.
const STAGE_SHARE: [f64; 8] = [15.0, 1.0, 35.0, 18.0, 10.0, 8.0, 12.0, 1.0];
const CUSTOMER: usize = 6;
/// Stages with a `hs_lifecyclestage_<stage>_date` property, with their ranks.
const DATED: [(usize, &str); 5] = [
    (2, "lead"),
    (3, "marketingqualifiedlead"),
    (4, "salesqualifiedlead"),
    (5, "opportunity"),
    (6, "customer"),
];

const SOURCES: [(&str, f64); 9] = [
    ("ORGANIC_SEARCH", 30.0),
    ("PAID_SEARCH", 15.0),
    ("DIRECT_TRAFFIC", 15.0),
    ("REFERRALS", 10.0),
    ("SOCIAL_MEDIA", 8.0),
    ("PAID_SOCIAL", 7.0),
    ("EMAIL_MARKETING", 8.0),
    ("OFFLINE", 5.0),
    ("OTHER_CAMPAIGNS", 2.0),
];
/// The secondary planted signal: referred contacts convert this much more often.
const REFERRAL_LIFT: f64 = 1.8;

const LEAD_STATUS: [&str; 8] = [
    "NEW",
    "OPEN",
    "IN_PROGRESS",
    "OPEN_DEAL",
    "UNQUALIFIED",
    "ATTEMPTED_TO_CONTACT",
    "CONNECTED",
    "BAD_TIMING",
];

const INDUSTRIES: [(&str, f64); 12] = [
    ("COMPUTER_SOFTWARE", 20.0),
    ("INFORMATION_TECHNOLOGY_AND_SERVICES", 15.0),
    ("FINANCIAL_SERVICES", 10.0),
    ("HOSPITAL_HEALTH_CARE", 8.0),
    ("RETAIL", 8.0),
    ("MARKETING_AND_ADVERTISING", 8.0),
    ("MANUFACTURING", 8.0),
    ("INTERNET", 7.0),
    ("TELECOMMUNICATIONS", 5.0),
    ("EDUCATION_MANAGEMENT", 5.0),
    ("LOGISTICS_AND_SUPPLY_CHAIN", 3.0),
    ("CONSTRUCTION", 3.0),
];

const OPEN_DEAL_STAGES: [(&str, f64); 5] = [
    ("appointmentscheduled", 0.2),
    ("qualifiedtobuy", 0.4),
    ("presentationscheduled", 0.6),
    ("decisionmakerboughtin", 0.8),
    ("contractsent", 0.9),
];

/// How many records of each type one tenant gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Volumes {
    pub(crate) companies: usize,
    pub(crate) contacts: usize,
    pub(crate) deals: usize,
    pub(crate) tickets: usize,
}

impl Volumes {
    pub(crate) fn total(self) -> u64 {
        // Rows plus association pairs (about two per deal and ticket, one per contact).
        (self.companies + 2 * self.contacts + 4 * self.deals + 3 * self.tickets) as u64
    }
}

struct Company {
    region: usize,
    country: usize,
    place: usize,
    owner: Option<i64>,
    employees: i64,
    created: i64,
    name: String,
    domain: String,
    max_stage: Option<usize>,
    contacts: u32,
    deals: u32,
    won: f64,
}

/// The generator's state for one tenant.
pub(crate) struct Generator<'l, 'c> {
    pub(crate) loader: &'l mut Loader<'c>,
    pub(crate) tenant: i64,
    pub(crate) seed: u64,
    pub(crate) now: i64,
    pub(crate) truth: Option<&'l mut GroundTruth>,
    pub(crate) progress: &'l mut dyn FnMut(Progress),
    pub(crate) total: u64,
}

fn owners_of_team(team: i64) -> Vec<i64> {
    OWNERS
        .iter()
        .filter(|o| o.3 == team && o.0 != ARCHIVED_OWNER)
        .map(|o| o.0)
        .collect()
}

/// A creation instant: 18 months back with ~3 %/month growth, weekday-heavy, in the region's
/// business hours.
fn created_at(rng: &mut Rng, now: i64, region: usize) -> i64 {
    loop {
        let weights: Vec<f64> = (0..18).map(|m| 1.03f64.powi(-m)).collect();
        let month = i64::try_from(rng.weighted(&weights)).unwrap_or(0);
        let age_days = month * 30 + rng.range(1, 30);
        let day = now - age_days * DAY_MS;
        // 1970-01-01 was a Thursday: day index 0 → Thursday; 2 and 3 are Saturday and Sunday.
        let weekday = (day / DAY_MS).rem_euclid(7);
        if (weekday == 2 || weekday == 3) && !rng.chance(0.3) {
            continue;
        }
        let local_hour = rng.range(8, 18);
        let hour = (local_hour - REGIONS[region].4).rem_euclid(24);
        return day + hour * HOUR_MS + rng.range(0, 3_599) * 1000;
    }
}

fn region_pick(rng: &mut Rng) -> usize {
    let shares: Vec<f64> = REGIONS.iter().map(|r| r.1).collect();
    rng.weighted(&shares)
}

fn place(row: &mut RowBuf, region: usize, country: usize, place: usize) {
    let (code, places) = GEO[region][country];
    let (state, city) = places[place];
    row.text("country", code);
    if !state.is_empty() {
        row.text("state", state);
    }
    row.text("city", city);
    row.text("region", REGIONS[region].0);
}

fn slug(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A skewed index in `0..n`: low ids (older, bigger accounts) get more contacts and deals.
fn skewed(rng: &mut Rng, n: usize) -> usize {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "0 ≤ value < n"
    )]
    let i = (rng.unit().powf(1.6) * n as f64) as usize;
    i.min(n.saturating_sub(1))
}

impl Generator<'_, '_> {
    /// Reports progress every 10,000 rows, and always when `force` (a phase starts).
    fn report(&mut self, phase: &'static str, force: bool) {
        if force || self.loader.written >= self.loader.reported + 10_000 {
            self.loader.reported = self.loader.written;
            (self.progress)(Progress {
                phase,
                done: self.loader.written,
                total: self.total,
            });
        }
    }

    fn tick(&mut self, phase: &'static str) {
        self.report(phase, false);
    }

    fn count(&mut self, object_type: &str, owner: Option<i64>) {
        if let Some(t) = self.truth.as_deref_mut() {
            *t.counts.entry(object_type.to_owned()).or_default() += 1;
            if owner.is_none() {
                *t.unassigned.entry(object_type.to_owned()).or_default() += 1;
            }
        }
    }

    /// An owner from the region's sales team, or none (~10 %).
    fn sales_owner(rng: &mut Rng, region: usize) -> Option<i64> {
        if rng.chance(0.1) {
            return None;
        }
        Some(*rng.pick(&owners_of_team(REGION_TEAM[region])))
    }

    fn companies(&mut self, n: usize) -> Vec<Company> {
        let mut rng = Rng::stream(self.seed, 1);
        (0..n)
            .map(|i| {
                let region = region_pick(&mut rng);
                let country = rng.below(GEO[region].len());
                let place = rng.below(GEO[region][country].1.len());
                let name = EDGE_COMPANIES.get(i).map_or_else(
                    || format!("{} {}", rng.pick(COMPANY_WORDS), rng.pick(COMPANY_SUFFIXES)),
                    |s| (*s).to_owned(),
                );
                // The id in the domain keeps twins ("Acme Corp" ×2) on different domains.
                let domain = format!("{}{}.example", slug(&name), i + 1);
                #[allow(clippy::cast_possible_truncation, reason = "5..20000")]
                let employees = (5.0 * (4000.0f64).powf(rng.unit())).round() as i64;
                Company {
                    region,
                    country,
                    place,
                    owner: Self::sales_owner(&mut rng, region),
                    employees,
                    created: created_at(&mut rng, self.now, region),
                    name,
                    domain,
                    max_stage: None,
                    contacts: 0,
                    deals: 0,
                    won: 0.0,
                }
            })
            .collect()
    }

    pub(crate) fn run(&mut self, v: Volumes) -> Result<(), SeedError> {
        let mut companies = self.companies(v.companies.max(2));
        let nco = companies.len();
        // Contact → company; the last company never gets one (the "company with 0 contacts").
        let mut rng = Rng::stream(self.seed, 2);
        let company_of: Vec<usize> = (0..v.contacts).map(|_| skewed(&mut rng, nco - 1)).collect();
        let mut offsets = vec![0usize; nco + 1];
        for c in &company_of {
            offsets[c + 1] += 1;
        }
        for i in 0..nco {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut members = vec![0usize; v.contacts];
        for (contact, c) in company_of.iter().enumerate() {
            members[fill[*c]] = contact;
            fill[*c] += 1;
        }
        let mut deals_of_contact = vec![0u32; v.contacts];
        self.deals(
            v.deals,
            &mut companies,
            &offsets,
            &members,
            &mut deals_of_contact,
        )?;
        self.contacts(&mut companies, &company_of, &deals_of_contact)?;
        self.tickets(v.tickets, &companies, &company_of)?;
        self.write_companies(&companies)?;
        Ok(())
    }

    fn deals(
        &mut self,
        n: usize,
        companies: &mut [Company],
        offsets: &[usize],
        members: &[usize],
        deals_of_contact: &mut [u32],
    ) -> Result<(), SeedError> {
        self.report("deals", true);
        let mut rng = Rng::stream(self.seed, 3);
        let mut row = self.loader.row(self.tenant, Deals);
        for i in 0..n {
            let id = i64::try_from(i + 1).unwrap_or(i64::MAX);
            let ci = skewed(&mut rng, companies.len());
            let company = &companies[ci];
            let region = company.region;
            row.clear();
            row.int("hs_object_id", id);
            let created = created_at(&mut rng, self.now, region).max(company.created);
            row.int("createdate", created);
            let renewal = rng.chance(0.1);
            let closed = rng.chance(0.55);
            let won = closed && rng.chance(REGIONS[region].3);
            let (pipeline, stage, probability) = match (renewal, closed, won) {
                (true, false, _) => ("renewals", "renewalopen", 0.5),
                (true, true, true) => ("renewals", "renewalwon", 1.0),
                (true, true, false) => ("renewals", "renewallost", 0.0),
                (false, true, true) => ("default", "closedwon", 1.0),
                (false, true, false) => ("default", "closedlost", 0.0),
                (false, false, _) => {
                    let (s, p) = *rng.pick(&OPEN_DEAL_STAGES);
                    ("default", s, p)
                }
            };
            row.text("pipeline", pipeline);
            row.text("dealstage", stage);
            row.real("hs_deal_stage_probability", probability);
            row.int("hs_is_closed", i64::from(closed));
            row.int("hs_is_closed_won", i64::from(won));
            let product = *rng.pick(PRODUCTS);
            row.text(
                "dealname",
                format!("{} – {product} {}", company.name, rng.range(1, 9)),
            );
            row.text(
                "dealtype",
                if rng.chance(0.8) {
                    "newbusiness"
                } else {
                    "existingbusiness"
                },
            );
            let mut amount = None;
            if !rng.chance(0.02) {
                let factor = if company.employees > 1000 { 4.0 } else { 1.0 };
                let a = (rng.lognormal(18_000.0, 0.8) * factor / 10.0).round() * 10.0;
                row.real("amount", a);
                amount = Some(a);
            }
            let lag = (rng.lognormal(40.0, 0.6) * 24.0) as i64 * HOUR_MS;
            let mut close = created + lag;
            if closed {
                close = close.min(self.now - HOUR_MS).max(created);
            } else if close < self.now && !rng.chance(0.1) {
                // Open deals close in the future, except ~10 % overdue ones.
                close = self.now + rng.range(1, 90) * DAY_MS;
            }
            row.int("closedate", close);
            if closed && !won {
                row.text(
                    "closed_lost_reason",
                    *rng.pick(&["Price", "Timing", "Competitor", "No decision", "Ghosted"]),
                );
            }
            let owner = if rng.chance(0.85) {
                company.owner
            } else {
                Self::sales_owner(&mut rng, region)
            };
            row.opt_int("hubspot_owner_id", owner);
            row.int(
                "hs_lastmodifieddate",
                rng.range(created, self.now.max(created)),
            );
            row.text(
                "description",
                format!("{product} for {}: scope, pricing, timeline.", company.name),
            );
            // Contacts of the deal: 1–3 of its company's, ~3 % none.
            let pool = &members[offsets[ci]..offsets[ci + 1]];
            let k = if pool.is_empty() || rng.chance(0.03) {
                0
            } else {
                rng.range(1, 3) as usize
            };
            let mut chosen: Vec<usize> = (0..k.min(pool.len()))
                .map(|_| pool[rng.below(pool.len())])
                .collect();
            chosen.sort_unstable();
            chosen.dedup();
            row.int("num_associated_contacts", chosen.len() as i64);
            self.loader.insert(Deals, &row)?;
            self.count("deals", owner);
            let company = &mut companies[ci];
            company.deals += 1;
            if won && stage == "closedwon" {
                company.won += amount.unwrap_or(0.0);
                if let Some(t) = self.truth.as_deref_mut() {
                    let key = owner.map_or_else(|| "none".to_owned(), |o| o.to_string());
                    *t.won_amount_by_owner.entry(key).or_default() += amount.unwrap_or(0.0);
                }
            }
            let company_id = i64::try_from(ci + 1).unwrap_or(0);
            self.loader
                .link(self.tenant, (Deals, id), (Companies, company_id), true)?;
            for c in chosen {
                deals_of_contact[c] += 1;
                self.loader.link(
                    self.tenant,
                    (Deals, id),
                    (Contacts, i64::try_from(c + 1).unwrap_or(0)),
                    false,
                )?;
            }
            self.tick("deals");
        }
        Ok(())
    }

    fn contacts(
        &mut self,
        companies: &mut [Company],
        company_of: &[usize],
        deals_of_contact: &[u32],
    ) -> Result<(), SeedError> {
        self.report("contacts", true);
        let mut rng = Rng::stream(self.seed, 4);
        let window_start = self.now - 90 * DAY_MS;
        // Start half-way so each region's count of customers rounds to its rate.
        let mut quota = [0.5; REGIONS.len()];
        let mut row = self.loader.row(self.tenant, Contacts);
        let sources: Vec<f64> = SOURCES.iter().map(|s| s.1).collect();
        for (i, ci) in company_of.iter().enumerate() {
            let id = i64::try_from(i + 1).unwrap_or(i64::MAX);
            let company = &companies[*ci];
            row.clear();
            row.int("hs_object_id", id);
            let (region, country, place_i) = if rng.chance(0.9) {
                (company.region, company.country, company.place)
            } else {
                let r = region_pick(&mut rng);
                let c = rng.below(GEO[r].len());
                (r, c, rng.below(GEO[r][c].1.len()))
            };
            place(&mut row, region, country, place_i);
            let first = *rng.pick(FIRST_NAMES);
            let last = *rng.pick(LAST_NAMES);
            row.text("firstname", first);
            row.text("lastname", last);
            if !rng.chance(0.03) {
                row.text(
                    "email",
                    format!("{}.{}{}@{}", slug(first), slug(last), id, company.domain),
                );
            }
            if !rng.chance(0.15) {
                row.text("phone", format!("+1 555-{:04}", rng.range(0, 9999)));
            }
            row.text("jobtitle", *rng.pick(JOB_TITLES));
            row.text("company", company.name.clone());
            let created = created_at(&mut rng, self.now, region);
            row.int("createdate", created);
            let source_i = rng.weighted(&sources);
            let source = SOURCES[source_i].0;
            row.text("hs_analytics_source", source);
            let recent = created >= window_start;
            // The planted signal: in the 90-day window, conversion depends on region (and
            // referrals); elsewhere the overall stage mix applies.
            let stage = if recent {
                let lift = if source == "REFERRALS" {
                    REFERRAL_LIFT
                } else {
                    1.0
                };
                // A running quota instead of a coin flip per contact: each region converts at
                // its planted rate up to one contact, whatever the seed, "now" or scale, so the
                // ranking of regions is a fact of the data rather than luck of small samples.
                quota[region] += (REGIONS[region].2 * lift).min(0.9);
                if quota[region] >= 1.0 {
                    quota[region] -= 1.0;
                    CUSTOMER
                } else {
                    let mut w = STAGE_SHARE;
                    w[CUSTOMER] = 0.0;
                    w[7] = 0.0;
                    rng.weighted(&w)
                }
            } else {
                rng.weighted(&STAGE_SHARE)
            };
            row.text("lifecyclestage", STAGES[stage]);
            if (2..=4).contains(&stage) {
                row.text("hs_lead_status", *rng.pick(&LEAD_STATUS));
            }
            // Stage dates are monotone; time to customer is lognormal (median 45 days).
            let reached = (rng.lognormal(45.0, 0.7) * 24.0) as i64 * HOUR_MS;
            let end = (created + reached).min(self.now - HOUR_MS).max(created);
            for (k, (rank, name)) in DATED.iter().enumerate() {
                if *rank <= stage && stage != 7 || (stage == 7 && *rank <= CUSTOMER) {
                    let at = created + (end - created) * i64::try_from(k).unwrap_or(0) / 4;
                    row.int(&format!("hs_lifecyclestage_{name}_date"), at);
                }
            }
            let owner = if rng.chance(0.1) {
                None
            } else if rng.chance(0.8) && company.owner.is_some() {
                company.owner
            } else {
                Some(*rng.pick(&owners_of_team(REGION_TEAM[region])))
            };
            row.opt_int("hubspot_owner_id", owner);
            row.int("lastmodifieddate", rng.range(created, self.now));
            if rng.chance(0.6) {
                row.int("lastcontacted", rng.range(created, self.now));
            }
            if rng.chance(0.5) {
                row.int(
                    "date_of_birth",
                    -rng.range(0, 20_000) * DAY_MS + 10_000 * DAY_MS,
                );
            }
            let company_id = i64::try_from(ci + 1).unwrap_or(0);
            row.int("associatedcompanyid", company_id);
            row.int("num_associated_deals", i64::from(deals_of_contact[i]));
            self.loader.insert(Contacts, &row)?;
            self.count("contacts", owner);
            self.loader
                .link(self.tenant, (Contacts, id), (Companies, company_id), true)?;
            // Contact 1 also works for a second company (primary + secondary).
            if i == 0 && companies.len() > 2 && *ci != 1 {
                self.loader
                    .link(self.tenant, (Contacts, id), (Companies, 2), false)?;
                companies[1].contacts += 1;
            }
            let company = &mut companies[*ci];
            company.contacts += 1;
            company.max_stage = Some(company.max_stage.map_or(stage, |s| s.max(stage)));
            if let Some(t) = self.truth.as_deref_mut() {
                *t.contacts_by_lifecyclestage
                    .entry(STAGES[stage].to_owned())
                    .or_default() += 1;
                if recent {
                    let r = t
                        .conversion_by_region
                        .entry(REGIONS[region].0.to_owned())
                        .or_default();
                    r.created += 1;
                    r.customers += u64::from(stage == CUSTOMER);
                }
            }
            self.tick("contacts");
        }
        Ok(())
    }

    fn tickets(
        &mut self,
        n: usize,
        companies: &[Company],
        company_of: &[usize],
    ) -> Result<(), SeedError> {
        self.report("tickets", true);
        let mut rng = Rng::stream(self.seed, 5);
        let mut row = self.loader.row(self.tenant, Tickets);
        let support = owners_of_team(5);
        for i in 0..n {
            let id = i64::try_from(i + 1).unwrap_or(i64::MAX);
            row.clear();
            row.int("hs_object_id", id);
            row.int("hs_ticket_id", id);
            let (subject, content) = *rng.pick(TICKET_TOPICS);
            row.text("subject", subject);
            row.text("content", content);
            row.text("hs_pipeline", "0");
            let stage = ["1", "2", "3", "4"][rng.weighted(&[20.0, 15.0, 15.0, 50.0])];
            row.text("hs_pipeline_stage", stage);
            row.text(
                "hs_ticket_priority",
                ["LOW", "MEDIUM", "HIGH", "URGENT"][rng.weighted(&[35.0, 40.0, 20.0, 5.0])],
            );
            let category = match subject {
                s if s.starts_with("Refund")
                    || s.starts_with("Billing")
                    || s.starts_with("Invoice") =>
                {
                    "BILLING_ISSUE"
                }
                s if s.starts_with("Feature") => "FEATURE_REQUEST",
                s if s.starts_with("Cannot") || s.starts_with("API") => "PRODUCT_ISSUE",
                _ => "GENERAL_INQUIRY",
            };
            row.text("hs_ticket_category", category);
            row.text(
                "source_type",
                *rng.pick(&["EMAIL", "CHAT", "PHONE", "FORM"]),
            );
            let contact = (!company_of.is_empty()).then(|| rng.below(company_of.len()));
            let region = contact.map_or(0, |c| companies[company_of[c]].region);
            let created = created_at(&mut rng, self.now, region);
            row.int("createdate", created);
            if stage == "4" {
                row.int("closed_date", rng.range(created, self.now));
            }
            row.int("hs_lastmodifieddate", rng.range(created, self.now));
            let owner = if rng.chance(0.1) {
                None
            } else {
                Some(*rng.pick(&support))
            };
            row.opt_int("hubspot_owner_id", owner);
            row.int("hs_num_associated_companies", i64::from(contact.is_some()));
            self.loader.insert(Tickets, &row)?;
            self.count("tickets", owner);
            if let Some(c) = contact {
                let cid = i64::try_from(c + 1).unwrap_or(0);
                let co = i64::try_from(company_of[c] + 1).unwrap_or(0);
                self.loader
                    .link(self.tenant, (Tickets, id), (Contacts, cid), false)?;
                self.loader
                    .link(self.tenant, (Tickets, id), (Companies, co), true)?;
            }
            self.tick("tickets");
        }
        Ok(())
    }

    fn write_companies(&mut self, companies: &[Company]) -> Result<(), SeedError> {
        self.report("companies", true);
        let mut rng = Rng::stream(self.seed, 6);
        let mut row = self.loader.row(self.tenant, Companies);
        let industries: Vec<f64> = INDUSTRIES.iter().map(|x| x.1).collect();
        for (i, c) in companies.iter().enumerate() {
            row.clear();
            row.int("hs_object_id", i64::try_from(i + 1).unwrap_or(i64::MAX));
            row.text("name", c.name.clone());
            row.text("domain", c.domain.clone());
            row.text("website", format!("https://www.{}", c.domain));
            row.text("phone", format!("+1 555-{:04}", rng.range(0, 9999)));
            row.text("industry", INDUSTRIES[rng.weighted(&industries)].0);
            row.int("numberofemployees", c.employees);
            if !rng.chance(0.2) {
                #[allow(clippy::cast_precision_loss, reason = "small counts")]
                let revenue = (c.employees as f64 * rng.range(150, 300) as f64 * 1000.0).round();
                row.real("annualrevenue", revenue);
            }
            place(&mut row, c.region, c.country, c.place);
            row.text(
                "type",
                ["PROSPECT", "PARTNER", "RESELLER", "VENDOR", "OTHER"]
                    [rng.weighted(&[70.0, 10.0, 8.0, 7.0, 5.0])],
            );
            if let Some(s) = c.max_stage {
                row.text("lifecyclestage", STAGES[s]);
            }
            row.text(
                "description",
                if i % 7 == 0 {
                    "A startup co: fast, small, hungry."
                } else {
                    "An established business."
                },
            );
            row.opt_int("hubspot_owner_id", c.owner);
            row.int("createdate", c.created);
            row.int("hs_lastmodifieddate", rng.range(c.created, self.now));
            row.int("num_associated_contacts", i64::from(c.contacts));
            row.int("num_associated_deals", i64::from(c.deals));
            row.real("total_revenue", c.won);
            self.loader.insert(Companies, &row)?;
            self.count("companies", c.owner);
            self.tick("companies");
        }
        Ok(())
    }
}
