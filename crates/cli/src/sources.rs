//! What `emfilter check` reads: filters and query URLs given as arguments, files of them one per
//! line, standard input, and files and folders to scan. Each is held in memory, decoded, so that
//! fixes can be applied to it and it can be checked again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use emfilter::Span;
use emfilter_lint::fix::Target;
use emfilter_lint::render::Origin;
use emfilter_lint::{find, suppress, Context, Kind, QueryType};

use crate::read::{self, LongLine};

/// How a file's text is stored, so that a fixed text is written back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8 { bom: bool },
    /// UTF-16 with a byte-order mark (as Windows PowerShell writes files).
    Utf16 { little_endian: bool },
    /// Not UTF-8: read a byte per character, so that it writes back unchanged (Windows-1252
    /// scripts keep their bytes; only ASCII matters to filters).
    Latin1,
}

/// `bytes` as text, or `None` for a binary file (a NUL byte near the start, no UTF-16 mark).
/// UTF-8 without a byte-order mark, what most files are, becomes the text without a copy.
pub fn decode(bytes: Vec<u8>) -> Option<(String, Encoding)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(t) = std::str::from_utf8(rest) {
            return Some((t.to_owned(), Encoding::Utf8 { bom: true }));
        }
    }
    for (mark, little_endian) in [(b"\xFF\xFE", true), (b"\xFE\xFF", false)] {
        // An odd number of bytes is no UTF-16 text: it could not be written back as it was.
        if let Some(rest) = bytes.strip_prefix(mark).filter(|r| r.len() % 2 == 0) {
            let units: Vec<u16> = rest
                .chunks(2)
                .map(|c| {
                    let pair = [c[0], *c.get(1).unwrap_or(&0)];
                    if little_endian {
                        u16::from_le_bytes(pair)
                    } else {
                        u16::from_be_bytes(pair)
                    }
                })
                .collect();
            if let Ok(t) = String::from_utf16(&units) {
                return Some((t, Encoding::Utf16 { little_endian }));
            }
        }
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(t) => Some((t, Encoding::Utf8 { bom: false })),
        Err(e) => Some((
            e.as_bytes().iter().map(|&b| b as char).collect(),
            Encoding::Latin1,
        )),
    }
}

/// `text` stored as `encoding`, or `None` when it holds a character the encoding cannot.
pub fn encode(text: &str, encoding: Encoding) -> Option<Vec<u8>> {
    match encoding {
        Encoding::Utf8 { bom } => {
            let mut out = if bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            };
            out.extend_from_slice(text.as_bytes());
            Some(out)
        }
        Encoding::Utf16 { little_endian } => {
            let mut out = if little_endian {
                b"\xFF\xFE".to_vec()
            } else {
                b"\xFE\xFF".to_vec()
            };
            for u in text.encode_utf16() {
                out.extend(if little_endian {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                });
            }
            Some(out)
        }
        Encoding::Latin1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect(),
    }
}

/// How a source's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One filter per line (`--file`, standard input).
    FilterLines,
    /// One query URL per line (`--urls`).
    UrlLines,
    /// Any text, searched for query URLs and `filter=` strings (`--scan`).
    Scan,
    /// One filter given as an argument.
    FilterArgument,
    /// One query URL given as an argument (`--url`).
    UrlArgument,
}

/// One text that `check` reads.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as shown (`argument` and `stdin` for those); shared with the origins of its
    /// filters.
    pub name: Arc<str>,
    /// The file, when it is one (fixes are written there).
    pub path: Option<PathBuf>,
    pub layout: Layout,
    pub text: String,
    pub encoding: Encoding,
    /// For a filter file that is not UTF-8: its bytes, so that lines are checked as bytes.
    pub raw: Option<Vec<u8>>,
    /// The text before --fix changed it, when it did.
    pub original: Option<String>,
    /// Lines longer than the limit, skipped while reading (empty in `text`): such a source is
    /// never rewritten.
    pub long_lines: Vec<LongLine>,
    /// The query type of the filters of this file that nothing beside them gives one (the
    /// configuration's `[types]`); a sibling `type` key and a URL's own `type` come first.
    pub query_type: Option<QueryType>,
}

