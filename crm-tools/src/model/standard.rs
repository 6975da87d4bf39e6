//! The standard property tables, one function per object type.
//!
//! Kept as one table per type so that a correction to HubSpot's (partly unconfirmed) defaults is a
//! one-line change. `region` is a custom enumeration (HubSpot has none built in) that the demo data
//! sets on contacts and companies.

use std::collections::BTreeMap;

use super::pipeline::standard_pipelines;
use super::{ObjectType, Property, PropertyType as T};

const LIFECYCLE: [(&str, &str); 8] = [
    ("subscriber", "Subscriber"),
    ("lead", "Lead"),
    ("marketingqualifiedlead", "Marketing Qualified Lead"),
    ("salesqualifiedlead", "Sales Qualified Lead"),
    ("opportunity", "Opportunity"),
    ("customer", "Customer"),
    ("evangelist", "Evangelist"),
    ("other", "Other"),
];

const REGION: [(&str, &str); 4] = [
    ("NA", "North America"),
    ("EMEA", "EMEA"),
    ("APAC", "APAC"),
    ("LATAM", "LATAM"),
];

/// The properties every object type shares.
fn common(modified: &str) -> Vec<Property> {
    vec![
        Property::new("hs_object_id", "Record ID", T::Number),
        Property::new("createdate", "Create Date", T::DateTime),
        Property::new(modified, "Last Modified Date", T::DateTime),
        Property::new("hubspot_owner_id", "Owner", T::Number).owner_reference(),
    ]
}

fn contacts() -> Vec<Property> {
    let mut p = vec![
        Property::new("firstname", "First Name", T::String).searchable(),
        Property::new("lastname", "Last Name", T::String).searchable(),
        Property::new("email", "Email", T::String).searchable(),
        Property::new("phone", "Phone Number", T::String).searchable(),
        Property::new("company", "Company Name", T::String).searchable(),
        Property::new(
            "hs_additional_emails",
            "Additional Email Addresses",
            T::String,
        )
        .searchable(),
        Property::new("fax", "Fax Number", T::String).searchable(),
        Property::new("jobtitle", "Job Title", T::String),
        Property::new("website", "Website URL", T::String),
        Property::new("country", "Country/Region", T::String),
        Property::new("state", "State/Region", T::String),
        Property::new("city", "City", T::String),
        Property::new("region", "Sales Region", T::Enumeration).options(&REGION),
        Property::new("lifecyclestage", "Lifecycle Stage", T::Enumeration).options(&LIFECYCLE),
        Property::new("hs_lead_status", "Lead Status", T::Enumeration).options(&[
            ("NEW", "New"),
            ("OPEN", "Open"),
            ("IN_PROGRESS", "In Progress"),
            ("OPEN_DEAL", "Open Deal"),
            ("UNQUALIFIED", "Unqualified"),
            ("ATTEMPTED_TO_CONTACT", "Attempted to Contact"),
            ("CONNECTED", "Connected"),
            ("BAD_TIMING", "Bad Timing"),
        ]),
        Property::new("hs_analytics_source", "Original Source", T::Enumeration).options(&[
            ("ORGANIC_SEARCH", "Organic Search"),
            ("PAID_SEARCH", "Paid Search"),
            ("DIRECT_TRAFFIC", "Direct Traffic"),
            ("REFERRALS", "Referrals"),
            ("SOCIAL_MEDIA", "Organic Social"),
            ("PAID_SOCIAL", "Paid Social"),
            ("EMAIL_MARKETING", "Email Marketing"),
            ("OFFLINE", "Offline Sources"),
            ("OTHER_CAMPAIGNS", "Other Campaigns"),
        ]),
        Property::new("lastcontacted", "Last Contacted", T::DateTime),
        Property::new(
            "associatedcompanyid",
            "Primary Associated Company ID",
            T::Number,
        ),
        Property::new(
            "num_associated_deals",
            "Number of Associated Deals",
            T::Number,
        ),
        Property::new("date_of_birth", "Date of Birth", T::Date).sensitive(),
    ];
    for stage in [
        "lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
    ] {
        let name = format!("hs_lifecyclestage_{stage}_date");
        p.push(Property::new(
            &name,
            &format!("Became a {stage} Date"),
            T::DateTime,
        ));
    }
    p.extend(common("lastmodifieddate"));
    p
}

