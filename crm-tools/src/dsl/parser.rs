//! Tokens → [`Query`], following the deterministic rules of reference §2.

use super::error::{DslError, ErrorKind};
use super::example::{ensure_object_type, operator_like, quote, render, replace, sample};
use super::lexer::{LexError, Token, tokenize};
use crate::filter::{
    Arity, DEFAULT_LIMIT, Direction, FilterError, FilterGroup, MAX_DSL_FILTERS, MAX_IN_VALUES,
    MAX_LIMIT, MAX_Q_CHARS, MAX_WINDOW, Operator, Query, RawFilter, Schema, Sort, Visibility,
    check_filter, nearest,
};
use crate::model::{Catalogue, ObjectType};

/// Keys with a meaning of their own, offered as suggestions next to property names.
const KEYWORDS: [&str; 5] = ["object_type", "q", "limit", "offset", "sort"];

/// Parses a query for a viewer whose hidden properties are `visibility`.
///
/// Hidden properties are indistinguishable from nonexistent ones: same error, and never offered as
/// suggestions. The first error in token order is returned (a missing or bad `object_type` first,
/// since every property check depends on it).
///
/// ```
/// use crm_tools::{dsl, filter::Visibility, model::Catalogue};
///
/// let q = dsl::parse("object_type:deals amount:gt:50000 sort:amount:desc limit:50", &Catalogue::standard(), &Visibility::default())?;
/// assert_eq!(q.limit, 50);
/// # Ok::<(), crm_tools::dsl::DslError>(())
/// ```
pub fn parse(
    input: &str,
    catalogue: &Catalogue,
    visibility: &Visibility,
) -> Result<Query, DslError> {
    let tokens = tokenize(input).map_err(|e| lex_error(input, e))?;
    Parser { tokens, catalogue }.run(visibility)
}

fn lex_error(input: &str, e: LexError) -> DslError {
    let fixed = match e.kind {
        ErrorKind::UnterminatedQuote { quote } => format!("{}{quote}", e.raw),
        _ => {
            // Keep `key:` and any `op:`, then quote the rest as one value.
            let quote_at = e.raw.find(['"', '\'']).unwrap_or(e.raw.len());
            let (head, tail) = e.raw.split_at(quote_at);
            format!("{head}\"{}\"", tail.replace(['"', '\''], ""))
        }
    };
    let prefix: String = input.chars().take(e.start).collect();
    let suffix: String = input
        .chars()
        .skip(e.start + e.raw.chars().count())
        .collect();
    DslError {
        kind: Box::new(e.kind),
        token: Some(e.raw),
        position: Some(e.start + 1),
        example: format!("{prefix}{fixed}{suffix}").trim().to_owned(),
    }
}

struct Parser<'a> {
    tokens: Vec<Token>,
    catalogue: &'a Catalogue,
}

/// What the parse has gathered so far.
#[derive(Default)]
struct Seen {
    q: Option<usize>,
    limit: Option<(usize, u64)>,
    offset: Option<(usize, u64)>,
    sort: Option<usize>,
}