/// One filter or query to check: a span of a source's text.
#[derive(Debug, Clone)]
pub struct Unit {
    pub span: Span,
    pub origin: Origin,
    pub kind: Kind,
    pub context: Context,
    /// The line's bytes when its file is not UTF-8 (a filter file): checked as bytes, as the
    /// core does, and never fixed.
    pub raw: Option<Vec<u8>>,
    /// The query type a `type` key beside the filter names, when one does.
    pub query_type: Option<QueryType>,
}

impl Source {
    pub fn argument(text: &str, layout: Layout) -> Source {
        Source {
            name: "argument".into(),
            path: None,
            layout,
            text: text.to_owned(),
            encoding: Encoding::Utf8 { bom: false },
            raw: None,
            original: None,
            long_lines: Vec::new(),
            query_type: None,
        }
    }

    /// Reads `path` (`-`: standard input) laid out as `layout`, one filter or URL a line, in
    /// bounded memory: a line longer than `max_line` bytes is skipped while reading (see
    /// [`crate::read`]), a NUL byte makes it a binary file.
    pub fn read(path: &str, layout: Layout, max_line: usize) -> Result<Source, String> {
        let (name, file, reader) = read::open(path)?;
        let shown = if path == "-" { "standard input" } else { path };
        let text = read::lines(reader, max_line).map_err(|e| e.describe(shown))?;
        let mut source = Source::from_bytes(name, file, layout, text.bytes)
            .ok_or_else(|| format!("`{shown}` is a binary file, not text"))?;
        source.long_lines = text.long;
        Ok(source)
    }

    /// `None` for a binary file.
    pub fn from_bytes(
        name: String,
        path: Option<PathBuf>,
        layout: Layout,
        bytes: Vec<u8>,
    ) -> Option<Source> {
        let (text, encoding) = decode(bytes)?;
        // A file of filters read a byte per character keeps its bytes: each line's are checked
        // as they are.
        let raw = (layout == Layout::FilterLines && encoding == Encoding::Latin1)
            .then(|| encode(&text, encoding))
            .flatten();
        Some(Source {
            name: name.into(),
            path,
            layout,
            text,
            encoding,
            raw,
            original: None,
            long_lines: Vec::new(),
            query_type: None,
        })
    }

    /// Whether the source is a file whose name is its path.
    pub fn in_file(&self) -> bool {
        self.path.is_some()
    }

