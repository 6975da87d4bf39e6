//! The `contains_token` matcher: case-insensitive, `*` wildcards, matches must start and end on
//! token boundaries (reference §2). SQLite calls it as a registered function; keeping the rule in
//! Rust means one implementation, unit-tested here, instead of a LIKE/GLOB approximation.

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Whether `needle` matches a token-bounded substring of `haystack`.
///
/// A boundary is the start or end of `haystack`, a non-alphanumeric neighbour, or `needle` itself
/// beginning (or ending) with a non-alphanumeric character. `*` matches any run of characters, so
/// `start*` matches "startup" while `start` does not. Runs in O(len(needle) · len(haystack)).
pub fn contains_token(haystack: &str, needle: &str) -> bool {
    let hay: Vec<char> = haystack.chars().map(fold).collect();
    let pat: Vec<char> = needle.chars().map(fold).collect();
    let literal = |c: &&char| **c != '*';
    let Some(first) = pat.iter().find(literal) else {
        // Only wildcards (or nothing): matches any set value, never an empty one.
        return !pat.is_empty() && !hay.is_empty();
    };
    let last = pat.iter().rev().find(literal).unwrap_or(first);
    let open_start = !first.is_alphanumeric() || pat.first() == Some(&'*');
    let open_end = !last.is_alphanumeric() || pat.last() == Some(&'*');
    let start_ok = |i: usize| open_start || i == 0 || !hay[i - 1].is_alphanumeric();
    let end_ok = |i: usize| open_end || i == hay.len() || !hay[i].is_alphanumeric();
    // reach[j]: the pattern prefix read so far can end at haystack position j.
    let mut reach: Vec<bool> = (0..=hay.len()).map(start_ok).collect();
    for &p in &pat {
        let mut next = vec![false; hay.len() + 1];
        if p == '*' {
            let mut seen = false;
            for (j, slot) in next.iter_mut().enumerate() {
                seen |= reach[j];
                *slot = seen;
            }
        } else {
            for j in 0..hay.len() {
                if reach[j] && hay[j] == p {
                    next[j + 1] = true;
                }
            }
        }
        reach = next;
    }
    reach.iter().enumerate().any(|(j, &ok)| ok && end_ok(j))
}

#[cfg(test)]
mod tests {
    use super::contains_token;

    #[test]
    fn reference_examples() {
        assert!(contains_token("jo@example.com", "@example.com"));
        assert!(contains_token("a startup co", "startup"));
        assert!(!contains_token("a startup co", "start"));
        assert!(contains_token("a startup co", "start*"));
        assert!(contains_token("jo@hubspot.com", "*@hubspot.com"));
    }

    #[test]
    fn case_and_unicode() {
        assert!(contains_token("Zoë MÜLLER", "müller"));
        assert!(contains_token("REFUND please", "refund"));
        assert!(!contains_token("refunded", "refund"));
        assert!(contains_token("refunded", "refund*"));
    }

    #[test]
    fn token_boundaries_inside_words() {
        assert!(!contains_token("superstartup", "startup"));
        assert!(contains_token("super-startup", "startup"));
        assert!(contains_token("John Doe", "john doe"));
        assert!(!contains_token("Johnny Doe", "john doe"));
        assert!(contains_token("x", "*"));
        assert!(!contains_token("", "*"));
        assert!(!contains_token("", "a"));
    }
}
