//! Name pools and geography. Edge cases are deliberate: apostrophes, diacritics, multi-word
//! names, `:` and `,` inside values, SQL and LIKE metacharacters, and same-name twins.

/// (region, share, planted 90-day lead→customer rate, deal win rate, UTC offset of business hours).
pub(crate) const REGIONS: [(&str, f64, f64, f64, i64); 4] = [
    ("NA", 0.40, 0.11, 0.30, -5),
    ("EMEA", 0.32, 0.14, 0.36, 1),
    ("APAC", 0.18, 0.07, 0.24, 8),
    ("LATAM", 0.10, 0.05, 0.20, -3),
];

/// One country: its ISO-2 code and (state, city) choices (state empty where unused).
pub(crate) type Country = (&'static str, &'static [(&'static str, &'static str)]);

/// Countries per region, in [`REGIONS`] order.
pub(crate) const GEO: [&[Country]; 4] = [
    &[
        (
            "US",
            &[
                ("CA", "San Francisco"),
                ("NY", "New York"),
                ("TX", "Austin"),
                ("MA", "Boston"),
                ("WA", "Seattle"),
            ],
        ),
        (
            "CA",
            &[("ON", "Toronto"), ("BC", "Vancouver"), ("QC", "Montréal")],
        ),
    ],
    &[
        ("GB", &[("", "London"), ("", "Manchester")]),
        ("DE", &[("", "Berlin"), ("", "München")]),
        ("FR", &[("", "Paris"), ("", "Lyon")]),
        ("NL", &[("", "Amsterdam")]),
        ("SE", &[("", "Stockholm"), ("", "Göteborg")]),
        ("ES", &[("", "Madrid"), ("", "A Coruña")]),
    ],
    &[
        ("AU", &[("NSW", "Sydney"), ("VIC", "Melbourne")]),
        ("JP", &[("", "Tokyo"), ("", "Ōsaka")]),
        ("SG", &[("", "Singapore")]),
        ("IN", &[("", "Bengaluru"), ("", "Mumbai")]),
    ],
    &[
        ("BR", &[("SP", "São Paulo"), ("RJ", "Rio de Janeiro")]),
        ("MX", &[("", "Ciudad de México"), ("", "Monterrey")]),
        ("AR", &[("", "Buenos Aires")]),
    ],
];

pub(crate) const FIRST_NAMES: &[&str] = &[
    "John", "Maria", "Wei", "Aisha", "Liam", "Zoë", "José", "Renée", "Seán", "Priya", "Kenji",
    "Fatima", "Olga", "Noah", "Emma", "Lucas", "Sofía", "Mateo", "Chloé", "Ivan", "Anna", "Omar",
    "Hannah", "Ravi", "Yuki", "Björn", "Ngozi", "Sarah", "David", "Elena",
];

pub(crate) const LAST_NAMES: &[&str] = &[
    "Doe",
    "Smith",
    "O'Brien",
    "Müller",
    "Núñez",
    "García",
    "Chen",
    "Tanaka",
    "Kowalski",
    "Nguyen",
    "D'Angelo",
    "Johansson",
    "Patel",
    "Okafor",
    "Dubois",
    "Rossi",
    "Silva",
    "Ivanova",
    "Kim",
    "Martin",
    "Brown",
    "Lee",
    "van der Berg",
    "Al-Sayed",
    "Fernández",
];

/// The first companies get these names, in this order (two "Acme Corp" twins with different
/// domains, and values that break naive quoting or splitting).
pub(crate) const EDGE_COMPANIES: &[&str] = &[
    "Acme Corp",
    "Müller & Söhne GmbH",
    "Acme Corp",
    "O'Reilly Partners",
    "Smith, Jones: Partners",
    "Robert'); DROP TABLE contacts;--",
    "100% Pure_Data Ltd",
    "\"Quoted\" Holdings",
    "Zoë's Café ☕",
];

pub(crate) const COMPANY_WORDS: &[&str] = &[
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Wonka",
    "Aperture",
    "Gringotts",
    "Oscorp",
    "Massive",
    "Blue Sun",
    "Monarch",
    "Pied Piper",
    "Dunder",
];

pub(crate) const COMPANY_SUFFIXES: &[&str] = &[
    "Inc", "Ltd", "GmbH", "Labs", "Systems", "Group", "SA", "KK", "Pty", "Co",
];

pub(crate) const JOB_TITLES: &[&str] = &[
    "CEO",
    "CTO",
    "VP Sales",
    "Head of Marketing",
    "Engineer",
    "Buyer",
    "Ops Manager",
    "Director, IT: Infrastructure",
];

pub(crate) const PRODUCTS: &[&str] =
    &["Platform", "Analytics", "Support Plan", "Onboarding", "API"];

/// Ticket subjects and the keywords their content carries (for `q:refund` and friends).
pub(crate) const TICKET_TOPICS: &[(&str, &str)] = &[
    (
        "Refund request",
        "The customer asks for a refund of the last invoice.",
    ),
    (
        "Cannot login",
        "User reports a login failure after the password reset.",
    ),
    (
        "Invoice question",
        "Question about an invoice line and the VAT amount.",
    ),
    (
        "Feature: export",
        "Request to export reports as CSV, with \"quotes\" and commas, intact.",
    ),
    (
        "Billing: double charge",
        "Card charged twice; wants a refund; see invoice #42.",
    ),
    (
        "API rate limit",
        "Integration hits the API rate limit at 100% load.",
    ),
];