impl Parser<'_> {
    fn error(&self, index: usize, kind: ErrorKind, fixed: Option<&str>) -> DslError {
        let example = replace(&self.tokens, index, fixed);
        let token = &self.tokens[index];
        DslError {
            kind: Box::new(kind),
            token: Some(token.raw.clone()),
            position: Some(token.start + 1),
            example: ensure_object_type(&example, &self.tokens, self.catalogue),
        }
    }

    fn run(self, visibility: &Visibility) -> Result<Query, DslError> {
        if self.tokens.is_empty() {
            return Err(DslError {
                kind: Box::new(ErrorKind::Empty),
                token: None,
                position: None,
                example: "object_type:contacts limit:20".to_owned(),
            });
        }
        self.check_structure()?;
        let (ot_index, object_type) = self.object_type()?;
        let schema = Schema::new(self.catalogue, object_type, visibility);
        let mut query = Query::all(object_type);
        let mut seen = Seen::default();
        let mut filters = Vec::new();
        for (i, t) in self.tokens.iter().enumerate() {
            if i == ot_index {
                continue;
            }
            match t.key.to_ascii_lowercase().as_str() {
                "q" | "query" => query.q = Some(self.q(i, &mut seen)?),
                "limit" => {
                    let limit = self.integer(i, "limit", &mut seen.limit)?;
                    if limit == 0 || limit > u64::from(MAX_LIMIT) {
                        let fix = if limit == 0 {
                            "limit:1".to_owned()
                        } else {
                            format!("limit:{MAX_LIMIT}")
                        };
                        return Err(self.error(i, ErrorKind::LimitOutOfRange(limit), Some(&fix)));
                    }
                }
                "offset" => {
                    self.integer(i, "offset", &mut seen.offset)?;
                }
                "sort" => query.sort = self.sort(i, &schema, &mut seen)?,
                key => {
                    if filters.len() == MAX_DSL_FILTERS {
                        return Err(self.error(i, ErrorKind::TooManyFilters, None));
                    }
                    let (operator, values) = self.rhs(i, &schema)?;
                    let raw = RawFilter {
                        property: key.to_owned(),
                        operator,
                        values,
                    };
                    filters.push(
                        check_filter(&schema, &raw)
                            .map_err(|e| self.filter_error(i, &schema, &raw, e))?,
                    );
                }
            }
        }
        let limit = seen.limit.map_or(u64::from(DEFAULT_LIMIT), |(_, l)| l);
        let offset = seen.offset.map_or(0, |(_, o)| o);
        if offset + limit > u64::from(MAX_WINDOW) {
            let kind = ErrorKind::WindowTooLarge { offset, limit };
            return Err(match (seen.offset, seen.limit) {
                (Some((i, _)), _) => self.error(
                    i,
                    kind,
                    Some(&format!("offset:{}", u64::from(MAX_WINDOW) - limit)),
                ),
                (None, Some((i, _))) => self.error(i, kind, Some(&format!("limit:{MAX_LIMIT}"))),
                (None, None) => self.error(0, kind, None),
            });
        }
        // Both were range-checked above, so they fit in u32.
        query.limit = u32::try_from(limit).unwrap_or(DEFAULT_LIMIT);
        query.offset = u32::try_from(offset).unwrap_or(0);
        if !filters.is_empty() {
            query.groups = vec![FilterGroup { filters }];
        }
        Ok(query)
    }

    /// Rejects tokens that are not `key:…` at all, before anything depends on `object_type`.
    fn check_structure(&self) -> Result<(), DslError> {
        for (i, t) in self.tokens.iter().enumerate() {
            if t.raw.starts_with('(') || t.raw.ends_with(')') {
                let trimmed = t.raw.trim_matches(['(', ')']);
                return Err(self.error(i, ErrorKind::Parentheses, Some(trimmed)));
            }
            if !t.has_colon {
                if ["or", "and", "not"].contains(&t.raw.to_ascii_lowercase().as_str()) {
                    return Err(self.error(i, ErrorKind::BooleanKeyword(t.raw.clone()), None));
                }
                return Err(self.error(
                    i,
                    ErrorKind::MissingColon,
                    Some(&format!("q:{}", super::example::quote(&t.raw))),
                ));
            }
        }
        Ok(())
    }

    fn object_type(&self) -> Result<(usize, ObjectType), DslError> {
        let mut found = None;
        for (i, t) in self
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.key.eq_ignore_ascii_case("object_type"))
        {
            if found.is_some() {
                return Err(self.error(i, ErrorKind::DuplicateKey("object_type".to_owned()), None));
            }
            // An explicit `eq` is allowed, as for any key.
            let explicit_eq =
                t.segments.len() == 2 && t.segments[0].text.eq_ignore_ascii_case("eq");
            let value = t.value_from(usize::from(explicit_eq));
            match value.parse::<ObjectType>() {
                Ok(ot) => found = Some((i, ot)),
                Err(_) => {
                    let names = ObjectType::ALL.map(ObjectType::as_str);
                    let best = nearest(&value, names.into_iter())
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    let fix = format!("object_type:{best}");
                    return Err(self.error(i, ErrorKind::UnknownObjectType(value), Some(&fix)));
                }
            }
        }
        found.ok_or_else(|| {
            let example = self
                .tokens
                .iter()
                .map(|t| t.raw.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            DslError {
                kind: Box::new(ErrorKind::MissingObjectType),
                token: None,
                position: None,
                example: ensure_object_type(&example, &self.tokens, self.catalogue),
            }
        })
    }

    fn duplicate(&self, i: usize, key: &str, seen: bool) -> Result<(), DslError> {
        if seen {
            Err(self.error(i, ErrorKind::DuplicateKey(key.to_owned()), None))
        } else {
            Ok(())
        }
    }

    fn q(&self, i: usize, seen: &mut Seen) -> Result<String, DslError> {
        self.duplicate(i, "q", seen.q.is_some())?;
        seen.q = Some(i);
        let value = self.tokens[i].value_from(0);
        if value.trim().is_empty() {
            return Err(self.error(i, ErrorKind::MissingValue(None), Some("q:\"john doe\"")));
        }
        if value.chars().count() > MAX_Q_CHARS {
            let short: Vec<&str> = value.split_whitespace().take(3).collect();
            let fix = format!("q:{}", super::example::quote(&short.join(" ")));
            return Err(self.error(i, ErrorKind::QueryTooLong, Some(&fix)));
        }
        Ok(value)
    }

    fn integer(
        &self,
        i: usize,
        key: &str,
        slot: &mut Option<(usize, u64)>,
    ) -> Result<u64, DslError> {
        self.duplicate(i, key, slot.is_some())?;
        let value = self.tokens[i].value_from(0);
        let parsed = value
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| value.parse::<u64>().ok())
            .flatten();
        let Some(n) = parsed else {
            let fix = if key == "limit" {
                format!("limit:{DEFAULT_LIMIT}")
            } else {
                "offset:0".to_owned()
            };
            return Err(self.error(
                i,
                ErrorKind::InvalidInteger {
                    key: key.to_owned(),
                    value,
                },
                Some(&fix),
            ));
        };
        *slot = Some((i, n));
        Ok(n)
    }

    fn sort(&self, i: usize, schema: &Schema<'_>, seen: &mut Seen) -> Result<Sort, DslError> {
        self.duplicate(i, "sort", seen.sort.is_some())?;
        seen.sort = Some(i);
        let t = &self.tokens[i];
        let name = t
            .segments
            .first()
            .map(|s| s.text.to_ascii_lowercase())
            .unwrap_or_default();
        let direction_text = t.value_from(1).to_ascii_lowercase();
        let direction = match (t.segments.len(), direction_text.as_str()) {
            (1, _) | (2, "asc") => Direction::Asc,
            (2, "desc") => Direction::Desc,
            _ => Direction::Asc,
        };
        let Some(property) = schema.property(&name) else {
            if name.is_empty() {
                return Err(self.error(
                    i,
                    ErrorKind::MissingValue(None),
                    Some("sort:createdate:desc"),
                ));
            }
            let suggestions = schema.suggest(&name);
            let fix = suggestions
                .first()
                .map(|s| format!("sort:{s}{}", suffix(t)));
            let kind = ErrorKind::Filter(FilterError::UnknownProperty { name, suggestions });
            return Err(self.error(i, kind, fix.as_deref()));
        };
        let valid_direction = t.segments.len() == 1
            || (t.segments.len() == 2 && ["asc", "desc"].contains(&direction_text.as_str()));
        if !valid_direction {
            let fix = format!("sort:{}:desc", property.name);
            return Err(self.error(i, ErrorKind::InvalidSort(t.value_from(0)), Some(&fix)));
        }
        Ok(Sort {
            property: property.name.clone(),
            direction,
        })
    }

    /// Reference §2 rule 2: a unary operator, or `op:` then the value, or an implicit `eq`.
    fn rhs(&self, i: usize, schema: &Schema<'_>) -> Result<(Operator, Vec<String>), DslError> {
        let t = &self.tokens[i];
        let key = t.key.to_ascii_lowercase();
        let property = schema.property(&key);
        let first = t.segments.first();
        let op = first
            .filter(|s| !s.quoted)
            .and_then(|s| Operator::parse(&s.text));
        if op.is_none() {
            self.unknown_operator(i, schema)?;
        }
        let (op, value, quoted) = match op {
            Some(op) if op.arity() == Arity::None => {
                if t.segments.len() > 1 {
                    return Err(self.error(
                        i,
                        ErrorKind::UnaryWithValue(op),
                        Some(&render(&key, op, "")),
                    ));
                }
                return Ok((op, Vec::new()));
            }
            Some(op) => (op, t.value_from(1), t.quoted_from(1)),
            None => (Operator::Eq, t.value_from(0), t.quoted_from(0)),
        };
        if value.is_empty() && !quoted {
            let fix = render(&key, op, &sample(property, op));
            // Name the operator only if one was written (`email:in`, `email:eq:`), not for `email:`.
            let shown_op = (op != Operator::Eq || t.segments.len() > 1).then_some(op);
            return Err(self.error(i, ErrorKind::MissingValue(shown_op), Some(&fix)));
        }
        Ok((op, split_values(op, &value)))
    }

    /// Rejects `key:word:value` whose `word` looks like an operator but is none (`greater`, `is`,
    /// `startswith`). Read as an implicit `eq`, such a token would compare against the literal
    /// `greater:1000` and quietly match nothing, so it is an error that names the operator meant.
    fn unknown_operator(&self, i: usize, schema: &Schema<'_>) -> Result<(), DslError> {
        let t = &self.tokens[i];
        let (Some(first), Some(second)) = (t.segments.first(), t.segments.get(1)) else {
            return Ok(());
        };
        if first.quoted || !operator_like(&first.text, Some(&second.text)) {
            return Ok(());
        }
        let key = t.key.to_ascii_lowercase();
        // An unknown property is the more basic mistake; check_filter reports it, with names.
        if schema.property(&key).is_none() && !key.starts_with("associated_") {
            return Ok(());
        }
        let word = first.text.as_str();
        let meant = Operator::alias(word).or_else(|| Operator::misspelled(word));
        let whole = t.value_from(0);
        let is_scheme = URL_SCHEMES.contains(&word.to_ascii_lowercase().as_str());
        let quote_hint = (is_scheme || meant.is_none()).then(|| format!("{key}:{}", quote(&whole)));
        let fix = operator_fix(schema, &key, meant, word, &t.value_from(1), &whole);
        let kind = ErrorKind::UnknownOperator {
            word: word.to_owned(),
            suggestions: Operator::nearest(word),
            quote_hint,
        };
        Err(self.error(i, kind, fix.as_deref()))
    }

    fn filter_error(
        &self,
        i: usize,
        schema: &Schema<'_>,
        raw: &RawFilter,
        e: FilterError,
    ) -> DslError {
        let key = raw.property.as_str();
        let op = raw.operator;
        let first = raw.values.first().cloned().unwrap_or_default();
        let property = schema.property(key);
        let (e, fix) = match e {
            FilterError::UnknownProperty { name, suggestions } => {
                let suggestions = if key.starts_with("associated_") {
                    suggestions
                } else {
                    let keywords = KEYWORDS
                        .into_iter()
                        .filter(|k| keyword_fits(k, key, &self.tokens[i], schema));
                    let names: Vec<&str> = schema
                        .properties()
                        .map(|p| p.name.as_str())
                        .chain(keywords)
                        .collect();
                    nearest(key, names.into_iter())
                };
                let raw_token = &self.tokens[i].raw;
                // Only a close suggestion is worth writing into the example; otherwise drop the token.
                let fix = suggestions
                    .first()
                    .filter(|s| {
                        strsim::damerau_levenshtein(key, s) <= (key.chars().count() / 3).max(2)
                    })
                    .map(|s| format!("{s}{}", &raw_token[self.tokens[i].key.len()..]));
                (FilterError::UnknownProperty { name, suggestions }, fix)
            }
            e @ FilterError::OperatorNotAllowed { .. } => {
                (e, Some(render(key, Operator::Eq, &first)))
            }
            e @ (FilterError::InvalidValue { .. } | FilterError::Arity { .. }) => {
                (e, Some(render(key, op, &sample(property, op))))
            }
            FilterError::UnknownOption {
                property,
                value,
                options,
            } => {
                // Swap the unknown value for its nearest option; the others stay as written.
                let nearest = options.first().cloned().unwrap_or_default();
                let fixed = raw
                    .values
                    .iter()
                    .map(|v| {
                        if *v == value {
                            nearest.clone()
                        } else {
                            v.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(",");
                let e = FilterError::UnknownOption {
                    property,
                    value,
                    options,
                };
                (e, Some(render(key, op, &fixed)))
            }
            e @ FilterError::BetweenOrder { .. } => {
                let swapped = raw
                    .values
                    .iter()
                    .rev()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(",");
                (e, Some(render(key, op, &swapped)))
            }
            e @ FilterError::TooManyValues { .. } => {
                let kept = raw
                    .values
                    .iter()
                    .take(MAX_IN_VALUES)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(",");
                (e, Some(render(key, op, &kept)))
            }
            e @ FilterError::AssociatedOperator { .. } => {
                (e, Some(render(key, Operator::Eq, &first)))
            }
            FilterError::AssociatedValue { object_type, value } => {
                // The id has to be looked up first; show that lookup as the example.
                let example = format!(
                    "object_type:{object_type} q:{}",
                    super::example::quote(&value)
                );
                let t = &self.tokens[i];
                return DslError {
                    kind: Box::new(ErrorKind::Filter(FilterError::AssociatedValue {
                        object_type,
                        value,
                    })),
                    token: Some(t.raw.clone()),
                    position: Some(t.start + 1),
                    example,
                };
            }
        };
        self.error(i, ErrorKind::Filter(e), fix.as_deref())
    }
}

/// Whether a misspelled `key` could be keyword `keyword`, judged by the token's shape: `limit` and
/// `offset` take a whole number, `sort` a visible property with an optional direction, `object_type`
/// an object type, and `q` free text (offered only for keys close to `q`/`query`, since any value
/// fits it). A filter-shaped token (`date_of_birth:1990-01-01`) is then only matched to properties.
fn keyword_fits(keyword: &str, key: &str, t: &Token, schema: &Schema<'_>) -> bool {
    let value = t.value_from(0);
    match keyword {
        "limit" | "offset" => {
            t.segments.len() == 1 && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
        }
        "sort" => {
            let direction = t.segments.get(1).map(|s| s.text.to_ascii_lowercase());
            t.segments.len() <= 2
                && t.segments
                    .first()
                    .is_some_and(|s| schema.property(&s.text).is_some())
                && direction.is_none_or(|d| d == "asc" || d == "desc")
        }
        "object_type" => value.parse::<ObjectType>().is_ok(),
        _ => key.chars().count() > 1 && strsim::damerau_levenshtein(key, "query") <= 2,
    }
}

/// Schemes whose `scheme:rest` is a value missing its quotes rather than a misspelled operator.
const URL_SCHEMES: [&str; 6] = ["http", "https", "ftp", "mailto", "tel", "urn"];

/// The operands of `op`: a comma-separated list for `in`, `not_in` and `between`, else one value.
fn split_values(op: Operator, value: &str) -> Vec<String> {
    match op.arity() {
        Arity::Two | Arity::Many => value.split(',').map(|v| v.trim().to_owned()).collect(),
        Arity::None => Vec::new(),
        Arity::One => vec![value.to_owned()],
    }
}

/// The corrected token for an unknown operator: the operator `meant` with the value as written;
/// else `eq` with that value (when `meant` does not fit the type, e.g. `gt` on an enumeration);
/// else the whole right-hand side as one quoted value; else `meant` with a sample value. The
/// first candidate that passes the filter check wins, so the example parses; `None` drops the
/// token when none does.
fn operator_fix(
    schema: &Schema<'_>,
    key: &str,
    meant: Option<Operator>,
    word: &str,
    value: &str,
    whole: &str,
) -> Option<String> {
    let value = wildcard_for(word, value);
    let mut candidates: Vec<(Operator, String)> = Vec::new();
    if let Some(op) = meant {
        candidates.push((op, value.clone()));
        candidates.push((Operator::Eq, value));
    } else {
        candidates.push((Operator::Eq, whole.to_owned()));
    }
    let property = schema.property(key);
    let fallback = meant.unwrap_or(Operator::Eq);
    candidates.push((fallback, sample(property, fallback)));
    candidates.into_iter().find_map(|(op, v)| {
        let raw = RawFilter {
            property: key.to_owned(),
            operator: op,
            values: split_values(op, &v),
        };
        check_filter(schema, &raw).ok().map(|_| render(key, op, &v))
    })
}

/// `startswith:Jo` means the token pattern `Jo*` (and `endswith:son` means `*son`): a bare
/// `contains_token:Jo` would match only the whole token "Jo".
fn wildcard_for(word: &str, value: &str) -> String {
    let word = word.to_ascii_lowercase();
    let starts = [
        "startswith",
        "starts_with",
        "begins_with",
        "beginswith",
        "prefix",
    ];
    let ends = ["endswith", "ends_with", "suffix"];
    if starts.contains(&word.as_str()) && !value.ends_with('*') {
        format!("{value}*")
    } else if ends.contains(&word.as_str()) && !value.starts_with('*') {
        format!("*{value}")
    } else {
        value.to_owned()
    }
}

/// `:desc` / `:asc` as written after the sort property, or nothing.
fn suffix(t: &Token) -> String {
    if t.segments.len() > 1 {
        format!(":{}", t.value_from(1))
    } else {
        String::new()
    }
}
