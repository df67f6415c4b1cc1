//! The hand-written reader: the filters that parse without a diagnostic, in one pass over the
//! bytes.
//!
//! It follows `grammar/filter.pest` rule for rule (see the comments that name them), with the
//! pre-scan's limits and balance checks folded in, and gives up (`None`) at the first byte the
//! grammar would not take, or would take only with a diagnostic (an operator of another
//! language); the grammar then reads the text again and explains what is wrong. Every byte it
//! tests is ASCII, so it can walk bytes: a byte of a multi-byte character is never one of them.
//!
//! The fuzz target `differential` holds it to the grammar on every input.

use super::scan::Limits;
use super::tree::{Build, Reading, ValueText};
use super::{CompareOp, Operator, Quoting};
use crate::span::Span;
use crate::swar;

/// What the reader needs to know of a byte, one bit each, looked up in [`CLASS`].
const SPACE: u8 = 1;
/// `plain`, the characters of unquoted and doubled values: anything but `"` `;` `,` `(` `)`.
const PLAIN: u8 = 2;
/// The characters of a field name after the first.
const FIELD: u8 = 4;

const CLASS: [u8; 256] = {
    let mut table = [PLAIN; 256];
    table[b'"' as usize] = 0;
    table[b';' as usize] = 0;
    table[b',' as usize] = 0;
    table[b'(' as usize] = 0;
    table[b')' as usize] = 0;
    // WHITESPACE: what the grammar skips between tokens.
    table[b' ' as usize] |= SPACE;
    table[b'\t' as usize] |= SPACE;
    table[b'\r' as usize] |= SPACE;
    table[b'\n' as usize] |= SPACE;
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() || b == b'_' as usize || b == b'.' as usize {
            table[b] |= FIELD;
        }
        b += 1;
    }
    table
};

/// The bytes of a word (eight of the text, [`swar`]) that are not `plain`: the same bytes as
/// [`CLASS`] says, eight at a time. `(` and `)` differ only in the lowest bit.
fn not_plain(w: u64) -> u64 {
    swar::equal(w, b'"')
        | swar::equal(w, b';')
        | swar::equal(w, b',')
        | swar::equal(w | 0x0101_0101_0101_0101, b')')
}

fn is(b: u8, class: u8) -> bool {
    CLASS[usize::from(b)] & class != 0
}

fn is_space(b: u8) -> bool {
    is(b, SPACE)
}

fn is_plain(b: u8) -> bool {
    is(b, PLAIN)
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.b.get(self.i + offset).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.i += 1;
        }
    }

    /// Moves past the `plain` bytes, eight at a time while eight are left.
    fn skip_plain(&mut self) {
        while let Some(w) = swar::word(self.b, self.i) {
            let stop = not_plain(w);
            if stop != 0 {
                self.i += swar::first(stop);
                return;
            }
            self.i += 8;
        }
        self.skip_class(PLAIN);
    }

    /// Moves past the bytes of `class`.
    fn skip_class(&mut self, class: u8) {
        let rest = &self.b[self.i..];
        self.i += rest
            .iter()
            .position(|&b| !is(b, class))
            .unwrap_or(rest.len());
    }
}

/// Reads `source` into `build`: what it makes of the whole filter, and the builder; `None` for
/// a text the reader declines.
pub(super) fn read<B: Build>(source: &str, limits: &Limits, build: B) -> Option<(B::Item, B)> {
    if source.len() > limits.max_length {
        return None;
    }
    let max_nesting = limits.max_nesting.min(Limits::MAX_NESTING);
    let mut r = Reading::new(source, build);
    let mut c = Cursor {
        b: source.as_bytes(),
        i: 0,
    };
    let mut depth = 0usize;
    // filter = { SOI ~ item ~ (separator ~ item)* ~ EOI }
    c.skip_space();
    loop {
        // item = _{ open* ~ comparison ~ close* }
        while c.peek() == Some(b'(') {
            if depth == max_nesting {
                return None;
            }
            depth += 1;
            r.open(Span::new(c.i, c.i + 1));
            c.i += 1;
            c.skip_space();
        }
        comparison(&mut c, &mut r)?;
        c.skip_space();
        while c.peek() == Some(b')') {
            // The pre-scan's balance: a `)` closes an open `(`.
            depth = depth.checked_sub(1)?;
            r.close(Span::new(c.i, c.i + 1));
            c.i += 1;
            c.skip_space();
        }
        match c.peek() {
            None if depth == 0 => break,
            Some(b';') => {}
            Some(b',') => r.or(),
            _ => return None,
        }
        c.i += 1;
        c.skip_space();
    }
    Some(r.finish())
}