fn companies() -> Vec<Property> {
    let mut p = vec![
        Property::new("name", "Company Name", T::String).searchable(),
        Property::new("website", "Website URL", T::String).searchable(),
        Property::new("domain", "Company Domain Name", T::String).searchable(),
        Property::new("phone", "Phone Number", T::String).searchable(),
        Property::new("description", "Description", T::String),
        Property::new("industry", "Industry", T::Enumeration).options(&[
            ("COMPUTER_SOFTWARE", "Computer Software"),
            (
                "INFORMATION_TECHNOLOGY_AND_SERVICES",
                "Information Technology and Services",
            ),
            ("FINANCIAL_SERVICES", "Financial Services"),
            ("HOSPITAL_HEALTH_CARE", "Hospital & Health Care"),
            ("RETAIL", "Retail"),
            ("MARKETING_AND_ADVERTISING", "Marketing and Advertising"),
            ("MANUFACTURING", "Manufacturing"),
            ("INTERNET", "Internet"),
            ("TELECOMMUNICATIONS", "Telecommunications"),
            ("EDUCATION_MANAGEMENT", "Education Management"),
            ("LOGISTICS_AND_SUPPLY_CHAIN", "Logistics and Supply Chain"),
            ("CONSTRUCTION", "Construction"),
        ]),
        Property::new("numberofemployees", "Number of Employees", T::Number),
        Property::new("annualrevenue", "Annual Revenue", T::Number),
        Property::new("country", "Country/Region", T::String),
        Property::new("state", "State/Region", T::String),
        Property::new("city", "City", T::String),
        Property::new("region", "Sales Region", T::Enumeration).options(&REGION),
        Property::new("type", "Type", T::Enumeration).options(&[
            ("PROSPECT", "Prospect"),
            ("PARTNER", "Partner"),
            ("RESELLER", "Reseller"),
            ("VENDOR", "Vendor"),
            ("OTHER", "Other"),
        ]),
        Property::new("lifecyclestage", "Lifecycle Stage", T::Enumeration).options(&LIFECYCLE),
        Property::new(
            "num_associated_contacts",
            "Number of Associated Contacts",
            T::Number,
        ),
        Property::new(
            "num_associated_deals",
            "Number of Associated Deals",
            T::Number,
        ),
        Property::new("total_revenue", "Total Revenue", T::Number),
    ];
    p.extend(common("hs_lastmodifieddate"));
    p
}

/// Options of a pipeline-valued enumeration, taken from the standard pipelines so the two agree.
fn pipeline_options(object_type: ObjectType, stages: bool) -> Vec<(String, String)> {
    let pipelines = standard_pipelines()
        .into_iter()
        .filter(|p| p.object_type == object_type);
    if stages {
        pipelines
            .flat_map(|p| p.stages)
            .map(|s| (s.id, s.label))
            .collect()
    } else {
        pipelines.map(|p| (p.id, p.label)).collect()
    }
}

fn with_options(p: Property, options: &[(String, String)]) -> Property {
    let borrowed: Vec<(&str, &str)> = options
        .iter()
        .map(|(v, l)| (v.as_str(), l.as_str()))
        .collect();
    p.options(&borrowed)
}

fn deals() -> Vec<Property> {
    let mut p = vec![
        Property::new("dealname", "Deal Name", T::String).searchable(),
        with_options(
            Property::new("pipeline", "Pipeline", T::Enumeration).searchable(),
            &pipeline_options(ObjectType::Deals, false),
        ),
        with_options(
            Property::new("dealstage", "Deal Stage", T::Enumeration).searchable(),
            &pipeline_options(ObjectType::Deals, true),
        ),
        Property::new("description", "Deal Description", T::String).searchable(),
        Property::new("dealtype", "Deal Type", T::Enumeration)
            .searchable()
            .options(&[
                ("newbusiness", "New Business"),
                ("existingbusiness", "Existing Business"),
            ]),
        Property::new("amount", "Amount", T::Number),
        Property::new("closedate", "Close Date", T::DateTime),
        Property::new("hs_is_closed", "Is Deal Closed?", T::Bool),
        Property::new("hs_is_closed_won", "Is Closed Won", T::Bool),
        Property::new("closed_lost_reason", "Closed Lost Reason", T::String),
        Property::new("hs_deal_stage_probability", "Deal Probability", T::Number),
        Property::new(
            "num_associated_contacts",
            "Number of Associated Contacts",
            T::Number,
        ),
    ];
    p.extend(common("hs_lastmodifieddate"));
    p
}

fn tickets() -> Vec<Property> {
    let mut p = vec![
        Property::new("subject", "Ticket Name", T::String).searchable(),
        Property::new("content", "Ticket Description", T::String).searchable(),
        with_options(
            Property::new("hs_pipeline_stage", "Ticket Status", T::Enumeration).searchable(),
            &pipeline_options(ObjectType::Tickets, true),
        ),
        Property::new("hs_ticket_category", "Category", T::Enumeration)
            .searchable()
            .options(&[
                ("PRODUCT_ISSUE", "Product Issue"),
                ("BILLING_ISSUE", "Billing Issue"),
                ("FEATURE_REQUEST", "Feature Request"),
                ("GENERAL_INQUIRY", "General Inquiry"),
            ]),
        Property::new("hs_ticket_id", "Ticket ID", T::Number).searchable(),
        with_options(
            Property::new("hs_pipeline", "Pipeline", T::Enumeration),
            &pipeline_options(ObjectType::Tickets, false),
        ),
        Property::new("hs_ticket_priority", "Priority", T::Enumeration).options(&[
            ("LOW", "Low"),
            ("MEDIUM", "Medium"),
            ("HIGH", "High"),
            ("URGENT", "Urgent"),
        ]),
        Property::new("source_type", "Source", T::Enumeration).options(&[
            ("EMAIL", "Email"),
            ("CHAT", "Chat"),
            ("PHONE", "Phone"),
            ("FORM", "Form"),
        ]),
        Property::new("closed_date", "Close Date", T::DateTime),
        Property::new(
            "hs_num_associated_companies",
            "Number of Associated Companies",
            T::Number,
        ),
    ];
    p.extend(common("hs_lastmodifieddate"));
    p
}

/// The standard property table of every object type.
pub(super) fn properties() -> BTreeMap<ObjectType, Vec<Property>> {
    BTreeMap::from([
        (ObjectType::Contacts, contacts()),
        (ObjectType::Companies, companies()),
        (ObjectType::Deals, deals()),
        (ObjectType::Tickets, tickets()),
    ])
}
