//! A fake Enterprise Manager on 127.0.0.1 for the submitter's tests: HTTPS with a certificate
//! made at test time, the logon, query and logout of the reference (§6), a tiny matcher for
//! `Field==Value;…` filters, paging, and a record of every request it saw.
//!
//! Each connection is served by its own thread and closed after one answer. Query strings are
//! decoded the way .NET decodes them (`+` is a space, then percent-decoding), so a client that
//! leaves `+`, `&` or `#` unencoded is caught.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use base64::Engine as _;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::Value;

/// The sample bodies (tests/data/em), byte-order mark and all.
pub fn sample(name: &str) -> String {
    let path = format!("{}/tests/data/em/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A server certificate and the PEM a client must trust for it.
pub struct Tls {
    /// What to pass to `--ca-cert`.
    pub ca_pem: String,
    /// No certificate: plain HTTP (`http://`).
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl Tls {
    /// A certificate for `names` issued by a CA made for the purpose; `ca_pem` is the CA's.
    pub fn issued(names: &[&str]) -> Tls {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "emfilter test CA");
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
        let key = KeyPair::generate().unwrap();
        let params = CertificateParams::new(names_of(names)).unwrap();
        let cert = params.signed_by(&key, &*ca).unwrap();
        Tls {
            ca_pem: ca.pem(),
            chain: vec![cert.der().clone(), ca.der().clone()],
            key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        }
    }

    /// A self-signed certificate for `names`, as EM installs by default; `ca_pem` is the
    /// certificate itself.
    pub fn self_signed(names: &[&str]) -> Tls {
        let certified = rcgen::generate_simple_self_signed(names_of(names)).unwrap();
        Tls {
            ca_pem: certified.cert.pem(),
            chain: vec![certified.cert.der().clone()],
            key: PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der()).into(),
        }
    }

    /// No TLS at all: the fake speaks plain HTTP.
    pub fn plain() -> Tls {
        let key = KeyPair::generate().unwrap();
        Tls {
            ca_pem: String::new(),
            chain: Vec::new(),
            key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        }
    }

    /// A CA certificate (basic constraints CA:TRUE) for `names`, presented as the server's own
    /// certificate; `ca_pem` is that certificate.
    pub fn ca_as_server(names: &[&str]) -> Tls {
        let mut params = CertificateParams::new(names_of(names)).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "emfilter test CA as a server");
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Tls {
            ca_pem: cert.pem(),
            chain: vec![cert.der().clone()],
            key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        }
    }

    fn is_plain(&self) -> bool {
        self.chain.is_empty()
    }

    fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), self.key.clone_key())
            .unwrap();
        Arc::new(config)
    }
}

fn names_of(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// How the fake misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behavior {
    /// As documented.
    Normal,
    /// Each session token serves this many queries, then gets `401` (the session expired).
    ExpireAfter(usize),
    /// Every query gets `401`, whatever the token.
    AlwaysExpired,
    /// Queries get `400` with an `Error` body whose message quotes the session token.
    ErrorQuotingToken,
    /// Queries get `200` with an HTML page.
    NotJson,
    /// The logon gets `201` with a token but an HTML body.
    LogonNotJson,
    /// The logon gets `201` with a token and a LogonSession whose `SessionId` is null (its
    /// `Href` still names the session).
    LogonWrongShape,
    /// The logon is redirected elsewhere.
    LogonRedirected,
    /// The logout gets `500` with an `Error` body quoting the token and the session id.
    LogoutFails,
    /// Queries are never answered.
    StallQuery,
    /// Queries are answered with every session, whatever the filter (a server whose semantics
    /// differ from ours, for `--verify`).
    IgnoreFilter,
    /// Connections are accepted, and then nothing: not even the TLS handshake.
    StallHandshake,
    /// Queries get `500` with a text body that echoes the credentials, the token and the
    /// session id in every encoding ([`echo`]).
    EchoSecrets,
    /// Queries get `400` with an `Error` body whose `Message` echoes them.
    EchoSecretsInMessage,
    /// Queries get `500` with a body whose 200-character cut falls inside the password.
    EchoSecretAtCut,
    /// Every query gets the first page, whatever its `page`, with a `Next` link and neither
    /// `PageNum` nor `PagesCount`.
    IgnorePage,
    /// Pages announce more pages (`PagesCount` 5) but page 2 is empty.
    EmptyPageBeforeTheLast,
    /// Every page has a `Next` link, new entities and no `PagesCount`: paging without end.
    EndlessPages,
    /// The query's answer comes one byte every half second.
    Trickle,
    /// Queries get `400` with an `Error` body whose `Message` holds terminal escape sequences
    /// and a line break.
    ErrorWithEscapes,
}

