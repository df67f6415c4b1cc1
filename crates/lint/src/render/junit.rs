//! JUnit XML, which most CI systems show as a test report: one test case per filter or query,
//! failed when it has an error (every diagnostic listed in the failure), skipped when a
//! placeholder kept it from being checked whole; warnings go to the case's `system-out`.

use std::fmt::Write;

use super::Item;

/// The JUnit XML report of `items`.
pub fn render(items: &[Item<'_>]) -> String {
    let failures = items.iter().filter(|i| i.has_error()).count();
    let skipped = items
        .iter()
        .filter(|i| !i.has_error() && i.notes().next().is_some())
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\"",
        items.len()
    );
    let _ = writeln!(out, "<testsuites name=\"emfilter\" {counts}>");
    let _ = writeln!(out, "  <testsuite name=\"emfilter check\" {counts}>");
    for item in items {
        let (start, _) = item.region(emfilter::Span::empty(0));
        let name = format!("{}:{}:{}", item.origin.source, start.line, start.column);
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\"",
            escape(&name),
            escape(&item.origin.source)
        );
        let lines = |errors: bool| -> String {
            item.problems()
                .filter(|d| d.is_error() == errors)
                .map(|d| {
                    let (p, _) = item.region(d.span());
                    let mut line = format!(
                        "{}:{}:{}: {}[{}]: {}",
                        item.origin.source,
                        p.line,
                        p.column,
                        d.severity(),
                        d.code(),
                        d.message()
                    );
                    if let Some(help) = d.help() {
                        let _ = write!(line, " (help: {help})");
                    }
                    line + "\n"
                })
                .collect()
        };
        let errors = lines(true);
        let warnings = lines(false);
        if errors.is_empty() && warnings.is_empty() && item.notes().next().is_none() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        if item.has_error() {
            let first = item
                .diagnostics
                .iter()
                .find(|d| d.is_error())
                .expect("has an error");
            let n = item.diagnostics.iter().filter(|d| d.is_error()).count();
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                first.code(),
                escape(&format!(
                    "{}{}",
                    first.message(),
                    if n > 1 {
                        format!(" (and {} more errors)", n - 1)
                    } else {
                        String::new()
                    }
                )),
                escape(&errors)
            );
        } else if item.notes().next().is_some() {
            let message: Vec<&str> = item.notes().map(|n| n.message()).collect();
            let _ = writeln!(
                out,
                "      <skipped message=\"{}\"/>",
                escape(&message.join("; "))
            );
        }
        if !warnings.is_empty() {
            let _ = writeln!(out, "      <system-out>{}</system-out>", escape(&warnings));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 cannot hold.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
