//! Search: which role entries match what the user typed, best first, and which characters
//! to highlight.
//!
//! Every whitespace-separated word of the query must occur (case-insensitively) in one of the
//! entry's fields: profile name, account ID or alias, role name with path, region, group or
//! base account. A word scores by where it occurs (the whole field, a prefix, the start of a
//! word inside it, anywhere) and in which field (the profile name counts most); an entry's
//! score is the sum over the words. Ties keep file order.
//!
//! Built for 50,000 entries and a keystroke budget of 16 ms: [`SearchIndex`] lower-cases every
//! field once, into one buffer, and a query that extends the previous one only re-checks the
//! previous matches ([`SearchIndex::refine`]). A hand-written ranker rather than a fuzzy-match
//! crate keeps the WASM small.

use std::ops::Range;

use crate::roles::entry::RoleEntry;

const FIELDS: usize = 7;
/// How much a match in each field counts, in the order of [`fields`].
const FIELD_WEIGHT: [u32; FIELDS] = [3, 2, 2, 2, 1, 1, 1];

fn fields(entry: &RoleEntry) -> [&str; FIELDS] {
    [
        &entry.profile,
        &entry.account,
        entry.account_alias.as_deref().unwrap_or(""),
        &entry.role_name,
        entry.region.as_deref().unwrap_or(""),
        entry.group.as_deref().unwrap_or(""),
        entry.base_profile.as_deref().unwrap_or(""),
    ]
}

/// How a word occurs in a field, worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MatchKind {
    Inside = 1,
    WordStart = 2,
    Prefix = 3,
    Whole = 4,
}

/// Where `needle` (not empty) first occurs in `hay` at or after `from`. Both are UTF-8, so a
/// byte match always starts on a character boundary. Query words and fields are short: finding
/// the first byte (several bytes at a time) and comparing the rest in place beats building a
/// `str::find` searcher (Two-Way) for every field of every entry, and a search of 50,000
/// entries scans megabytes for each word.
fn find_at(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let last = hay.len().checked_sub(needle.len())?;
    let mut at = from;
    while at <= last {
        at = find_byte(&hay[..=last], first, at)?;
        if hay[at + 1..at + needle.len()]
            .iter()
            .zip(rest)
            .all(|(a, b)| a == b)
        {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// Where `byte` first occurs in `hay` at or after `from`, sixteen bytes at a time with WASM's
/// SIMD (Chrome 91+ and Firefox 89+ have it; the manifests ask for 116 and 140).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn find_byte(hay: &[u8], byte: u8, from: usize) -> Option<usize> {
    use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128, v128_load};
    let pattern = u8x16_splat(byte);
    let mut at = from;
    while at + 16 <= hay.len() {
        // SAFETY: `at + 16 <= hay.len()`, so the 16 bytes read are inside `hay`; `v128_load`
        // allows any alignment.
        let chunk = unsafe { v128_load(hay.as_ptr().add(at).cast::<v128>()) };
        let found = u8x16_bitmask(u8x16_eq(chunk, pattern));
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize);
        }
        at += 16;
    }
    hay.get(at..)?
        .iter()
        .position(|&b| b == byte)
        .map(|i| at + i)
}

/// Where `byte` first occurs in `hay` at or after `from`, eight bytes at a time (for builds
/// without WASM's SIMD, such as the native tests).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn find_byte(hay: &[u8], byte: u8, from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let pattern = ONES * byte as u64;
    let mut at = from;
    while let Some(chunk) = hay.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes")) ^ pattern;
        // Non-zero when a byte of `word` is zero; its lowest set bit marks the first such byte.
        let found = word.wrapping_sub(ONES) & !word & HIGHS;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    hay.get(at..)?
        .iter()
        .position(|&b| b == byte)
        .map(|i| at + i)
}

