//! What the `client` fuzz target asserts, shared with `tests/fuzz.rs` (which replays its seeds
//! and kept crashes): the client's handling of any answer a server can give.
//!
//! The input is a script of answers, read by [`script`]: answers separated by a line `--`;
//! each a status line (`201`), header lines (`X-RestSvcSessionId: {TOKEN}`), an empty line and
//! a body. Placeholders put the secrets, in each of their encodings, anywhere in a header or a
//! body: `{PASSWORD}`, `{PASSWORD_JSON}` (JSON-escaped, non-ASCII as `\uXXXX`), `{PASSWORD_URL}`
//! (percent-encoded), `{BASIC}` / `{BASIC_NOPAD}` / `{BASIC_URL}` (the base64 of
//! `user:password`), `{TOKEN}`, `{TOKEN_URL}`, `{ID}`, `{ID_UPPER}`. An in-process server on
//! 127.0.0.1 answers the client's requests in order (the logon, the query's pages, the logout)
//! with the script's answers, each on a connection of its own, closed after it; when the script
//! runs out, `500` with an `Error` body (a `DELETE`: `204`).
//!
//! What must hold: nothing panics, the conversation ends, and no error or `Debug` output holds
//! the password, the Basic credentials, or the token and session id the script handed out (an
//! entity's own JSON is the data asked for, and is not checked).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use base64::Engine as _;
use emfilter_client::{Credentials, Query, Server};

const USER: &str = "TECH\\restuser";
const PASSWORD: &str = "Pa55 w&rd;\"é:x\t€";
/// The token and session id a script hands out with `{TOKEN}` and `{ID}`.
const TOKEN: &str = "TG9nb25Ub2tlbi1mb3ItZnV6emluZy0xMjM0NTY3OA==";
const ID: &str = "4e8f2905-a88d-4c9d-9e58-56608d0f0b0b";

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn json_ascii(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => "\\\"".to_owned(),
            '\\' => "\\\\".to_owned(),
            c if c.is_ascii() && !c.is_ascii_control() => c.to_string(),
            c => c
                .encode_utf16(&mut [0; 2])
                .iter()
                .map(|u| format!("\\u{u:04x}"))
                .collect(),
        })
        .collect()
}

/// The placeholders and what each stands for.
fn placeholders() -> Vec<(&'static str, String)> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let pair = format!("{USER}:{PASSWORD}");
    vec![
        ("{PASSWORD}", PASSWORD.to_owned()),
        ("{PASSWORD_JSON}", json_ascii(PASSWORD)),
        ("{PASSWORD_URL}", percent(PASSWORD)),
        ("{BASIC}", STANDARD.encode(&pair)),
        ("{BASIC_NOPAD}", STANDARD_NO_PAD.encode(&pair)),
        ("{BASIC_URL}", URL_SAFE_NO_PAD.encode(&pair)),
        ("{TOKEN}", TOKEN.to_owned()),
        ("{TOKEN_URL}", percent(TOKEN)),
        ("{ID}", ID.to_owned()),
        ("{ID_UPPER}", ID.to_ascii_uppercase()),
    ]
}

fn expand(bytes: &[u8]) -> Vec<u8> {
    let mut text = bytes.to_vec();
    for (name, value) in placeholders() {
        let mut out = Vec::with_capacity(text.len());
        let mut rest = &text[..];
        while let Some(i) = find(rest, name.as_bytes()) {
            out.extend_from_slice(&rest[..i]);
            out.extend_from_slice(value.as_bytes());
            rest = &rest[i + name.len()..];
        }
        out.extend_from_slice(rest);
        text = out;
    }
    text
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<Vec<u8>>,
    pub body: Vec<u8>,
}

/// The answers of a script (at most 8).
pub fn script(data: &[u8]) -> Vec<Answer> {
    let mut answers = Vec::new();
    let mut rest = data;
    while !rest.is_empty() && answers.len() < 8 {
        let (part, next) = match find(rest, b"\n--\n") {
            Some(i) => (&rest[..i], &rest[i + 4..]),
            None => (rest, &b""[..]),
        };
        rest = next;
        let (head, body) = match find(part, b"\n\n") {
            Some(i) => (&part[..i], &part[i + 2..]),
            None => (part, &b""[..]),
        };
        let mut lines = head.split(|&b| b == b'\n');
        let status = lines
            .next()
            .and_then(|l| std::str::from_utf8(l).ok())
            .and_then(|l| l.trim().parse::<u16>().ok())
            .filter(|s| (100..1000).contains(s))
            .unwrap_or(200);
        answers.push(Answer {
            status,
            headers: lines.map(expand).collect(),
            body: expand(body),
        });
    }
    answers
}