/// comparison = { field ~ operator ~ value }
fn comparison<B: Build>(c: &mut Cursor<'_>, r: &mut Reading<'_, B>) -> Option<()> {
    // field = @{ ('a'..'z' | 'A'..'Z' | "_") ~ ('a'..'z' | 'A'..'Z' | '0'..'9' | "_" | ".")* }
    let field_start = c.i;
    if !c
        .peek()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
    {
        return None;
    }
    c.i += 1;
    c.skip_class(FIELD);
    let field = Span::new(field_start, c.i);
    c.skip_space();

    // op = @{ "==" | "!=" | "<=" | ">=" | "<" ~ !">" | ">" }; foreign_op is declined.
    let (op, len) = match (c.peek()?, c.at(1)) {
        (b'=', Some(b'=')) => (CompareOp::Eq, 2),
        (b'!', Some(b'=')) => (CompareOp::Ne, 2),
        (b'<', Some(b'=')) => (CompareOp::Le, 2),
        (b'>', Some(b'=')) => (CompareOp::Ge, 2),
        (b'<', next) if next != Some(b'>') => (CompareOp::Lt, 1),
        (b'>', _) => (CompareOp::Gt, 1),
        _ => return None,
    };
    let op = Operator {
        op,
        foreign: false,
        span: Span::new(c.i, c.i + len),
    };
    c.i += len;
    c.skip_space();

    // value = _{ doubled | quoted | unquoted }
    let start = c.i;
    let (quoting, text) = if c.peek() == Some(b'"') {
        match doubled(c) {
            // `""Backup""` is the value `"Backup"`: the source without the outer quote of each
            // pair.
            Some(end) => (Quoting::Doubled, ValueText::Source(start + 1..end - 1)),
            None => (Quoting::Quoted, quoted(c)?),
        }
    } else {
        // unquoted = @{ plain+ }, its trailing whitespace left to the gap after it.
        c.skip_plain();
        if c.i == start {
            return None;
        }
        let mut end = c.i;
        while is_space(c.b[end - 1]) {
            end -= 1;
        }
        (Quoting::Unquoted, ValueText::Source(start..end))
    };
    let end = match &text {
        ValueText::Source(range) if quoting == Quoting::Unquoted => range.end,
        _ => c.i,
    };
    r.comparison(field, op, quoting, Span::new(start, end), text);
    Some(())
}

/// doubled = @{ "\"\"" ~ plain+ ~ "\"\"" ~ !"\"" }: the end of the value, and the cursor moved
/// past it; or `None` and the cursor unmoved.
fn doubled(c: &mut Cursor<'_>) -> Option<usize> {
    if c.at(1) != Some(b'"') {
        return None;
    }
    let start = c.i;
    let mut i = start + 2;
    while c.b.get(i).copied().is_some_and(is_plain) {
        i += 1;
    }
    if i == start + 2 || c.b.get(i..i + 2) != Some(b"\"\"") || c.b.get(i + 2) == Some(&b'"') {
        return None;
    }
    c.i = i + 2;
    Some(c.i)
}

/// quoted = @{ "\"" ~ ('\u{23}'..'\u{10FFFF}' | '\u{00}'..'\u{21}' | "\"\"")* ~ "\"" }: the text,
/// and the cursor moved past the value.
fn quoted(c: &mut Cursor<'_>) -> Option<ValueText> {
    let start = c.i + 1;
    let mut i = start;
    let mut doubled_quotes = false;
    loop {
        i += swar::find(&c.b[i..], b'"')?;
        if c.b.get(i + 1) == Some(&b'"') {
            doubled_quotes = true;
            i += 2;
        } else {
            break;
        }
    }
    c.i = i + 1;
    Some(if doubled_quotes {
        ValueText::Quoted(start..i)
    } else {
        ValueText::Source(start..i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_plain_is_the_table_eight_bytes_at_a_time() {
        for place in 0..8 {
            for b in 0..=255u8 {
                let mut bytes = [b'a'; 8];
                bytes[place] = b;
                let w = swar::word(&bytes, 0).unwrap();
                let stop = not_plain(w) >> (8 * place) & 0x80 != 0;
                assert_eq!(stop, !is_plain(b), "{b:#x}");
            }
        }
    }
}