/// How `word` occurs at byte `at` of `field`: the whole field, a prefix, at a word's start or
/// inside one.
fn kind_at(field: &[u8], word_len: usize, at: usize) -> MatchKind {
    if at == 0 {
        if field.len() == word_len {
            MatchKind::Whole
        } else {
            MatchKind::Prefix
        }
    } else if !field[at - 1].is_ascii_alphanumeric() && field[at - 1] < 0x80 {
        MatchKind::WordStart
    } else {
        MatchKind::Inside
    }
}

/// The best way `word` (lower-case) occurs in `field` (lower-case), if it does.
#[cfg(test)]
fn match_kind(field: &str, word: &str) -> Option<MatchKind> {
    let (field, word) = (field.as_bytes(), word.as_bytes());
    let mut best = None;
    let mut from = 0;
    while let Some(at) = find_at(field, word, from) {
        let kind = kind_at(field, word.len(), at);
        best = best.max(Some(kind));
        if kind >= MatchKind::WordStart {
            // A prefix is found first when there is one; nothing later beats a word start.
            break;
        }
        from = at + 1;
    }
    best
}

/// The searchable text of every entry, lower-cased once.
pub struct SearchIndex {
    text: String,
    /// `FIELDS` starts per entry, then one end: entry `i`'s field `f` is
    /// `text[starts[i * FIELDS + f]..starts[i * FIELDS + f + 1]]`.
    starts: Vec<u32>,
}

/// A parsed query: its lower-cased words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub words: Vec<String>,
}