/// What the fake serves.
pub struct Config {
    pub user: String,
    pub password: String,
    /// The ReplicaJobSession entities, each as pretty JSON text in the server's field order.
    pub sessions: Vec<String>,
    pub behavior: Behavior,
    pub tls: Tls,
}

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// The query string as sent.
    pub raw_query: String,
    /// The query parameters, decoded.
    pub params: Vec<(String, String)>,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn headers(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn is_logon(&self) -> bool {
        self.method == "POST" && self.path == "/api/sessionMngr/"
    }

    pub fn is_query(&self) -> bool {
        self.method == "GET" && self.path == "/api/query"
    }

    pub fn is_logout(&self) -> bool {
        self.method == "DELETE" && self.path.starts_with("/api/logonSessions/")
    }
}

/// A logon session the fake handed out.
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: String,
    pub id: String,
}

#[derive(Default)]
struct State {
    seen: Vec<Seen>,
    issued: Vec<Issued>,
    /// Live sessions: token → (session id, queries served).
    live: HashMap<String, (String, usize)>,
    /// The entities each query matched (all pages), in order.
    matched: Vec<Vec<String>>,
}

struct Shared {
    config: Config,
    /// `None` for plain HTTP.
    server_config: Option<Arc<rustls::ServerConfig>>,
    state: Mutex<State>,
    stop: AtomicBool,
}

/// A running fake; stopped when dropped.
pub struct FakeEm {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl FakeEm {
    pub fn start(config: Config) -> FakeEm {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            server_config: (!config.tls.is_plain()).then(|| config.tls.server_config()),
            config,
            state: Mutex::new(State::default()),
            stop: AtomicBool::new(false),
        });
        let accept = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if shared.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let shared = Arc::clone(&shared);
                    thread::spawn(move || serve(stream, &shared));
                }
            })
        };
        FakeEm {
            addr,
            shared,
            accept: Some(accept),
        }
    }

    /// `https://127.0.0.1:<port>` (`http://` for a fake of [`Tls::plain`]).
    pub fn url(&self) -> String {
        let scheme = if self.shared.config.tls.is_plain() {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://127.0.0.1:{}", self.addr.port())
    }

    /// The PEM a client must trust: the CA's, or the self-signed certificate.
    pub fn ca_pem(&self) -> &str {
        &self.shared.config.tls.ca_pem
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.state.lock().unwrap().seen.clone()
    }

    pub fn issued(&self) -> Vec<Issued> {
        self.shared.state.lock().unwrap().issued.clone()
    }

    /// The entities each query matched, one list per query request.
    pub fn matched(&self) -> Vec<Vec<String>> {
        self.shared.state.lock().unwrap().matched.clone()
    }

    pub fn logons(&self) -> usize {
        self.seen().iter().filter(|s| s.is_logon()).count()
    }

    pub fn queries(&self) -> Vec<Seen> {
        self.seen().into_iter().filter(Seen::is_query).collect()
    }

    pub fn logouts(&self) -> Vec<Seen> {
        self.seen().into_iter().filter(Seen::is_logout).collect()
    }

    /// Everything that must never be shown: each token and session id handed out, in each
    /// form [`echo`] gives them.
    pub fn secrets(&self) -> Vec<String> {
        self.issued()
            .into_iter()
            .flat_map(|i| [percent(&i.token), i.id.to_ascii_uppercase(), i.token, i.id])
            .collect()
    }
}

