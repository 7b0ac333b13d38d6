//! The rows of the popup's "Roles" list as plain data: group headers and options in display
//! order, each row's offset, and which group's header stays pinned at the top of the list
//! while it scrolls (the list is virtualised, so the header of a long group has long left the
//! DOM when its last options are in view).
//!
//! Pure: `src/web/popup.rs` draws what is computed here; the row heights are the ones
//! `extension/popup.css` gives the rows.

/// Heights in CSS pixels; `popup.css` gives the rows exactly these.
pub const OPTION_HEIGHT: u32 = 44;
pub const HEADER_HEIGHT: u32 = 24;

/// The group of entries that have neither `group` nor a base account.
pub const UNGROUPED: u32 = u32::MAX;

/// One row of the "Roles" list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A group's header: an index into the group labels, or [`UNGROUPED`].
    Header(u32),
    /// An option: an index into the entries.
    Option(usize),
}

/// Rows for `shown` (entry indices, in order): groups in the order of their first entry,
/// each under its header, or plain options when no entry has a group (`groups == 0`).
/// `group_of[i]` is entry `i`'s group (an index below `groups`, or [`UNGROUPED`]).
pub fn grouped_rows(shown: &[usize], group_of: &[u32], groups: usize) -> Vec<Row> {
    if groups == 0 {
        return shown.iter().map(|&i| Row::Option(i)).collect();
    }
    // Counted first, then placed: no vector per group (a config can have thousands).
    let ungrouped = groups;
    let bucket = |i: usize| match group_of[i] {
        UNGROUPED => ungrouped,
        g => g as usize,
    };
    let mut count = vec![0usize; ungrouped + 1];
    let mut order: Vec<usize> = Vec::new();
    for &i in shown {
        let g = bucket(i);
        if count[g] == 0 {
            order.push(g);
        }
        count[g] += 1;
    }
    // `next[g]`: where group `g`'s next option goes, after its header.
    let mut next = count;
    let mut rows = vec![Row::Header(UNGROUPED); shown.len() + order.len()];
    let mut at = 0;
    for &g in &order {
        rows[at] = Row::Header(if g == ungrouped { UNGROUPED } else { g as u32 });
        let members = next[g];
        next[g] = at + 1;
        at += 1 + members;
    }
    for &i in shown {
        let g = bucket(i);
        rows[next[g]] = Row::Option(i);
        next[g] += 1;
    }
    rows
}

/// Where the rows sit: `tops[r]` is row `r`'s offset (the last element is the list's height),
/// `option_rows` the row index of each option and `header_rows` of each header, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowPlaces {
    pub tops: Vec<u32>,
    pub option_rows: Vec<usize>,
    pub header_rows: Vec<usize>,
}

impl RowPlaces {
    pub fn of(rows: &[Row]) -> RowPlaces {
        let mut places = RowPlaces::default();
        places.place(rows);
        places
    }

    /// Recomputes the places of `rows`, reusing the vectors.
    pub fn place(&mut self, rows: &[Row]) {
        self.tops.clear();
        self.option_rows.clear();
        self.header_rows.clear();
        let mut top = 0;
        for (r, row) in rows.iter().enumerate() {
            self.tops.push(top);
            top += match row {
                Row::Header(_) => {
                    self.header_rows.push(r);
                    HEADER_HEIGHT
                }
                Row::Option(_) => {
                    self.option_rows.push(r);
                    OPTION_HEIGHT
                }
            };
        }
        self.tops.push(top);
    }

    /// The list's height in pixels.
    pub fn height(&self) -> u32 {
        self.tops.last().copied().unwrap_or(0)
    }

    /// The row at offset `y` (the one whose span holds it), if any.
    pub fn row_at(&self, y: u32) -> Option<usize> {
        let rows = self.tops.len().saturating_sub(1);
        let r = self.tops[1..].partition_point(|&end| end <= y);
        (r < rows).then_some(r)
    }
}