impl Query {
    pub fn new(text: &str) -> Query {
        Query {
            words: text.split_whitespace().map(str::to_lowercase).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether every entry matching `self` also matches `previous`, so that a search for
    /// `self` only needs to look at `previous`'s matches: each earlier word is still there,
    /// or extended (a longer word occurs only where its beginning does).
    pub fn narrows(&self, previous: &Query) -> bool {
        !previous.is_empty()
            && previous.words.len() <= self.words.len()
            && previous
                .words
                .iter()
                .zip(&self.words)
                .all(|(old, new)| new.contains(old.as_str()))
    }
}

impl SearchIndex {
    pub fn new(entries: &[RoleEntry]) -> SearchIndex {
        let mut text = String::with_capacity(entries.len() * 64);
        let mut starts = Vec::with_capacity(entries.len() * FIELDS + 1);
        for entry in entries {
            for field in fields(entry) {
                starts.push(text.len() as u32);
                if field.is_ascii() {
                    text.extend(field.bytes().map(|b| b.to_ascii_lowercase() as char));
                } else {
                    text.push_str(&field.to_lowercase());
                }
            }
        }
        starts.push(text.len() as u32);
        SearchIndex { text, starts }
    }

    pub fn len(&self) -> usize {
        self.starts.len() / FIELDS
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[cfg(test)]
    fn field(&self, entry: usize, field: usize) -> &str {
        let at = entry * FIELDS + field;
        &self.text[self.starts[at] as usize..self.starts[at + 1] as usize]
    }

    /// The entry's score for `query`, or `None` if some word matches no field.
    #[cfg(test)]
    fn score(&self, entry: usize, query: &Query) -> Option<u32> {
        let mut total = 0;
        for word in &query.words {
            let best = (0..FIELDS)
                .filter_map(|f| {
                    match_kind(self.field(entry, f), word)
                        .map(|kind| kind as u32 * 4 + FIELD_WEIGHT[f])
                })
                .max()?;
            total += best;
        }
        Some(total)
    }

    /// Indices of the entries matching `query`, best first (file order for an empty query).
    pub fn search(&self, query: &Query) -> Vec<usize> {
        if query.is_empty() {
            return (0..self.len()).collect();
        }
        // One pass over the whole text per word: each occurrence scores its entry's field.
        let entries = self.len();
        let mut total = vec![0u32; entries];
        let text = self.text.as_bytes();
        for (w, word) in query.words.iter().enumerate() {
            let word = word.as_bytes();
            let mut best = vec![0u8; entries];
            let (mut field, mut from) = (0, 0);
            while let Some(at) = find_at(text, word, from) {
                from = at + 1;
                if let Some(value) = self.value_at(&mut field, at, word.len()) {
                    let entry = &mut best[field / FIELDS];
                    *entry = (*entry).max(value);
                }
            }
            for (sum, best) in total.iter_mut().zip(best) {
                // Every match scores at least 5: 0 marks an entry some word did not match.
                *sum = if best == 0 || (w > 0 && *sum == 0) {
                    0
                } else {
                    *sum + best as u32
                };
            }
        }
        rank(
            total
                .into_iter()
                .enumerate()
                .filter(|&(_, s)| s > 0)
                .map(|(i, s)| (s, i)),
        )
    }

    /// Like [`search`](Self::search), looking only at `candidates`: the matches of a query
    /// that `query` [narrows](Query::narrows). An entry's fields are one stretch of the text,
    /// so each candidate costs a scan of its own bytes only.
    pub fn refine(&self, candidates: &[usize], query: &Query) -> Vec<usize> {
        rank(self.in_file_order(candidates).filter_map(|i| {
            let mut total = 0;
            for word in &query.words {
                match self.best_in_entry(i, word.as_bytes()) {
                    0 => return None,
                    best => total += best as u32,
                }
            }
            Some((total, i))
        }))
    }

    /// How `word` best occurs in `entry` (as [`search`](Self::search) scores an occurrence),
    /// or 0 if it does not.
    fn best_in_entry(&self, entry: usize, word: &[u8]) -> u8 {
        let text = self.text.as_bytes();
        let mut field = entry * FIELDS;
        let end = self.starts[field + FIELDS] as usize;
        let mut from = self.starts[field] as usize;
        let mut best = 0;
        while let Some(at) = find_at(&text[..end], word, from) {
            from = at + 1;
            if let Some(value) = self.value_at(&mut field, at, word.len()) {
                best = best.max(value);
            }
        }
        best
    }

    /// What an occurrence of a `word_len`-byte word at byte `at` of the text scores in the field
    /// it falls in (`None` when it runs across two fields). `field` is a field at or before that
    /// one; it is moved up to it, so that a scan's occurrences, in order, walk the fields once.
    fn value_at(&self, field: &mut usize, at: usize, word_len: usize) -> Option<u8> {
        while self.starts[*field + 1] as usize <= at {
            *field += 1;
        }
        let (start, end) = (
            self.starts[*field] as usize,
            self.starts[*field + 1] as usize,
        );
        if at + word_len > end {
            return None;
        }
        let kind = kind_at(&self.text.as_bytes()[start..end], word_len, at - start);
        Some(kind as u8 * 4 + FIELD_WEIGHT[*field % FIELDS] as u8)
    }

    /// The matches among `candidates`, scored entry by entry and field by field: the plain
    /// reading of the ranking rules, which the tests hold the fast paths to.
    #[cfg(test)]
    fn score_each(&self, candidates: &[usize], query: &Query) -> Vec<usize> {
        rank(
            self.in_file_order(candidates)
                .filter_map(|i| self.score(i, query).map(|s| (s, i))),
        )
    }

    /// `candidates` in file order, so that ranking keeps ties in file order.
    fn in_file_order(&self, candidates: &[usize]) -> impl Iterator<Item = usize> {
        let mut candidate = vec![false; self.len()];
        for &i in candidates {
            candidate[i] = true;
        }
        (0..self.len()).filter(move |&i| candidate[i])
    }
}

/// `(score, index)` pairs in file order → indices, best score first, ties in file order.
/// Scores are small (at most 19 a word), so a counting sort does it in linear time, with no
/// comparison sort in the WASM.
fn rank(scored: impl Iterator<Item = (u32, usize)>) -> Vec<usize> {
    let scored: Vec<(u32, usize)> = scored.collect();
    let top = scored.iter().map(|&(s, _)| s as usize).max().unwrap_or(0);
    // `next[s]`: where the next entry scoring `s` goes; higher scores come first.
    let mut next = vec![0usize; top + 1];
    for &(s, _) in &scored {
        next[s as usize] += 1;
    }
    let mut at = 0;
    for slot in next.iter_mut().rev() {
        let count = *slot;
        *slot = at;
        at += count;
    }
    let mut ranked = vec![0usize; scored.len()];
    for &(s, i) in &scored {
        ranked[next[s as usize]] = i;
        next[s as usize] += 1;
    }
    ranked
}

/// Indices into `entries` of the entries matching `query`, best first.
pub fn filter_entries(entries: &[RoleEntry], query: &str) -> Vec<usize> {
    SearchIndex::new(entries).search(&Query::new(query))
}

/// The byte ranges of `text` to highlight for `query`: every case-insensitive occurrence of
/// any of its words, merged and in order.
pub fn highlight_ranges(text: &str, query: &Query) -> Vec<Range<usize>> {
    if query.is_empty() || text.is_empty() {
        return Vec::new();
    }
    // Lower-case char by char, remembering where each lower-cased byte came from, so that
    // ranges found in the lower-cased text map back even where lower-casing changes lengths.
    let mut lower = String::with_capacity(text.len());
    let mut origin: Vec<usize> = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        for l in c.to_lowercase() {
            let before = lower.len();
            lower.push(l);
            origin.extend(std::iter::repeat(at).take(lower.len() - before));
        }
    }
    origin.push(text.len());
    let end_of = |lower_end: usize| -> usize {
        // The end of the original character that produced the last matched byte.
        let start = origin[lower_end - 1];
        start + text[start..].chars().next().map_or(0, char::len_utf8)
    };
    // Each word's occurrences come in order; merging the words' lists keeps them in order
    // (by start, then end) without a sort.
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for word in &query.words {
        let mut found: Vec<Range<usize>> = Vec::new();
        let mut from = 0;
        while let Some(offset) = lower[from..].find(word.as_str()) {
            let at = from + offset;
            found.push(origin[at]..end_of(at + word.len()));
            from = at + lower[at..].chars().next().map_or(1, char::len_utf8);
        }
        ranges = merge_in_order(ranges, found);
    }
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// [`highlight_ranges`] counted in UTF-16 code units, as the DOM counts offsets in a text
/// node (`Range.setStart`): the popup paints them over its rows' text.
pub fn highlight_ranges_utf16(text: &str, query: &Query) -> Vec<Range<u32>> {
    let bytes = highlight_ranges(text, query);
    let (mut units, mut at) = (0u32, 0usize);
    let mut units_at = |byte: usize| {
        // Ranges come in order and do not overlap: each count resumes where the last stopped.
        units += text[at..byte].encode_utf16().count() as u32;
        at = byte;
        units
    };
    bytes
        .into_iter()
        .map(|r| units_at(r.start)..units_at(r.end))
        .collect()
}

/// Two lists of ranges, each ordered by (start, end), as one such list.
fn merge_in_order(a: Vec<Range<usize>>, b: Vec<Range<usize>>) -> Vec<Range<usize>> {
    if a.is_empty() {
        return b;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => (x.start, x.end) <= (y.start, y.end),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return out,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_config;

    const CONFIG: &str = "[profile prod-admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nregion = eu-west-1\n\
        [profile cn-ops]\nrole_arn = arn:aws-cn:iam::210987654321:role/ops/Operator\n\
        [profile staging-prod-readonly]\nrole_arn = arn:aws:iam::111111111111:role/ReadOnly\n\
        [profile reproduce]\nrole_arn = arn:aws:iam::222222222222:role/Dev\ngroup = Sandbox\n\
        [profile base]\naws_account_id = 333333333333\n\
        [profile via-base]\nsource_profile = base\nrole_arn = arn:aws:iam::444444444444:role/Audit\n\
        [profile aliased]\naws_account_id = 555555555555\naws_account_alias = acme-billing\nrole_name = Billing\n";

    fn names(query: &str) -> Vec<String> {
        let parsed = parse_config(CONFIG);
        filter_entries(&parsed.roles, query)
            .into_iter()
            .map(|i| parsed.roles[i].profile.to_string())
            .collect()
    }

    #[test]
    fn every_word_must_match_some_field() {
        assert_eq!(names("cn-ops"), ["cn-ops"]);
        assert_eq!(names("ops 2109"), ["cn-ops"]);
        assert_eq!(names("eu-west admin"), ["prod-admin"]);
        assert_eq!(names("ops/oper"), ["cn-ops"], "the role name with its path");
        assert_eq!(names("sandbox"), ["reproduce"], "the group");
        assert_eq!(names("base audit"), ["via-base"], "the base account");
        assert_eq!(names("acme"), ["aliased"], "the account alias");
        assert!(names("nothing-like-this").is_empty());
        assert!(names("prod nothing").is_empty());
        assert_eq!(names("").len(), 6);
    }

    #[test]
    fn prefix_then_word_start_then_inside() {
        // prod-admin: prefix; staging-prod-readonly: word start; reproduce: inside.
        assert_eq!(
            names("prod"),
            ["prod-admin", "staging-prod-readonly", "reproduce"]
        );
        assert_eq!(
            names("PROD"),
            ["prod-admin", "staging-prod-readonly", "reproduce"]
        );
        // A whole-field match beats a prefix.
        assert_eq!(names("admin")[0], "prod-admin");
    }

    #[test]
    fn the_profile_name_counts_more_than_other_fields() {
        let parsed = parse_config(
            "[profile x]\nrole_arn = arn:aws:iam::123456789012:role/ops\n\
             [profile ops]\nrole_arn = arn:aws:iam::123456789012:role/Dev\n",
        );
        let order = filter_entries(&parsed.roles, "ops");
        assert_eq!(parsed.roles[order[0]].profile, "ops");
    }

    #[test]
    fn narrowing_queries_refine_the_previous_matches_with_the_same_result() {
        let parsed = parse_config(CONFIG);
        let index = SearchIndex::new(&parsed.roles);
        let pairs = [("pro", "prod"), ("prod", "prod admin"), ("p", "pr o")];
        for (old, new) in pairs {
            let (old, new) = (Query::new(old), Query::new(new));
            assert!(new.narrows(&old));
            let previous = index.search(&old);
            assert_eq!(index.refine(&previous, &new), index.search(&new));
        }
        assert!(!Query::new("pro").narrows(&Query::new("prod")));
        assert!(!Query::new("x").narrows(&Query::new("")));
        assert!(!Query::new("admin").narrows(&Query::new("prod admin")));
    }

    #[test]
    fn one_pass_over_the_text_ranks_as_scoring_each_entry() {
        let mut config = String::from(CONFIG);
        for i in 0..300 {
            config.push_str(&format!(
                "[profile team{}-app{i}-prod]\nrole_arn = arn:aws:iam::{:012}:role/ops/Role{}\nregion = eu-west-{}\n",
                i % 13,
                100_000_000_000u64 + i * 7,
                i % 5,
                i % 3
            ));
        }
        let parsed = parse_config(&config);
        let index = SearchIndex::new(&parsed.roles);
        let all: Vec<usize> = (0..index.len()).collect();
        for q in [
            "p",
            "pr",
            "prod",
            "app1",
            "1",
            "ops/r",
            "role1 eu",
            "team1 prod",
            "-",
            "e",
            "west-2",
            "zzz",
            "a p",
            "o",
            "12",
            "prod admin",
            "ad",
        ] {
            let query = Query::new(q);
            let expected = index.score_each(&all, &query);
            assert_eq!(index.search(&query), expected, "{q}");
            assert_eq!(index.refine(&all, &query), expected, "{q}: refine");
            // Every other entry as candidates: refine keeps to them.
            let half: Vec<usize> = (0..index.len()).step_by(2).collect();
            assert_eq!(
                index.refine(&half, &query),
                index.score_each(&half, &query),
                "{q}: half"
            );
        }
    }

    /// The eight-bytes-at-a-time search finds what a plain one finds, at every alignment.
    #[test]
    fn find_at_matches_a_plain_search() {
        fn plain(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
            (from..=hay.len().checked_sub(needle.len())?).find(|&i| hay[i..].starts_with(needle))
        }
        let alphabet: &[&[u8]] = &[
            b"a",
            b"p",
            b"pa",
            b"y",
            b"-",
            "é".as_bytes(),
            "\u{80}".as_bytes(),
        ];
        let needles: &[&[u8]] = &[b"p", b"pa", b"pay", b"a", "é".as_bytes(), b"-p", b"\x80"];
        let mut seed: u32 = 7;
        for _ in 0..3000 {
            let mut hay = Vec::new();
            for _ in 0..(seed % 45) {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                hay.extend_from_slice(alphabet[(seed >> 16) as usize % alphabet.len()]);
            }
            for needle in needles {
                for from in 0..=hay.len() {
                    assert_eq!(
                        find_at(&hay, needle, from),
                        plain(&hay, needle, from),
                        "{hay:?} {needle:?} {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn non_ascii_names_are_searched_case_insensitively() {
        let mut parsed = parse_config(CONFIG);
        parsed.roles[0].profile = "Prod-ÜBERSICHT".into();
        parsed.roles[1].profile = "生产-管理员".into();
        let index = SearchIndex::new(&parsed.roles);
        assert_eq!(index.search(&Query::new("übersicht")), [0]);
        assert_eq!(index.search(&Query::new("管理")), [1]);
    }

    #[test]
    fn highlights_cover_each_occurrence_of_each_word() {
        let q = Query::new("prod ad");
        assert_eq!(highlight_ranges("prod-admin", &q), [0..4, 5..7]);
        assert_eq!(
            highlight_ranges("Prod-PROD", &Query::new("prod")),
            [0..4, 5..9]
        );
        assert_eq!(highlight_ranges("aaa", &Query::new("aa")), vec![0..3]);
        assert!(highlight_ranges("prod", &Query::new("")).is_empty());
        assert!(highlight_ranges("prod", &Query::new("x")).is_empty());
        // `İ` lower-cases to two chars: ranges still land on char boundaries of the original.
        let text = "İx-Über";
        let ranges = highlight_ranges(text, &Query::new("über"));
        assert_eq!(&text[ranges[0].clone()], "Über");
        let ranges = highlight_ranges(text, &Query::new("i"));
        assert_eq!(&text[ranges[0].clone()], "İ");
    }

    #[test]
    fn highlights_in_utf16_land_on_the_same_characters() {
        // What a text node's `Range` selects: `"生产-管理员 🚀prod"` in UTF-16 units.
        let text = "生产-管理员 🚀prod";
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let shown = |r: &Range<u32>| String::from_utf16(&utf16[r.start as usize..r.end as usize]);
        let ranges = highlight_ranges_utf16(text, &Query::new("管理 prod"));
        assert_eq!(ranges, [3..5, 9..13]);
        assert_eq!(shown(&ranges[0]).unwrap(), "管理");
        assert_eq!(shown(&ranges[1]).unwrap(), "prod");
        assert_eq!(
            highlight_ranges_utf16("prod-admin", &Query::new("prod ad")),
            [0..4, 5..7]
        );
        assert!(highlight_ranges_utf16("prod", &Query::new("x")).is_empty());
    }
}
