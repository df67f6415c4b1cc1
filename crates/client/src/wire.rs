//! The JSON bodies Enterprise Manager sends (reference §5, §6), read leniently: a UTF-8 byte-order
//! mark first, fields in any order, `null` for anything optional.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use emfilter::json::strip_bom;

/// Parses a JSON body, byte-order mark or not.
pub(crate) fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(strip_bom(body))
}

/// The body of `POST /api/sessionMngr/` (a `LogonSession`); only its id matters here.
#[derive(Deserialize)]
pub(crate) struct LogonSession {
    #[serde(rename = "SessionId")]
    pub session_id: String,
}

/// An `Error` body.
#[derive(Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(rename = "Message")]
    pub message: Option<String>,
    #[serde(rename = "StatusCode")]
    pub status_code: Option<i64>,
}

/// One page of `GET /api/query?format=Entities`.
#[derive(Deserialize)]
pub(crate) struct Page {
    #[serde(rename = "Entities")]
    pub entities: Option<BTreeMap<String, Option<Collection>>>,
    #[serde(rename = "PagingInfo")]
    pub paging: Option<PagingInfo>,
}

/// `{"ReplicaJobSessions": [ … ]}`: the collection object, keyed once more by its name.
pub(crate) type Collection = BTreeMap<String, Option<Vec<Box<RawValue>>>>;

/// Where a page stands among the pages of a query.
#[derive(Deserialize)]
pub(crate) struct PagingInfo {
    #[serde(rename = "Links")]
    pub links: Option<Vec<Link>>,
    #[serde(rename = "PageNum")]
    pub page_num: Option<u64>,
    #[serde(rename = "PagesCount")]
    pub pages_count: Option<u64>,
}

/// A link of the paging information; only its relation is used.
#[derive(Deserialize)]
pub(crate) struct Link {
    #[serde(rename = "Rel")]
    pub rel: Option<String>,
}

impl PagingInfo {
    pub fn has_next(&self) -> bool {
        self.links.iter().flatten().any(|l| {
            l.rel
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case("Next"))
        })
    }
}

impl Page {
    /// The entities of `collection` (`ReplicaJobSessions`, matched in any case), or of the only
    /// collection that is not null (none: no entity). An error when the answer holds no
    /// `Entities` at all, or several collections none of which is the one asked for.
    pub fn take(self, collection: &str) -> Result<Vec<Box<RawValue>>, String> {
        let Some(entities) = self.entities else {
            return Err("a body without `Entities`".to_owned());
        };
        let present: Vec<(String, Collection)> = entities
            .into_iter()
            .filter_map(|(name, c)| c.map(|c| (name, c)))
            .collect();
        let chosen = match present
            .iter()
            .position(|(name, _)| name.eq_ignore_ascii_case(collection))
        {
            Some(i) => present.into_iter().nth(i),
            None if present.len() <= 1 => present.into_iter().next(),
            None => {
                let names: Vec<&str> = present.iter().map(|(n, _)| n.as_str()).collect();
                return Err(format!(
                    "`Entities` holding {} but not {collection}",
                    names.join(", ")
                ));
            }
        };
        let Some((name, inner)) = chosen else {
            return Ok(Vec::new());
        };
        // The collection object holds the list under the same name; take it, or the only list.
        let mut lists: Vec<(String, Option<Vec<Box<RawValue>>>)> = inner.into_iter().collect();
        let i = lists
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(&name))
            .or(if lists.len() == 1 { Some(0) } else { None });
        match i {
            Some(i) => Ok(lists.swap_remove(i).1.unwrap_or_default()),
            None if lists.is_empty() => Ok(Vec::new()),
            None => Err(format!("`Entities.{name}` without a `{name}` list")),
        }
    }
}

/// The first characters of a body for a message: lossy UTF-8, byte-order mark dropped, control
/// characters as spaces, runs of whitespace squeezed, cut at `max` characters with `…`.
pub(crate) fn body_start(body: &[u8], max: usize) -> String {
    let body = strip_bom(body);
    let text = String::from_utf8_lossy(&body[..body.len().min(max * 4)]);
    let mut out = String::new();
    let mut count = 0;
    let mut last_space = true;
    for c in text.chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        if count == max {
            out.truncate(out.trim_end().len());
            out.push('…');
            return out;
        }
        out.push(c);
        count += 1;
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_start_is_short_and_clean() {
        let body = "\u{feff}<html>\r\n  <body>\tLogin\u{7}</body></html>".as_bytes();
        assert_eq!(body_start(body, 100), "<html> <body> Login </body></html>");
        assert_eq!(body_start(body, 8), "<html> <…");
        assert_eq!(body_start(b"", 8), "");
    }
}