/// The header pinned at the top of the list scrolled to `scroll_top`: the group of the row at
/// the top, and how far up it is pushed (0, or up to its height as the next group's header
/// reaches it, as a stuck header gives way to the next). `None` when the list has no groups,
/// or when the row at the top is a header that is fully in view (it shows itself).
pub fn sticky_header(rows: &[Row], places: &RowPlaces, scroll_top: u32) -> Option<StickyHeader> {
    let top_row = places.row_at(scroll_top)?;
    if let Row::Header(_) = rows[top_row] {
        if places.tops[top_row] == scroll_top {
            return None;
        }
    }
    // The last header at or above the top row.
    let at = places.header_rows.partition_point(|&h| h <= top_row);
    let header = places.header_rows[at.checked_sub(1)?];
    let Row::Header(group) = rows[header] else {
        return None;
    };
    // The next header, once it is within a header's height of the top, pushes this one up.
    let pushed_up = places
        .header_rows
        .get(at)
        .map(|&next| places.tops[next].saturating_sub(scroll_top))
        .filter(|&gap| gap < HEADER_HEIGHT)
        .map_or(0, |gap| HEADER_HEIGHT - gap);
    Some(StickyHeader {
        group,
        header_row: header,
        pushed_up,
    })
}

/// What [`sticky_header`] pins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StickyHeader {
    /// The group (an index into the labels, or [`UNGROUPED`]).
    pub group: u32,
    /// The row of that group's own header.
    pub header_row: usize,
    /// Pixels it is pushed up by the next header (0 to [`HEADER_HEIGHT`]).
    pub pushed_up: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two groups: `a` with 3 options, then `b` with 100.
    fn two_groups() -> (Vec<Row>, RowPlaces) {
        let group_of: Vec<u32> = (0..103).map(|i| if i < 3 { 0 } else { 1 }).collect();
        let shown: Vec<usize> = (0..103).collect();
        let rows = grouped_rows(&shown, &group_of, 2);
        let places = RowPlaces::of(&rows);
        (rows, places)
    }

    #[test]
    fn groups_follow_their_first_entry_with_headers() {
        let rows = grouped_rows(&[2, 0, 1, 3], &[0, UNGROUPED, 1, 0], 2);
        assert_eq!(
            rows,
            [
                Row::Header(1),
                Row::Option(2),
                Row::Header(0),
                Row::Option(0),
                Row::Option(3),
                Row::Header(UNGROUPED),
                Row::Option(1),
            ]
        );
        assert_eq!(
            grouped_rows(&[1, 0], &[], 0),
            [Row::Option(1), Row::Option(0)]
        );
    }

    #[test]
    fn places_and_the_row_at_an_offset() {
        let (_, places) = two_groups();
        assert_eq!(places.tops[..3], [0, 24, 68]);
        assert_eq!(places.header_rows, [0, 4]);
        assert_eq!(places.height(), 2 * HEADER_HEIGHT + 103 * OPTION_HEIGHT);
        assert_eq!(places.row_at(0), Some(0));
        assert_eq!(places.row_at(23), Some(0));
        assert_eq!(places.row_at(24), Some(1));
        assert_eq!(places.row_at(places.height()), None);
    }

    #[test]
    fn the_top_rows_group_stays_pinned_while_scrolling() {
        let (rows, places) = two_groups();
        // At the top the first header shows itself.
        assert_eq!(sticky_header(&rows, &places, 0), None);
        // Scrolled into group `a`: its header is pinned.
        let a = sticky_header(&rows, &places, 30).unwrap();
        assert_eq!((a.group, a.header_row, a.pushed_up), (0, 0, 0));
        // `b`'s header (at 156) is 10 px below the top: `a`'s is pushed up by 14.
        let pushed = sticky_header(&rows, &places, 146).unwrap();
        assert_eq!((pushed.group, pushed.pushed_up), (0, 14));
        // Exactly at `b`'s header: it shows itself.
        assert_eq!(sticky_header(&rows, &places, 156), None);
        // The end of the list (End): deep in `b`, whose header left the DOM long ago.
        let end = places.height() - 440;
        let b = sticky_header(&rows, &places, end).unwrap();
        assert_eq!((b.group, b.header_row, b.pushed_up), (1, 4, 0));
    }

    #[test]
    fn ungrouped_lists_pin_nothing() {
        let rows = grouped_rows(&[0, 1, 2], &[], 0);
        let places = RowPlaces::of(&rows);
        assert_eq!(sticky_header(&rows, &places, 50), None);
        assert_eq!(sticky_header(&[], &RowPlaces::of(&[]), 0), None);
    }
}