    /// The filters and queries of this source, in order (found as they are asked for in a file
    /// of filters or URLs: none is held that has not been checked).
    pub fn units(&self) -> impl Iterator<Item = Unit> + '_ {
        self.units_in(&self.text)
    }

    /// The byte offset in the file of byte `at` of its decoded text: past a byte-order mark, two
    /// bytes a UTF-16 unit, one a character of a file read a byte per character.
    pub fn file_offset(&self, at: usize) -> usize {
        let before = self.text.get(..at).unwrap_or(&self.text);
        match self.encoding {
            Encoding::Utf8 { bom } => at + if bom { 3 } else { 0 },
            Encoding::Utf16 { .. } => 2 + 2 * before.encode_utf16().count(),
            Encoding::Latin1 => before.chars().count(),
        }
    }

    /// The `emfilter: ignore` comments of a file (none for arguments).
    pub fn suppressions(&self) -> Vec<suppress::Suppression> {
        self.suppressions_in(&self.text)
    }

    fn suppressions_in(&self, text: &str) -> Vec<suppress::Suppression> {
        match self.layout {
            Layout::Scan | Layout::FilterLines | Layout::UrlLines => suppress::find(text),
            Layout::FilterArgument | Layout::UrlArgument => Vec::new(),
        }
    }

    /// Where fixes are made in `text`, a version of this source's text: its filters and queries
    /// (none when its lines are checked as bytes), with the codes silenced on their lines.
    pub fn targets(&self, text: &str) -> Vec<Target> {
        if self.raw.is_some() {
            return Vec::new();
        }
        let suppressions = self.suppressions_in(text);
        self.units_in(text)
            .map(|u| Target {
                span: u.span,
                kind: u.kind,
                context: u.context,
                ignored: suppress::on_line(&suppressions, u.origin.line.unwrap_or(1)),
                query_type: u.query_type,
            })
            .collect()
    }

    /// The filters and queries of `text`, laid out as this source.
    fn units_in<'a>(&'a self, text: &'a str) -> Box<dyn Iterator<Item = Unit> + 'a> {
        // Query URLs may be pasted from scripts: their placeholders are recognised. Filters are
        // taken literally, as the core takes them.
        let context = |kind| Context {
            placeholders: kind == Kind::Query,
            ..Context::default()
        };
        let whole = |kind| Unit {
            span: Span::new(0, text.len()),
            origin: Origin::argument(),
            kind,
            context: context(kind),
            raw: None,
            query_type: self.query_type.clone(),
        };
        match self.layout {
            // A whole query URL given where a filter goes is checked as the URL it is.
            Layout::FilterArgument if is_url(text) => Box::new(std::iter::once(whole(Kind::Query))),
            Layout::FilterArgument => Box::new(std::iter::once(whole(Kind::Filter))),
            Layout::UrlArgument => Box::new(std::iter::once(whole(Kind::Query))),
            Layout::FilterLines | Layout::UrlLines => {
                let lines_kind = if self.layout == Layout::FilterLines {
                    Kind::Filter
                } else {
                    Kind::Query
                };
                let raw_lines: Vec<&[u8]> = match &self.raw {
                    Some(bytes) => bytes.split(|&b| b == b'\n').collect(),
                    None => Vec::new(),
                };
                Box::new(read::filter_lines(text.as_bytes()).map(move |(n, range)| {
                    let span = Span::new(range.start, range.end);
                    let kind = match lines_kind {
                        Kind::Filter if is_url(&text[span.range()]) => Kind::Query,
                        k => k,
                    };
                    Unit {
                        span,
                        origin: Origin::line(self.name.clone(), n),
                        kind,
                        context: context(kind),
                        raw: raw_lines
                            .get(n - 1)
                            .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec()),
                        query_type: self.query_type.clone(),
                    }
                }))
            }
            Layout::Scan => Box::new(find::find(text, is_xml(&self.name)).into_iter().map(
                move |f| Unit {
                    span: f.span,
                    origin: Origin {
                        source: self.name.clone(),
                        line: Some(f.line),
                        column: f.column,
                    },
                    kind: f.kind,
                    context: f.context,
                    raw: None,
                    query_type: QueryType::first([f.query_type, self.query_type.clone()]),
                },
            )),
        }
    }
}

/// Whether `text`, given as a filter, is a whole query URL (`https://…`, `…/api/query?…`),
/// which is checked as one.
fn is_url(text: &str) -> bool {
    let t = text.trim_start().as_bytes();
    let starts = |p: &[u8]| t.len() >= p.len() && t[..p.len()].eq_ignore_ascii_case(p);
    const PATH: &[u8] = b"/api/query";
    let b = text.as_bytes();
    starts(b"http://")
        || starts(b"https://")
        || memchr::memchr_iter(b'?', b)
            .any(|i| i >= PATH.len() && b[i - PATH.len()..i].eq_ignore_ascii_case(PATH))
}

/// Whether a file's entities are XML's (by its extension).
fn is_xml(name: &str) -> bool {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    [
        "xml", "html", "htm", "xhtml", "xaml", "config", "ps1xml", "csproj", "props", "targets",
        "svg", "plist", "xsl", "xslt",
    ]
    .contains(&ext.as_str())
}

/// A path as shown: without a leading `./`.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_owned()
}

/// What walking the `--scan` paths found: the files to read, and what could not be read.
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub errors: Vec<String>,
    /// What was left out and why: symbolic links met in a folder, special files.
    pub skipped: Vec<String>,
}

