//! Byte spans into the filter text.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into the text a filter was parsed from.
///
/// Lines and columns are not stored: [`Span::line_col`] computes them on demand.
///
/// ```
/// use emfilter::Span;
/// let text = "Result==Failed;\nJobNmae==x";
/// let span = Span::new(16, 23);
/// assert_eq!(&text[span.range()], "JobNmae");
/// assert_eq!(span.line_col(text), (2, 1));
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct Span {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    ///
    /// ```
    /// use emfilter::Span;
    /// let span = Span::new(8, 14);
    /// assert_eq!((span.start, span.end, span.len()), (8, 14, 6));
    /// assert_eq!(&"Result==Failed"[span.range()], "Failed");
    /// ```
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span {
            start: clamp(start),
            end: clamp(end),
        }
    }

    /// An empty span at `offset`, for things that are missing there.
    ///
    /// ```
    /// use emfilter::Span;
    /// // Where `Result==` is missing its value: at the end.
    /// let missing = Span::empty(8);
    /// assert!(missing.is_empty());
    /// assert_eq!((missing.len(), missing.range()), (0, 8..8));
    /// ```
    pub fn empty(offset: usize) -> Span {
        Span::new(offset, offset)
    }

    /// The span's byte range, for slicing the source.
    ///
    /// ```
    /// use emfilter::Span;
    /// let text = "IsRetry==yes";
    /// assert_eq!(&text[Span::new(9, 12).range()], "yes");
    /// ```
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Length in bytes.
    ///
    /// ```
    /// use emfilter::Span;
    /// // Bytes, not characters.
    /// assert_eq!(Span::new(0, "Größe".len()).len(), 7);
    /// ```
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no bytes.
    ///
    /// ```
    /// use emfilter::Span;
    /// assert!(Span::empty(3).is_empty());
    /// assert!(!Span::new(3, 4).is_empty());
    /// ```
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    ///
    /// ```
    /// use emfilter::Span;
    /// let field = Span::new(0, 6);
    /// let value = Span::new(8, 14);
    /// let comparison = field.to(value);
    /// assert_eq!(comparison, Span::new(0, 14));
    /// assert_eq!(value.to(field), comparison);
    /// ```
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Whether `other` lies inside this span.
    ///
    /// ```
    /// use emfilter::Span;
    /// let comparison = Span::new(0, 14);
    /// assert!(comparison.contains(Span::new(8, 14)));
    /// assert!(comparison.contains(Span::empty(14)));
    /// assert!(!comparison.contains(Span::new(8, 15)));
    /// ```
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The span moved inside `text`: each end pulled back to the nearest character boundary at or
    /// before it, and to the end of `text`, so `&text[span.range()]` cannot panic.
    ///
    /// ```
    /// use emfilter::Span;
    /// assert_eq!(Span::new(1, 9).clamp_to("Ä=1"), Span::new(0, 4));
    /// ```
    pub fn clamp_to(self, text: &str) -> Span {
        let start = floor_char_boundary(text, self.start as usize);
        let end = floor_char_boundary(text, self.end as usize).max(start);
        Span::new(start, end)
    }

    /// The 1-based line and 1-based column (in characters) of the span's start in `source`.
    ///
    /// ```
    /// use emfilter::Span;
    /// let text = "Result==Failed;\n  JobName==\"Sicherung Ä\";\n  Stat==Stopped";
    /// // Lines count from 1; columns count characters, not bytes, from 1.
    /// assert_eq!(Span::new(18, 25).line_col(text), (2, 3));
    /// let state = text.find("Stat").unwrap();
    /// assert_eq!(Span::new(state, state + 4).line_col(text), (3, 3));
    /// assert_eq!(Span::empty(text.find('Ä').unwrap() + 2).line_col(text), (2, 24));
    /// ```
    pub fn line_col(self, source: &str) -> (usize, usize) {
        let start = (self.start as usize).min(source.len());
        let start = floor_char_boundary(source, start);
        let before = &source[..start];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

fn clamp(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// The largest char boundary of `s` that is not after `i`.
pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let src = "a==1;\nÄb==2";
        assert_eq!(Span::new(0, 1).line_col(src), (1, 1));
        assert_eq!(Span::new(8, 9).line_col(src), (2, 2));
    }
}