impl Drop for FakeEm {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Waits until the fake is stopped (a bounded wait: at most 30 s).
fn stall(shared: &Shared) {
    for _ in 0..1500 {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

impl Answer {
    fn json(status: u16, body: String) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type", "application/json; charset=utf-8".to_owned())],
            body,
        }
    }
}

fn serve(stream: TcpStream, shared: &Shared) {
    if shared.config.behavior == Behavior::StallHandshake {
        stall(shared);
        return;
    }
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(server_config) = &shared.server_config else {
        let mut stream = stream;
        respond(&mut stream, shared);
        return;
    };
    let Ok(conn) = rustls::ServerConnection::new(Arc::clone(server_config)) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(conn, stream);
    respond(&mut tls, shared);
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

/// Reads one request from `stream` and writes its answer.
fn respond(tls: &mut (impl Read + Write), shared: &Shared) {
    let Some(seen) = read_request(tls) else {
        return;
    };
    shared.state.lock().unwrap().seen.push(seen.clone());
    let Some(answer) = answer(&seen, shared) else {
        stall(shared);
        return;
    };
    let reason = match answer.status {
        200 => "OK",
        201 => "Created",
        302 => "Found",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Other",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", answer.status);
    for (k, v) in &answer.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        answer.body.len()
    ));
    let _ = tls.write_all(head.as_bytes());
    if shared.config.behavior == Behavior::Trickle && seen.is_query() {
        // One byte every half second: each read is quick, the whole answer takes minutes.
        for byte in answer.body.as_bytes() {
            if shared.stop.load(Ordering::SeqCst)
                || tls.write_all(&[*byte]).and_then(|()| tls.flush()).is_err()
            {
                return;
            }
            thread::sleep(Duration::from_millis(500));
        }
        return;
    }
    let _ = tls.write_all(answer.body.as_bytes());
}

/// `text` percent-encoded: every byte but ASCII letters and digits.
pub fn percent(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Every form of the secrets a careless server might echo: the Basic credentials' base64 with
/// and without padding and in the URL-safe alphabet, without the `Basic ` prefix; the password
/// JSON-escaped (as serde writes it, and with every non-ASCII character as `\uXXXX`),
/// percent-encoded, and as it is (two spaces and a tab survive in it); the token
/// percent-encoded; the session id in upper case. One `name=value` a line.
pub fn echo(config: &Config, token: &str, id: &str) -> String {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let pair = format!("{}:{}", config.user, config.password);
    let json = serde_json::to_string(&config.password).unwrap();
    let ascii: String = config
        .password
        .chars()
        .map(|c| match c {
            '"' => "\\\"".to_owned(),
            '\\' => "\\\\".to_owned(),
            c if c.is_ascii() && !c.is_ascii_control() => c.to_string(),
            c => c
                .encode_utf16(&mut [0; 2])
                .iter()
                .map(|u| format!("\\u{u:04X}"))
                .collect(),
        })
        .collect();
    format!(
        "auth={}\nnopad={}\nurlsafe={}\njson={}\nascii={}\nurl={}\nraw={}\ntoken={}\nsession={}",
        STANDARD.encode(&pair),
        STANDARD_NO_PAD.encode(&pair),
        URL_SAFE_NO_PAD.encode(&pair),
        &json[1..json.len() - 1],
        ascii,
        percent(&config.password),
        config.password,
        percent(token),
        id.to_ascii_uppercase(),
    )
}

fn read_request(stream: &mut impl Read) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?;
    let (path, raw_query) = target.split_once('?').unwrap_or((target, ""));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    // Any body (the logon's is empty) is left unread: the connection closes after the answer.
    Some(Seen {
        method,
        path: path.to_owned(),
        raw_query: raw_query.to_owned(),
        params: decode_query(raw_query),
        headers,
    })
}