/// Serves `answers` one a connection until `stop`.
fn serve(listener: TcpListener, answers: Vec<Answer>, stop: Arc<AtomicBool>) {
    let mut answers = answers.into_iter();
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let Some(method) = read_head(&mut stream) else {
            continue;
        };
        let answer = answers.next().unwrap_or_else(|| Answer {
            status: if method == "DELETE" { 204 } else { 500 },
            headers: vec![b"Content-Type: application/json".to_vec()],
            body: if method == "DELETE" {
                Vec::new()
            } else {
                br#"{"Message":"the script ran out","StatusCode":500}"#.to_vec()
            },
        });
        let mut out = format!("HTTP/1.1 {} Scripted\r\n", answer.status).into_bytes();
        for h in &answer.headers {
            out.extend_from_slice(h);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(
            format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                answer.body.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&answer.body);
        let _ = stream.write_all(&out);
        let _ = stream.flush();
    }
}

/// Reads a request's head; its method.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while find(&buf, b"\r\n\r\n").is_none() {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > 64 << 10 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let line = buf.split(|&b| b == b' ').next()?;
    Some(String::from_utf8_lossy(line).into_owned())
}

/// Target `client`: runs the client against a server answering with the script in `data`.
pub fn client(data: &[u8]) {
    let answers = script(data);
    // Which of the fixed secrets the script handed out as the session's.
    let logon = answers.first();
    // The client takes the first `X-RestSvcSessionId` header: the token is its, if it is the
    // fixed one.
    let token_given = logon.is_some_and(|a| {
        a.headers
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .filter_map(|h| {
                let (k, v) = h.split_once(':')?;
                k.eq_ignore_ascii_case("X-RestSvcSessionId")
                    .then(|| v.trim_matches([' ', '\t']).to_owned())
            })
            .next()
            .is_some_and(|v| v == TOKEN)
    });
    let id_given = logon.is_some_and(|a| {
        serde_json::from_slice::<serde_json::Value>(emfilter::json::strip_bom(&a.body))
            .ok()
            .and_then(|v| {
                v.get("SessionId")
                    .and_then(|s| s.as_str())
                    .map(str::trim)
                    .map(|s| s == ID)
            })
            .unwrap_or(false)
    });
    let mut secrets: Vec<String> = placeholders()
        .into_iter()
        .filter(|(name, _)| {
            name.starts_with("{PASSWORD")
                || name.starts_with("{BASIC")
                || (name.starts_with("{TOKEN") && token_given)
                || (name.starts_with("{ID") && id_given)
        })
        .map(|(_, value)| value)
        .collect();
    secrets.push(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"))
    ));

    let listener = TcpListener::bind("127.0.0.1:0").expect("a port on the loopback");
    let addr = listener.local_addr().expect("its address");
    let stop = Arc::new(AtomicBool::new(false));
    let server = {
        let stop = Arc::clone(&stop);
        thread::spawn(move || serve(listener, answers, stop))
    };
    let mut shown: Vec<String> = Vec::new();
    let filter = emfilter::compile("Result==Failed", &emfilter::schema::REPLICA_JOB_SESSION)
        .expect("a valid filter");
    let server_config = Server::new(&format!("http://{addr}"))
        .expect("a valid address")
        .allow_cleartext(true)
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(5))
        .request_timeout(Duration::from_secs(10));
    match server_config.logon(Credentials::new(USER, PASSWORD)) {
        Err(e) => shown.extend([e.to_string(), format!("{e:?}")]),
        Ok(mut client) => {
            shown.push(format!("{client:?}"));
            let query =
                Query::new(filter).max_pages(std::num::NonZeroU32::new(3).expect("not zero"));
            let mut entities = 0;
            for item in client.query(&query) {
                match item {
                    Ok(_) => entities += 1,
                    Err(e) => shown.extend([e.to_string(), format!("{e:?}")]),
                }
                assert!(entities <= 10_000, "the entities never end");
            }
            if let Err(e) = client.logout() {
                shown.extend([e.to_string(), format!("{e:?}")]);
            }
        }
    }
    stop.store(true, Ordering::SeqCst);
    let _ = TcpStream::connect(addr);
    server.join().expect("the server thread ends");
    for text in &shown {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a secret shows: `{secret}` in {text}"
            );
        }
    }
}
