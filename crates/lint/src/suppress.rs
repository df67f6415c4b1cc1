//! Inline suppression, as `# noqa` and `# shellcheck disable=` do it: a comment holding
//! `emfilter: ignore` (every code) or `emfilter: ignore[code, code]` silences the diagnostics of
//! the filters on its own line, and, when the comment stands alone on its line (nothing but
//! comment marks before it), on the line below it. Any comment syntax (`#`, `//`, `<!-- -->`,
//! `REM`, `--`) works: only the words are looked for. A suppression that silences nothing is
//! reported as the note `unused-suppression`, so that they do not rot.
//!
//! ```
//! use emfilter_lint::suppress;
//!
//! let text = "# emfilter: ignore[bare-guid]\nu = '/api/query?type=Job&filter=…'\nx # emfilter: ignore\ny\n";
//! let found = suppress::find(text);
//! assert_eq!(found.len(), 2);
//! assert_eq!(found[0].line, 1);
//! assert!(found[0].codes.contains(emfilter::Code::BareGuid));
//! assert!(!found[0].codes.contains(emfilter::Code::UnknownField));
//! assert!(suppress::on_line(&found, 2).contains(emfilter::Code::BareGuid));
//! // A comment after code silences its own line only.
//! assert!(suppress::on_line(&found, 3).contains(emfilter::Code::UnknownField));
//! assert!(suppress::on_line(&found, 4).is_empty());
//! ```

use emfilter::{Code, Span};

/// A set of diagnostic codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CodeSet(u64);

impl CodeSet {
    /// No code.
    pub const EMPTY: CodeSet = CodeSet(0);

    /// Every code.
    pub fn all() -> CodeSet {
        CodeSet(u64::MAX)
    }

    fn bit(code: Code) -> u64 {
        let i = Code::ALL.iter().position(|&c| c == code).unwrap_or(63);
        1 << i.min(63)
    }

    /// The set with `code` added.
    pub fn with(self, code: Code) -> CodeSet {
        CodeSet(self.0 | CodeSet::bit(code))
    }

    /// The union of two sets.
    pub fn union(self, other: CodeSet) -> CodeSet {
        CodeSet(self.0 | other.0)
    }

    /// Whether `code` is in the set.
    pub fn contains(self, code: Code) -> bool {
        self.0 & CodeSet::bit(code) != 0
    }

    /// Whether the set holds no code.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// One `emfilter: ignore` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Its 1-based line.
    pub line: usize,
    /// The words `emfilter: ignore…` in the text (byte offsets).
    pub span: Span,
    /// The codes it silences (every code when it names none).
    pub codes: CodeSet,
    /// Whether the comment stands alone on its line: it then silences the next line too.
    pub alone: bool,
    /// The names in its brackets that are no code.
    pub unknown: Vec<String>,
}

/// The marker, matched in any case, with or without the space after the colon.
const MARKER: &str = "emfilter:";

/// Whether `text` holds the marker, in any case, without a lower-case copy. A file of filters has
/// colons in every date-time and UID, so the colons are not looked for one by one: blocks of 16
/// bytes are looked at together for the marker's last two letters, `r:` in any case (a check with
/// no early exit, which is vectorised), and only where they stand is the marker looked for.
fn holds_marker(text: &str) -> bool {
    const BLOCK: usize = 16;
    let name = &MARKER.as_bytes()[..MARKER.len() - 1];
    let bytes = text.as_bytes();
    // Whether the marker ends at `colon`.
    let ends_at = |colon: usize| {
        colon >= name.len() && bytes[colon - name.len()..colon].eq_ignore_ascii_case(name)
    };
    // Windows of 17 bytes, 16 apart: the bytes at 1.. of each and the one before each, `r`
    // (either case) then `:`.
    let mut from = 0;
    while let Some(window) = bytes
        .get(from..)
        .and_then(<[u8]>::first_chunk::<{ BLOCK + 1 }>)
    {
        let (before, this) = (&window[..BLOCK], &window[1..]);
        let pair = |k: usize| (this[k] == b':') & (before[k] | 0x20 == b'r');
        if (0..BLOCK).fold(false, |any, k| any | pair(k))
            && (0..BLOCK).any(|k| pair(k) && ends_at(from + 1 + k))
        {
            return true;
        }
        from += BLOCK;
    }
    (from + 1..bytes.len()).any(|i| bytes[i] == b':' && ends_at(i))
}