/// `a=1&b=x+y%26z` → `[("a", "1"), ("b", "x y&z")]`, as ASP.NET decodes a query string.
pub fn decode_query(raw: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn error_body(message: &str, status: u16) -> String {
    format!(
        "\u{feff}{}",
        serde_json::json!({
            "FirstChanceExceptionMessage": null,
            "Message": message,
            "StackTrace": null,
            "Status": null,
            "StatusCode": status,
        })
    )
}

/// The answer to a request; `None` to never answer.
fn answer(seen: &Seen, shared: &Shared) -> Option<Answer> {
    let config = &shared.config;
    let accepts_json = seen.headers("accept") == ["application/json"];
    if seen.is_logon() && config.behavior == Behavior::LogonRedirected {
        let mut a = Answer::json(302, String::new());
        a.headers.push((
            "Location",
            "https://em02.tech.local:9398/api/sessionMngr/?v=latest".to_owned(),
        ));
        return Some(a);
    }
    if seen.is_logon() {
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", config.user, config.password))
        );
        if seen.headers("authorization") != [expected.as_str()] || seen.param("v") != Some("latest")
        {
            let mut a = Answer::json(401, error_body("Unauthorized", 401));
            a.headers
                .push(("WWW-Authenticate", "Basic Realm=RestSvc".to_owned()));
            return Some(a);
        }
        let mut state = shared.state.lock().unwrap();
        let n = state.issued.len() + 1;
        let id = format!("4e8f2905-a88d-4c9d-9e58-{n:012x}");
        // Like EM: the token is a base64 string (here, of the session id and a nonce).
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{id}/{}", std::process::id()));
        state.issued.push(Issued {
            token: token.clone(),
            id: id.clone(),
        });
        state.live.insert(token.clone(), (id.clone(), 0));
        let body = if config.behavior == Behavior::LogonNotJson {
            "<html><body>Welcome</body></html>".to_owned()
        } else if config.behavior == Behavior::LogonWrongShape {
            format!(
                "{{\"Href\":\"https://em01.tech.local:9398/api/logonSessions/{id}\",\"SessionId\":null}}"
            )
        } else {
            sample("logon-session.json").replace("4e8f2905-a88d-4c9d-9e58-56608d0f0b0b", &id)
        };
        let mut a = Answer::json(201, body);
        a.headers.push(("X-RestSvcSessionId", token.clone()));
        a.headers.push((
            "Set-Cookie",
            format!("X-RestSvcSessionId={token}; path=/; secure"),
        ));
        return Some(a);
    }
    let tokens = seen.headers("x-restsvcsessionid");
    let token = match tokens.as_slice() {
        [t] => t.to_string(),
        _ => return Some(Answer::json(401, error_body("Unauthorized", 401))),
    };
    let session_id = shared
        .state
        .lock()
        .unwrap()
        .live
        .get(&token)
        .map(|(id, _)| id.clone())
        .unwrap_or_default();
    if seen.is_logout() {
        let mut state = shared.state.lock().unwrap();
        let id = seen.path.trim_start_matches("/api/logonSessions/");
        return Some(match state.live.get(&token) {
            Some(_) if config.behavior == Behavior::LogoutFails => Answer::json(
                500,
                error_body(&format!("Cannot end session {id} ({token})"), 500),
            ),
            Some((live_id, _)) if live_id == id => {
                state.live.remove(&token);
                Answer {
                    status: 204,
                    headers: Vec::new(),
                    body: String::new(),
                }
            }
            Some(_) => Answer::json(404, error_body("No such logon session", 404)),
            None => Answer::json(401, error_body("Unauthorized", 401)),
        });
    }
    if !seen.is_query() {
        return Some(Answer::json(404, error_body("Not found", 404)));
    }
    {
        let mut state = shared.state.lock().unwrap();
        let expired = match (state.live.get_mut(&token), config.behavior) {
            (None, _) | (_, Behavior::AlwaysExpired) => true,
            (Some((_, uses)), Behavior::ExpireAfter(n)) => {
                *uses += 1;
                *uses > n
            }
            (Some(_), _) => false,
        };
        if expired {
            return Some(Answer::json(401, error_body("Unauthorized", 401)));
        }
    }
    match config.behavior {
        Behavior::StallQuery => return None,
        Behavior::NotJson => {
            return Some(Answer {
                status: 200,
                headers: vec![("Content-Type", "text/html".to_owned())],
                body: "<html><head><title>Sign in</title></head>\n<body>Proxy login</body></html>"
                    .to_owned(),
            })
        }
        Behavior::EchoSecrets => {
            return Some(Answer {
                status: 500,
                headers: vec![("Content-Type", "text/plain".to_owned())],
                body: echo(config, &token, &session_id),
            })
        }
        Behavior::EchoSecretsInMessage => {
            return Some(Answer::json(
                400,
                error_body(&echo(config, &token, &session_id), 400),
            ))
        }
        Behavior::ErrorWithEscapes => {
            return Some(Answer::json(
                400,
                error_body(
                    "Invalid filter\u{1b}[2J\u{1b}]0;pwned\u{7}\n::error::forged annotation",
                    400,
                ),
            ))
        }
        Behavior::EchoSecretAtCut => {
            // After squeezing, the password starts at character 195 of the shown text.
            return Some(Answer {
                status: 500,
                headers: vec![("Content-Type", "text/plain".to_owned())],
                body: format!("{} {}", "x".repeat(194), config.password),
            });
        }
        Behavior::ErrorQuotingToken => {
            return Some(Answer::json(
                400,
                error_body(
                    &format!("Invalid filter expression for session {token}."),
                    400,
                ),
            ))
        }
        _ => {}
    }
    if !accepts_json
        || !seen
            .param("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("ReplicaJobSession"))
        || !seen
            .param("format")
            .is_some_and(|f| f.eq_ignore_ascii_case("Entities"))
    {
        return Some(Answer::json(400, sample("error.json")));
    }
    let Some(filter) = seen.param("filter") else {
        return Some(Answer::json(400, sample("error.json")));
    };
    let mut matched = Vec::new();
    for text in &config.sessions {
        let Ok(entity) = serde_json::from_str::<Value>(text) else {
            // A session the test broke on purpose is served as it is.
            matched.push(text.clone());
            continue;
        };
        if matches!(config.behavior, Behavior::IgnoreFilter) {
            matched.push(text.clone());
            continue;
        }
        match matches(filter, &entity) {
            Some(true) => matched.push(text.clone()),
            Some(false) => {}
            None => return Some(Answer::json(400, sample("error.json"))),
        }
    }
    shared.state.lock().unwrap().matched.push(matched.clone());
    let size: usize = seen
        .param("pageSize")
        .map_or(Some(100), |s| s.parse().ok())
        .unwrap_or(100)
        .max(1);
    let page: usize = seen
        .param("page")
        .map_or(Some(1), |s| s.parse().ok())
        .unwrap_or(1)
        .max(1);
    let count = matched.len().div_ceil(size).max(1);
    let on_page: Vec<&String> = matched.iter().skip((page - 1) * size).take(size).collect();
    let body = page_body(&on_page, page, size, count, seen);
    let body = match config.behavior {
        Behavior::IgnorePage => {
            // Always the first page, announcing a next one, without its number or a count.
            let first: Vec<&String> = matched.iter().take(size).collect();
            without_counts(&page_body(&first, 1, size, count.max(2), seen))
        }
        Behavior::EndlessPages => {
            // New entities on every page, and always a next one.
            let fresh = session(100_000 + page, "Endless", "Failed");
            without_counts(&page_body(&[&fresh], page, size, page + 1, seen))
        }
        Behavior::EmptyPageBeforeTheLast if page == 2 => page_body(&[], page, size, 5, seen),
        Behavior::EmptyPageBeforeTheLast => page_body(&on_page, page, size, 5, seen),
        _ => body,
    };
    Some(Answer::json(200, body))
}

/// A page body without `PageNum` and `PagesCount`.
fn without_counts(body: &str) -> String {
    let mut v: Value = serde_json::from_str(body.trim_start_matches('\u{feff}')).unwrap();
    let paging = v["PagingInfo"].as_object_mut().unwrap();
    paging.remove("PageNum");
    paging.remove("PagesCount");
    v.to_string()
}

/// A `format=Entities` answer in the sample's shape; its links name the server as EM knows
/// itself, not as the client reached it.
fn page_body(entities: &[&String], page: usize, size: usize, count: usize, seen: &Seen) -> String {
    let base = format!(
        "https://em01.tech.local:9398/api/query?type=ReplicaJobSession&format=Entities&filter={}&pageSize={size}",
        seen.param("filter").unwrap_or_default()
    );
    let mut links = vec![
        serde_json::json!({"Rel": "First", "Href": format!("{base}&page=1"), "Name": null, "Type": null}),
    ];
    if page < count {
        links.push(serde_json::json!({"Rel": "Next", "Href": format!("{base}&page={}", page + 1), "Name": null, "Type": null}));
    }
    links.push(serde_json::json!({"Rel": "Last", "Href": format!("{base}&page={count}"), "Name": null, "Type": null}));
    let paging =
        serde_json::json!({"Links": links, "PageNum": page, "PageSize": size, "PagesCount": count});
    let list: Vec<&str> = entities.iter().map(|s| s.as_str()).collect();
    format!(
        "\u{feff}{{\n \"Refs\": null,\n \"Entities\": {{\n  \"Jobs\": null,\n  \"BackupJobSessions\": null,\n  \"ReplicaJobSessions\": {{\n   \"ReplicaJobSessions\": [\n{}\n   ]\n  }},\n  \"Repositories\": null\n }},\n \"Resources\": null,\n \"Links\": null,\n \"PagingInfo\": {}\n}}",
        list.join(",\n"),
        serde_json::to_string_pretty(&paging).unwrap()
    )
}

/// Whether `filter` (`Field==Value` joined by `;`, values quoted or not) matches `entity`;
/// `None` for anything else, which the fake refuses as EM would a filter it cannot read.
fn matches(filter: &str, entity: &Value) -> Option<bool> {
    let mut all = true;
    for clause in split_top(filter)? {
        let (field, value) = clause.split_once("==")?;
        let value = unquote(value)?;
        let (key, any_case) = match field.to_ascii_lowercase().as_str() {
            "jobname" => ("JobName", false),
            "name" => ("Name", false),
            "result" => ("Result", true),
            "state" => ("State", true),
            "jobtype" => ("JobType", true),
            _ => return None,
        };
        let actual = entity.get(key).and_then(Value::as_str).unwrap_or_default();
        let equal = if any_case {
            actual.eq_ignore_ascii_case(&value)
        } else {
            actual == value
        };
        all &= equal;
    }
    Some(all)
}

/// The `;`-separated clauses outside quotes; `None` for `,` or parentheses outside quotes.
fn split_top(filter: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in filter.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                out.push(&filter[start..i]);
                start = i + 1;
            }
            ',' | '(' | ')' if !quoted => return None,
            _ => {}
        }
    }
    out.push(&filter[start..]);
    Some(out)
}