/// What a file that is neither a regular file nor a folder is, in words.
fn special(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    "not a regular file"
}

/// The files under `paths`: a file named is taken as it is (a symbolic link named is followed);
/// a folder is walked, respecting `.gitignore`, `.ignore` and `.git/info/exclude` (in a Git
/// repository or not), skipping `.git` and SARIF reports (`*.sarif`, which quote the filters
/// they report). Only regular files are read: symbolic links met in a folder (not followed, so
/// that a walk never leaves the tree or loops) and special files (pipes, sockets, devices) are
/// skipped, each said in `skipped`.
pub fn walk(paths: &[String]) -> Walk {
    let mut walk = Walk {
        files: Vec::new(),
        errors: Vec::new(),
        skipped: Vec::new(),
    };
    for path in paths {
        let p = Path::new(path);
        match std::fs::metadata(p) {
            Err(e) => walk.errors.push(format!("cannot read `{path}`: {e}")),
            Ok(m) if m.is_file() => walk.files.push(p.to_owned()),
            Ok(m) if !m.is_dir() => walk
                .skipped
                .push(format!("skipped `{path}`: {}", special(m.file_type()))),
            Ok(_) => {
                let walker = ignore::WalkBuilder::new(p)
                    .hidden(false)
                    .require_git(false)
                    .filter_entry(|e| e.file_name() != ".git")
                    .sort_by_file_name(|a, b| a.cmp(b))
                    .build();
                for entry in walker {
                    match entry {
                        Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                            let sarif = e
                                .path()
                                .extension()
                                .is_some_and(|x| x.eq_ignore_ascii_case("sarif"));
                            if !sarif {
                                walk.files.push(e.into_path());
                            }
                        }
                        Ok(e) => {
                            if let Some(t) = e.file_type().filter(|t| !t.is_dir()) {
                                let how = if t.is_symlink() {
                                    "a symbolic link (links in a folder are not followed; name \
                                     it to scan what it points to)"
                                } else {
                                    special(t)
                                };
                                walk.skipped
                                    .push(format!("skipped `{}`: {how}", display(e.path())));
                            }
                        }
                        Err(e) => walk.errors.push(format!("cannot walk `{path}`: {e}")),
                    }
                }
            }
        }
    }
    walk
}

/// Writes `bytes` to the file `path` as one change: into a new file beside it, which then
/// replaces it (a rename), so that a full disk or a killed process leaves the old file whole.
/// The new file gets the old one's permissions. A symbolic link is followed on purpose: the
/// file it points to is replaced and the link stays a link.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut n = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(".{name}.emfilter-{}-{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(f) => break (temp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::set_permissions(&temp, permissions))
        .and_then(|()| std::fs::rename(&temp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_told_from_a_filter() {
        for url in [
            "https://em01:9398/api/query?type=Job",
            "  HTTP://em/api/query?filter=x",
            "em01:9398/API/Query?type=Job&filter=Result==Failed",
            "/api/query?filter=JobName==\"a?b\"",
        ] {
            assert!(is_url(url), "{url}");
        }
        for filter in [
            "Result==Failed",
            "JobName==\"what?\"",
            "JobName==api/query",
            "JobName==\"/api/queries?\"",
            "?",
            "",
        ] {
            assert!(!is_url(filter), "{filter}");
        }
    }

    #[test]
    fn encodings_round_trip() {
        for bytes in [
            b"plain".to_vec(),
            b"\xEF\xBB\xBFbom".to_vec(),
            b"\xFF\xFEa\0b\0".to_vec(),
            b"\xFE\xFF\0a\0b".to_vec(),
            b"caf\xE9".to_vec(),
        ] {
            let (text, encoding) = decode(bytes.clone()).unwrap();
            assert_eq!(encode(&text, encoding).unwrap(), bytes);
        }
        assert!(decode(b"\x7fELF\0\0".to_vec()).is_none());
    }
}