/// Every suppression comment of `text`, in order.
pub fn find(text: &str) -> Vec<Suppression> {
    // Most texts hold no marker at all: then no line is looked at again.
    if !holds_marker(text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut line_start = 0;
    for (n, line) in text.split('\n').enumerate() {
        if !holds_marker(line) {
            line_start += line.len() + 1;
            continue;
        }
        let lower = line.to_ascii_lowercase();
        let mut from = 0;
        while let Some(i) = lower[from..].find(MARKER) {
            let at = from + i;
            from = at + MARKER.len();
            let rest = &lower[from..];
            let spaced = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let Some(after) = rest[spaced..].strip_prefix("ignore") else {
                continue;
            };
            let mut end = from + spaced + "ignore".len();
            // A word that goes on (`ignored`) is not the marker.
            if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-') {
                continue;
            }
            let mut codes = CodeSet::all();
            let mut unknown = Vec::new();
            if let Some(list) = after.strip_prefix('[') {
                if let Some(close) = list.find(']') {
                    codes = CodeSet::EMPTY;
                    for name in list[..close]
                        .split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                    {
                        match name.parse::<Code>() {
                            Ok(code) => codes = codes.with(code),
                            Err(_) => unknown.push(name.to_owned()),
                        }
                    }
                    end += close + 2;
                }
            }
            // Alone on its line: before it only blanks and comment marks (`#`, `//`, `REM`…).
            let before = lower[..at].trim();
            let alone = before
                .strip_prefix("rem")
                .unwrap_or(before)
                .bytes()
                .all(|c| {
                    !c.is_ascii_alphanumeric() && !matches!(c, b'"' | b'\'' | b'=' | b'(' | b')')
                });
            out.push(Suppression {
                line: n + 1,
                span: Span::new(line_start + at, line_start + end),
                codes,
                unknown,
                alone,
            });
            from = end;
        }
        line_start += line.len() + 1;
    }
    out
}

/// The suppressions that reach line `line` (1-based): those on it, and those alone on the line
/// above.
fn reaching(suppressions: &[Suppression], line: usize) -> impl Iterator<Item = usize> + '_ {
    let first = suppressions.partition_point(|s| s.line + 1 < line);
    (first..suppressions.len())
        .take_while(move |&i| suppressions[i].line <= line)
        .filter(move |&i| suppressions[i].line == line || suppressions[i].alone)
}

/// The codes silenced on line `line` (1-based).
pub fn on_line(suppressions: &[Suppression], line: usize) -> CodeSet {
    reaching(suppressions, line).fold(CodeSet::EMPTY, |set, i| set.union(suppressions[i].codes))
}

/// The suppressions that silence `code` on line `line`.
pub fn silencing(suppressions: &[Suppression], line: usize, code: Code) -> Vec<usize> {
    reaching(suppressions, line)
        .filter(|&i| suppressions[i].codes.contains(code))
        .collect()
}

/// Removes from `diagnostics` (those of a filter on line `line`) every one a suppression
/// silences, marking in `used` (one flag per suppression) which did.
pub fn silence(
    suppressions: &[Suppression],
    used: &mut [bool],
    line: usize,
    diagnostics: &mut Vec<emfilter::Diagnostic>,
) {
    if suppressions.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let by = silencing(suppressions, line, d.code());
        for &i in &by {
            used[i] = true;
        }
        by.is_empty()
    });
}

/// The `unused-suppression` note of `suppression`, which silenced nothing; its span is the
/// suppression's words, counted from their start.
pub fn unused(suppression: &Suppression) -> emfilter::Diagnostic {
    let len = (suppression.span.end - suppression.span.start) as usize;
    let message = if suppression.unknown.is_empty() {
        "this suppression silences nothing: no diagnostic of its codes is on its line or the next"
            .to_owned()
    } else {
        format!(
            "this suppression silences nothing: {} no diagnostic code",
            suppression
                .unknown
                .iter()
                .map(|n| format!("`{n}` is"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    emfilter::Diagnostic::new(Code::UnusedSuppression, Span::new(0, len), message)
        .with_help("remove it, or name the codes it should silence: `emfilter: ignore[code]`")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The marker as its definition says: `emfilter:` in any case, anywhere.
    fn naive(text: &str) -> bool {
        text.to_ascii_lowercase().contains(super::MARKER)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn the_block_search_finds_the_marker_wherever_it_stands(
            before in "[a-zA-Z:r ]{0,40}",
            marker in "[eE][mM][fF][iI][lL][tT][eE][rR]:",
            after in "[a-zA-Z:r ]{0,40}",
            with in any::<bool>(),
        ) {
            let text = if with { format!("{before}{marker}{after}") } else { format!("{before}{after}") };
            prop_assert_eq!(super::holds_marker(&text), naive(&text));
        }
    }

    #[test]
    fn the_marker_is_found_at_every_offset_and_not_in_near_misses() {
        for pad in 0..40 {
            let text = format!("{}EmFilter: ignore", "x:r".repeat(pad).get(..pad).unwrap());
            assert!(super::holds_marker(&text), "{text}");
            let miss = format!("{}emfilte: ignore BackupServer:1", "r:".repeat(pad));
            assert!(!super::holds_marker(&miss), "{miss}");
        }
    }
}