fn unquote(value: &str) -> Option<String> {
    match value.strip_prefix('"') {
        Some(rest) => Some(rest.strip_suffix('"')?.replace("\"\"", "\"")),
        None => Some(value.to_owned()),
    }
}

/// A ReplicaJobSession entity as pretty JSON in EM's field order.
pub fn session(n: usize, job_name: &str, result: &str) -> String {
    let entity = format!(
        r#"{{
     "IsRetry": false,
     "JobUid": "urn:veeam:Job:2c49a44e-1e59-4527-a6bc-{n:012x}",
     "JobName": {job},
     "JobType": "Replica",
     "CreationTimeUTC": "2026-11-{day:02}T06:46:31Z",
     "EndTimeUTC": "2026-11-{day:02}T07:02:35.28Z",
     "State": "Stopped",
     "Result": "{result}",
     "Progress": 100,
     "FailureMessage": null,
     "Name": {name},
     "UID": "urn:veeam:ReplicaJobSession:0bcf5a1e-866c-4b40-8bc3-{n:012x}",
     "Links": [
      {{
       "Rel": "Up",
       "Href": "https://em01.tech.local:9398/api/backupServers/ce15a8c7-aa49-495e-b05b-ee3398c91018",
       "Name": "srv02.tech.local",
       "Type": "BackupServerReference"
      }}
     ],
     "Href": "https://em01.tech.local:9398/api/replicaSessions/0bcf5a1e-866c-4b40-8bc3-{n:012x}?format=Entity",
     "Type": "ReplicaJobSession"
    }}"#,
        job = serde_json::to_string(job_name).unwrap(),
        name = serde_json::to_string(&format!("{job_name}@2026-11-{:02} 06:46:31", n % 28 + 1))
            .unwrap(),
        day = n % 28 + 1,
    );
    entity
}

/// The three sessions of the sample query result, as text in the sample's field order.
pub fn sample_sessions() -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Page {
        #[serde(rename = "Entities")]
        entities: Entities,
    }
    #[derive(serde::Deserialize)]
    struct Entities {
        #[serde(rename = "ReplicaJobSessions")]
        sessions: List,
    }
    #[derive(serde::Deserialize)]
    struct List {
        #[serde(rename = "ReplicaJobSessions")]
        list: Vec<Box<serde_json::value::RawValue>>,
    }
    let text = sample("query-result-replica-sessions.json");
    let page: Page = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
    page.entities
        .sessions
        .list
        .into_iter()
        .map(|r| r.get().to_owned())
        .collect()
}
