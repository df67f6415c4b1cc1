//! The submitter: log on to Enterprise Manager, run a checked [`Filter`] through
//! `GET /api/query`, follow its pages, log out.
//!
//! A small blocking client (ureq with rustls, no async runtime) for the protocol of the
//! reference's §1, §5 and §6:
//!
//! - [`Server::logon`] sends `POST /api/sessionMngr/?v=latest` with Basic authentication and
//!   expects `201 Created`, the token in the `X-RestSvcSessionId` header and the `SessionId` in
//!   the body (a UTF-8 byte-order mark first is fine).
//! - [`Client::query`] sends `GET /api/query?type=…&format=Entities&filter=…` with the filter's
//!   canonical text percent-encoded ([`Filter::to_query_value`]), the token and
//!   `Accept: application/json` on every request, and yields each entity of each page as the
//!   server sent it. A `401` after the logon means the session expired: the client logs on once
//!   more and retries that request once.
//! - [`Client::logout`] (or dropping the client) sends `DELETE /api/logonSessions/<SessionId>`
//!   and expects `204`.
//!
//! Certificates are verified against the system's trusted authorities unless a [`Trust`] says
//! otherwise. The password, the token and the session id never appear in an [`Error`] or a
//! `Debug` output: what the server says is redacted before it is put into a message.
//!
//! ```no_run
//! use emfilter_client::{Credentials, Query, Server, Trust};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let filter = emfilter::compile(
//!     r#"JobName=="R&D Replica";Result==Failed"#,
//!     &emfilter::schema::REPLICA_JOB_SESSION,
//! )?;
//! let server = Server::new("https://em01.tech.local:9398")?
//!     .trust(Trust::pem(&std::fs::read("em01.pem")?)?);
//! let password = std::env::var("EMFILTER_PASSWORD")?;
//! let mut client = server.logon(Credentials::new("TECH\\restuser", password))?;
//! for session in client.query(&Query::new(filter).sort_desc("CreationTime")?) {
//!     println!("{}", session?.to_line());
//! }
//! client.logout()?;
//! # Ok(())
//! # }
//! ```

mod error;
mod secret;
mod wire;

use std::fmt;
use std::io;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use serde_json::value::RawValue;
use ureq::http::Response;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
use ureq::{Agent, Body};

pub use error::{Error, ErrorKind, Stage};

use emfilter::encode_query_value;
use emfilter::schema::FieldId;
use emfilter::Filter;
use secret::{Redactor, Secret};

/// The header that carries the session token.
const TOKEN_HEADER: &str = "X-RestSvcSessionId";
const JSON: &str = "application/json";
/// The largest body read: a page of a thousand entities is a few megabytes.
const MAX_BODY: u64 = 256 * 1024 * 1024;
/// How much of an unexpected body a message shows, in characters.
const BODY_START: usize = 200;
/// How much of a body is searched for secrets before the start of it is shown: secrets are
/// hidden in the raw text first, then whitespace is squeezed and the text cut.
const REDACT_WINDOW: usize = 64 * 1024;
/// The longest `Message` of an `Error` body shown, in characters.
const MESSAGE_MAX: usize = 1000;

/// An Enterprise Manager to talk to: its address, which certificates to trust and the time
/// limits.
#[derive(Debug, Clone)]
pub struct Server {
    base: String,
    plain_http: bool,
    allow_cleartext: bool,
    trust: Trust,
    connect_timeout: Duration,
    read_timeout: Duration,
    request_timeout: Duration,
}

impl Server {
    /// The port Enterprise Manager's REST API listens on, used when an address has neither a
    /// scheme nor a port.
    pub const DEFAULT_PORT: u16 = 9398;
    /// The default limit for connecting (name lookup, TCP and the TLS handshake).
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
    /// The default limit for each wait for the server: for the answer to begin, and between two
    /// reads of it.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
    /// The default deadline of a whole request, from connecting to the last byte of the answer:
    /// a server that trickles its answer a byte at a time cannot hold a request longer.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

    /// The server at `address`: `https://em01.tech.local:9398`, also with a trailing `/` or
    /// `/api`. With no scheme, `https://` and port 9398 are assumed (`em01.tech.local`).
    /// `http://` is accepted here but refused at logon unless [`Server::allow_cleartext`] says
    /// otherwise (whatever the [`Trust`]). Certificates are checked against the system's authorities until
    /// [`Server::trust`] says otherwise.
    pub fn new(address: &str) -> Result<Server, Error> {
        let given = address.trim();
        let invalid = |reason: &str| Error::InvalidServer {
            given: format!("`{given}`"),
            reason: reason.to_owned(),
        };
        if given.is_empty() {
            return Err(invalid("it is empty"));
        }
        let defaulted = !given.contains("://");
        let full = if defaulted {
            format!("https://{given}")
        } else {
            given.to_owned()
        };
        let uri: ureq::http::Uri = full
            .parse()
            .map_err(|_| invalid("it is not an address like https://em01.example.com:9398"))?;
        let plain_http = match uri.scheme_str() {
            Some(s) if s.eq_ignore_ascii_case("https") => false,
            Some(s) if s.eq_ignore_ascii_case("http") => true,
            _ => return Err(invalid("only https:// addresses can be used")),
        };
        let Some(authority) = uri.authority() else {
            return Err(invalid("it names no host"));
        };
        if authority.as_str().contains('@') {
            return Err(Error::InvalidServer {
                given: "(not shown)".to_owned(),
                reason: "it holds a user name or password, which never belong in an address"
                    .to_owned(),
            });
        }
        if authority.host().is_empty() {
            return Err(invalid("it names no host"));
        }
        let path = uri.path().trim_end_matches('/');
        if !(path.is_empty() || path.eq_ignore_ascii_case("/api")) || uri.query().is_some() {
            return Err(invalid(
                "give the server only (https://em01.example.com:9398), without a path or query",
            ));
        }
        let port = match (authority.port_u16(), defaulted) {
            (None, true) => format!(":{}", Server::DEFAULT_PORT),
            _ => String::new(),
        };
        let scheme = if plain_http { "http" } else { "https" };
        Ok(Server {
            base: format!("{scheme}://{}{port}", authority.as_str()),
            plain_http,
            allow_cleartext: false,
            trust: Trust::system(),
            connect_timeout: Server::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: Server::DEFAULT_READ_TIMEOUT,
            request_timeout: Server::DEFAULT_REQUEST_TIMEOUT,
        })
    }

    /// Which certificates to trust.
    pub fn trust(mut self, trust: Trust) -> Server {
        self.trust = trust;
        self
    }

    /// The limit for connecting: name lookup, TCP and the TLS handshake.
    pub fn connect_timeout(mut self, limit: Duration) -> Server {
        self.connect_timeout = limit;
        self
    }

    /// The limit for each wait for the server: for its answer to begin, and between two reads.
    pub fn read_timeout(mut self, limit: Duration) -> Server {
        self.read_timeout = limit;
        self
    }

    /// The deadline of each whole request: connecting, sending, and reading the answer to its
    /// last byte.
    pub fn request_timeout(mut self, limit: Duration) -> Server {
        self.request_timeout = limit;
        self
    }

    /// Allows logging on to an `http://` address, which sends the password (in the Basic
    /// credentials), the session token and every answer unencrypted, readable by anyone on the
    /// way. Off by default; [`Trust::insecure`] does not allow it.
    pub fn allow_cleartext(mut self, yes: bool) -> Server {
        self.allow_cleartext = yes;
        self
    }

    /// Whether the address is plain `http://`.
    pub fn is_cleartext(&self) -> bool {
        self.plain_http
    }

    /// The address requests go to (`https://em01.tech.local:9398`).
    pub fn address(&self) -> &str {
        &self.base
    }

    /// The host part of the address (`em01.tech.local`, `127.0.0.1`, `[::1]`).
    fn host(&self) -> &str {
        let rest = self.base.split_once("://").map_or(&*self.base, |(_, r)| r);
        match rest.rfind(':') {
            Some(i) if !rest[i..].contains(']') => &rest[..i],
            _ => rest,
        }
    }

    /// Logs on as `credentials` (`POST /api/sessionMngr/?v=latest`).
    pub fn logon(&self, credentials: Credentials) -> Result<Client, Error> {
        if self.plain_http && !self.allow_cleartext {
            return Err(Error::InvalidServer {
                given: format!("`{}`", self.base),
                reason:
                    "plain http:// would send the password, the session token and every \
                         answer unencrypted; use https:// (Enterprise Manager listens on port 9398)"
                        .to_owned(),
            });
        }
        let tls = match &self.trust.0 {
            TrustKind::System => TlsConfig::builder().root_certs(RootCerts::PlatformVerifier),
            TrustKind::Certificates(certs) => {
                TlsConfig::builder().root_certs(RootCerts::Specific(Arc::clone(certs)))
            }
            TrustKind::Insecure => TlsConfig::builder().disable_verification(true),
        }
        .build();
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("emfilter/", env!("CARGO_PKG_VERSION")))
            .timeout_resolve(Some(self.connect_timeout))
            .timeout_connect(Some(self.connect_timeout))
            .timeout_send_request(Some(self.read_timeout))
            .timeout_recv_response(Some(self.read_timeout))
            .timeout_per_read(Some(self.read_timeout))
            .timeout_global(Some(self.request_timeout))
            .tls_config(tls)
            .build();
        let (basic, encoded) = basic_credentials(&credentials);
        let mut client = Client {
            agent: config.into(),
            server: self.clone(),
            basic,
            encoded,
            credentials,
            session: None,
        };
        client.logon()?;
        Ok(client)
    }
}

/// The `Authorization` header's value for `credentials` (`Basic <base64 of user:password>`),
/// and every other form in which a server might echo the credentials: their base64 in the
/// standard and URL-safe alphabets, with and without padding, and the password's own base64.
///
/// Each string is built in place at its final size, so that no copy of a secret is left behind
/// in memory that was freed without being overwritten; each is a [`Secret`], zeroed when
/// dropped, and so is the temporary `user:password`.
fn basic_credentials(credentials: &Credentials) -> (Secret, Vec<Secret>) {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let password = credentials.password.expose();
    let mut pair = String::with_capacity(credentials.user.len() + 1 + password.len());
    pair.push_str(&credentials.user);
    pair.push(':');
    pair.push_str(password);
    let pair = Secret::new(pair);
    let encode = |engine: &base64::engine::GeneralPurpose, text: &str, prefix: &str| {
        let size = base64::encoded_len(text.len(), true).unwrap_or(0);
        let mut out = String::with_capacity(prefix.len() + size);
        out.push_str(prefix);
        engine.encode_string(text, &mut out);
        Secret::new(out)
    };
    let header = encode(&STANDARD, pair.expose(), "Basic ");
    let mut forms = Vec::new();
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        forms.push(encode(engine, pair.expose(), ""));
        forms.push(encode(engine, password, ""));
    }
    (header, forms)
}

/// Which server certificates to accept.
#[derive(Clone)]
pub struct Trust(TrustKind);

#[derive(Clone)]
enum TrustKind {
    System,
    Certificates(Arc<Vec<Certificate<'static>>>),
    Insecure,
}

impl Trust {
    /// Certificates issued by an authority the system trusts (the default).
    pub fn system() -> Trust {
        Trust(TrustKind::System)
    }

    /// Only certificates issued by (or equal to) one of the certificates in `pem`: an
    /// Enterprise Manager's self-signed certificate, or the CA certificate that issued its
    /// certificate.
    pub fn pem(pem: &[u8]) -> Result<Trust, Error> {
        let mut certs = Vec::new();
        for item in ureq::tls::parse_pem(pem) {
            match item {
                Ok(PemItem::Certificate(cert)) => {
                    let mut store = rustls::RootCertStore::empty();
                    store
                        .add(cert.der().to_vec().into())
                        .map_err(|e| Error::CaCertificate {
                            reason: format!("certificate {} cannot be used: {e}", certs.len() + 1),
                        })?;
                    certs.push(cert);
                }
                Ok(_) => {}
                Err(e) => {
                    return Err(Error::CaCertificate {
                        reason: format!("the PEM text cannot be read: {e}"),
                    })
                }
            }
        }
        if certs.is_empty() {
            return Err(Error::CaCertificate {
                reason: "it holds no certificate (no `-----BEGIN CERTIFICATE-----` block)"
                    .to_owned(),
            });
        }
        Ok(Trust(TrustKind::Certificates(Arc::new(certs))))
    }

    /// Any certificate at all: no protection against someone between here and the server, who
    /// can then read the password and every answer.
    pub fn insecure() -> Trust {
        Trust(TrustKind::Insecure)
    }

    /// Whether certificates go unchecked.
    pub fn is_insecure(&self) -> bool {
        matches!(self.0, TrustKind::Insecure)
    }
}

impl fmt::Debug for Trust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            TrustKind::System => f.write_str("Trust::System"),
            TrustKind::Certificates(c) => write!(f, "Trust::Certificates({})", c.len()),
            TrustKind::Insecure => f.write_str("Trust::Insecure"),
        }
    }
}

/// A user name and password. `Debug` never shows the password.
#[derive(Clone)]
pub struct Credentials {
    user: String,
    password: Secret,
}

impl Credentials {
    /// `user` (`TECH\restuser`) with `password`.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials {
            user: user.into(),
            password: Secret::new(password.into()),
        }
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &self.password)
            .finish()
    }
}

/// A sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `sortAsc`.
    Ascending,
    /// `sortDesc`.
    Descending,
}

/// What to ask for: a checked filter, and optionally a page size, a first page, a sort and a
/// limit on the number of entities.
#[derive(Debug, Clone)]
pub struct Query {
    filter: Filter,
    page_size: Option<NonZeroU32>,
    first_page: Option<NonZeroU32>,
    sort: Option<(Order, FieldId)>,
    limit: Option<u64>,
    max_pages: u64,
}

impl Query {
    /// The most pages read by default: a bound on a server that pages without end.
    pub const DEFAULT_MAX_PAGES: u64 = 10_000;

    /// The entities of the filter's query type that `filter` matches.
    pub fn new(filter: Filter) -> Query {
        Query {
            filter,
            page_size: None,
            first_page: None,
            sort: None,
            limit: None,
            max_pages: Query::DEFAULT_MAX_PAGES,
        }
    }

    /// Reads at most `n` pages ([`Query::DEFAULT_MAX_PAGES`] by default); a server that has
    /// more then gives an [`Error::Paging`] after the last entity of page `n`.
    pub fn max_pages(mut self, n: NonZeroU32) -> Query {
        self.max_pages = u64::from(n.get());
        self
    }

    /// Asks for `size` entities a page (`pageSize`); the server's default is 100.
    pub fn page_size(mut self, size: NonZeroU32) -> Query {
        self.page_size = Some(size);
        self
    }

    /// Starts at page `page` (`page`, 1-based) instead of the first.
    pub fn first_page(mut self, page: NonZeroU32) -> Query {
        self.first_page = Some(page);
        self
    }

    /// Sorts by `field` (a field of the filter's query type that the documentation lists for
    /// sorting, in any case) in `order`.
    pub fn sort(mut self, order: Order, field: &str) -> Result<Query, Error> {
        let schema = self.filter.schema();
        let Some(id) = schema.lookup(field) else {
            return Err(Error::UnknownSortField {
                name: field.to_owned(),
                type_name: schema.name().to_owned(),
                suggestion: emfilter::suggest::closest(
                    field,
                    schema
                        .fields()
                        .iter()
                        .filter(|f| f.sortable())
                        .map(|f| f.name()),
                )
                .map(str::to_owned),
            });
        };
        if !schema.field(id).sortable() {
            return Err(Error::UnsortableField {
                name: schema.field(id).name().to_owned(),
                type_name: schema.name().to_owned(),
            });
        }
        self.sort = Some((order, id));
        Ok(self)
    }

    /// Sorts by `field` ascending (`sortAsc`).
    pub fn sort_asc(self, field: &str) -> Result<Query, Error> {
        self.sort(Order::Ascending, field)
    }

    /// Sorts by `field` descending (`sortDesc`).
    pub fn sort_desc(self, field: &str) -> Result<Query, Error> {
        self.sort(Order::Descending, field)
    }

    /// Stops after `n` entities, asking for no page beyond the one that holds the `n`th.
    pub fn limit(mut self, n: u64) -> Query {
        self.limit = Some(n);
        self
    }

    /// The filter.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// The path and query of the request for `page` (none: as the user asked).
    fn path(&self, page: Option<u32>) -> String {
        let schema = self.filter.schema();
        let mut path = format!(
            "/api/query?type={}&format=Entities&filter={}",
            encode_query_value(schema.name()),
            self.filter.to_query_value()
        );
        if let Some((order, field)) = self.sort {
            let key = match order {
                Order::Ascending => "sortAsc",
                Order::Descending => "sortDesc",
            };
            path.push_str(&format!(
                "&{key}={}",
                encode_query_value(schema.field(field).em_name())
            ));
        }
        if let Some(size) = self.page_size {
            path.push_str(&format!("&pageSize={size}"));
        }
        if let Some(page) = page.or(self.first_page.map(NonZeroU32::get)) {
            path.push_str(&format!("&page={page}"));
        }
        path
    }
}

/// One entity (a session, for the session types) as the server sent it.
#[derive(Debug, Clone)]
pub struct Entity(Box<RawValue>);

impl Entity {
    /// The JSON text exactly as it stood in the server's answer.
    pub fn json(&self) -> &str {
        self.0.get()
    }

    /// The JSON text on one line: the whitespace between tokens removed, fields in the server's
    /// order, strings and numbers byte for byte.
    pub fn to_line(&self) -> String {
        let mut line = Vec::with_capacity(self.0.get().len());
        emfilter::json::compact(self.0.get().as_bytes(), &mut line);
        // Only ASCII whitespace between tokens was taken out of valid UTF-8, so this is UTF-8.
        String::from_utf8(line)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// The entity as a JSON value.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::from_str(self.0.get()).unwrap_or(serde_json::Value::Null)
    }
}

/// A logged-on session with an Enterprise Manager. Dropping it logs out (ignoring any failure);
/// [`Client::logout`] logs out and says whether that worked.
pub struct Client {
    agent: Agent,
    server: Server,
    credentials: Credentials,
    basic: Secret,
    /// The other forms of the credentials a server might echo (see [`basic_credentials`]).
    encoded: Vec<Secret>,
    session: Option<LogonSession>,
}

struct LogonSession {
    token: Secret,
    id: Secret,
}

/// An answer, read whole.
struct Answer {
    stage: Stage,
    status: u16,
    location: Option<String>,
    body: Vec<u8>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("server", &self.server.base)
            .field("user", &self.credentials.user)
            .field("logged_on", &self.session.is_some())
            .finish_non_exhaustive()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.end_session();
    }
}

impl Client {
    /// The server's address.
    pub fn server(&self) -> &str {
        &self.server.base
    }

    /// The entities `query` matches, page after page, as the server sends them. The iterator
    /// ends after the last page, after the query's limit, or after the first error.
    pub fn query(&mut self, query: &Query) -> Entities<'_> {
        let collection = query.filter.schema().collection();
        Entities {
            client: self,
            query: query.clone(),
            collection,
            next: Next::First,
            buffer: Vec::new().into_iter(),
            remaining: query.limit,
            pages: 0,
            seen: std::collections::HashSet::new(),
            pending: None,
        }
    }

    /// Logs out (`DELETE /api/logonSessions/<SessionId>`, expecting `204`).
    pub fn logout(mut self) -> Result<(), Error> {
        self.end_session()
    }

    fn end_session(&mut self) -> Result<(), Error> {
        let Some(session) = &self.session else {
            return Ok(());
        };
        let url = format!(
            "{}/api/logonSessions/{}",
            self.server.base,
            encode_query_value(session.id.expose())
        );
        let result = self
            .agent
            .delete(&url)
            .header("Accept", JSON)
            .header(TOKEN_HEADER, session.token.expose())
            .call()
            .map_err(|e| self.transport_error(e, Stage::Logout))
            .and_then(|mut response| self.receive(&mut response, Stage::Logout))
            .and_then(|answer| match answer.status {
                204 => Ok(()),
                _ => Err(self.server_error(&answer, None)),
            });
        // Forgotten only now, so that what the server said about it was redacted.
        self.session = None;
        result
    }

    fn logon(&mut self) -> Result<(), Error> {
        let url = format!("{}/api/sessionMngr/?v=latest", self.server.base);
        let mut response = self
            .agent
            .post(&url)
            .header("Accept", JSON)
            .header("Authorization", self.basic.expose())
            .send_empty()
            .map_err(|e| self.transport_error(e, Stage::Logon))?;
        if response.status() == 401 {
            return Err(Error::LogonRefused {
                server: self.server.base.clone(),
                user: self.credentials.user.clone(),
            });
        }
        let token = response
            .headers()
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(|v| Secret::new(v.trim().to_owned()))
            .filter(|t| !t.expose().is_empty());
        let answer = self.receive(&mut response, Stage::Logon)?;
        // Until the body is read the session id is not known: hide anything shaped like one.
        let hide = |e: Error| -> Error {
            let hide_text = |text: String| secret::redact_guids(&text);
            match e {
                Error::UnexpectedResponse {
                    stage,
                    status,
                    problem,
                    body_start,
                } => Error::UnexpectedResponse {
                    stage,
                    status,
                    problem: hide_text(problem),
                    body_start: hide_text(body_start),
                },
                Error::Server {
                    stage,
                    status,
                    message,
                    status_code,
                } => Error::Server {
                    stage,
                    status,
                    message: message.map(hide_text),
                    status_code,
                },
                e => e,
            }
        };
        if answer.status != 201 {
            return Err(hide(self.server_error(&answer, token.as_ref())));
        }
        let Some(token) = token.clone() else {
            return Err(hide(self.unexpected(
                &answer,
                "no session token (header X-RestSvcSessionId)",
                None,
            )));
        };
        let logon: wire::LogonSession = wire::parse(&answer.body).map_err(|e| {
            hide(self.unexpected(&answer, &json_problem(&e, "LogonSession"), Some(&token)))
        })?;
        let id = logon.session_id.trim();
        if id.is_empty() {
            return Err(hide(self.unexpected(
                &answer,
                "an empty `SessionId`",
                Some(&token),
            )));
        }
        self.session = Some(LogonSession {
            token,
            id: Secret::new(id.to_owned()),
        });
        Ok(())
    }

    /// `GET path` with the token; on a `401`, logs on once more and retries once.
    fn get(&mut self, path: &str) -> Result<Vec<u8>, Error> {
        let url = format!("{}{path}", self.server.base);
        let mut retried = false;
        loop {
            if self.session.is_none() {
                self.logon()?;
            }
            let token = self.session.as_ref().map(|s| &s.token).expect("logged on");
            let mut response = self
                .agent
                .get(&url)
                .header("Accept", JSON)
                .header(TOKEN_HEADER, token.expose())
                .call()
                .map_err(|e| self.transport_error(e, Stage::Query))?;
            if response.status() == 401 {
                if retried {
                    return Err(Error::Expired {
                        server: self.server.base.clone(),
                        stage: Stage::Query,
                    });
                }
                // The session expired: it is gone on the server, so there is nothing to log out.
                self.session = None;
                retried = true;
                continue;
            }
            let answer = self.receive(&mut response, Stage::Query)?;
            if answer.status != 200 {
                return Err(self.server_error(&answer, None));
            }
            return Ok(answer.body);
        }
    }

    /// The status, the redirection target if any, and the body of `response`.
    fn receive(&self, response: &mut Response<Body>, stage: Stage) -> Result<Answer, Error> {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("Location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => Error::UnexpectedResponse {
                    stage,
                    status,
                    problem: format!("a body larger than {} MiB", MAX_BODY / 1024 / 1024),
                    body_start: String::new(),
                },
                e => self.transport_error(e, stage),
            })?;
        Ok(Answer {
            stage,
            status,
            location,
            body,
        })
    }

    /// The error for an answer with an unexpected status: the `Error` body's message and code
    /// when there is one, else the status and the start of the body.
    fn server_error(&self, answer: &Answer, token: Option<&Secret>) -> Error {
        if (300..400).contains(&answer.status) {
            let to = answer
                .location
                .as_deref()
                .map(|l| format!(" to {}", cut(l, BODY_START)))
                .unwrap_or_default();
            return self.unexpected(
                answer,
                &format!(
                    "a redirection{to}, which emfilter does not follow (the credentials would \
                     go along): give that address as the server"
                ),
                token,
            );
        }
        if emfilter::json::strip_bom(&answer.body)
            .trim_ascii()
            .is_empty()
        {
            return Error::Server {
                stage: answer.stage,
                status: answer.status,
                message: None,
                status_code: None,
            };
        }
        match wire::parse::<wire::ErrorBody>(&answer.body) {
            Ok(e) if e.message.is_some() || e.status_code.is_some() => {
                let redactor = self.redactor(token);
                Error::Server {
                    stage: answer.stage,
                    status: answer.status,
                    // Secrets hidden in the message as the server wrote it, then cut.
                    message: e.message.map(|m| {
                        let m = redactor.redact(&m, false);
                        let shown = cut(&m, MESSAGE_MAX);
                        if shown.len() < m.len() {
                            redactor.redact(&shown, true)
                        } else {
                            shown
                        }
                    }),
                    status_code: e.status_code,
                }
            }
            Ok(_) => self.unexpected(answer, "JSON that is not an Error body", token),
            Err(_) => self.unexpected(answer, "a body that is not JSON", token),
        }
    }

    /// An [`Error::UnexpectedResponse`] for `answer`, the known secrets (and `token`) hidden:
    /// in the raw body first, in every encoding, then its whitespace squeezed and its start cut.
    fn unexpected(&self, answer: &Answer, problem: &str, token: Option<&Secret>) -> Error {
        let redactor = self.redactor(token);
        let body = emfilter::json::strip_bom(&answer.body);
        let window = &body[..body.len().min(REDACT_WINDOW)];
        let raw = String::from_utf8_lossy(window);
        let clean = redactor.redact(&raw, window.len() < body.len());
        let start = wire::body_start(clean.as_bytes(), BODY_START);
        Error::UnexpectedResponse {
            stage: answer.stage,
            status: answer.status,
            problem: redactor.redact(problem, false),
            body_start: start,
        }
    }

    /// Hides the password, the Basic credentials in each of their forms, the session's token
    /// and id, and `token` (a token received but not yet a session's).
    fn redactor(&self, token: Option<&Secret>) -> Redactor {
        let mut secrets: Vec<(&str, bool)> = vec![
            (self.credentials.password.expose(), false),
            (self.basic.expose(), false),
        ];
        secrets.extend(self.encoded.iter().map(|s| (s.expose(), false)));
        if let Some(s) = &self.session {
            secrets.push((s.token.expose(), false));
            // A GUID may come back in upper case.
            secrets.push((s.id.expose(), true));
        }
        if let Some(t) = token {
            secrets.push((t.expose(), false));
        }
        Redactor::new(secrets)
    }

    /// `text` without any secret.
    fn redact(&self, text: &str) -> String {
        self.redactor(None).redact(text, false)
    }

    fn transport_error(&self, e: ureq::Error, stage: Stage) -> Error {
        let server = self.server.base.clone();
        let timeout = |what: &'static str, limit: Duration| Error::Timeout {
            server: server.clone(),
            stage,
            what,
            limit,
        };
        let connect = |reason: String| Error::Connect {
            server: server.clone(),
            reason,
        };
        match e {
            ureq::Error::Timeout(t) => match t {
                ureq::Timeout::Global | ureq::Timeout::PerCall => timeout(
                    "receiving the answer: the whole request has a deadline",
                    self.server.request_timeout,
                ),
                ureq::Timeout::Resolve | ureq::Timeout::Connect => {
                    timeout("connecting", self.server.connect_timeout)
                }
                ureq::Timeout::SendRequest | ureq::Timeout::SendBody | ureq::Timeout::PerWrite => {
                    timeout("sending the request", self.server.read_timeout)
                }
                _ => timeout("waiting for the answer", self.server.read_timeout),
            },
            ureq::Error::Rustls(e) => self.tls_error(e),
            ureq::Error::Io(e) => {
                if let Some(tls) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                    return self.tls_error(tls.clone());
                }
                match e.kind() {
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                        timeout("waiting for the answer", self.server.read_timeout)
                    }
                    io::ErrorKind::ConnectionRefused => connect(
                        "connection refused: nothing listens at that address and port \
                         (Enterprise Manager's REST API listens on 9398)"
                            .to_owned(),
                    ),
                    io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::UnexpectedEof
                    | io::ErrorKind::BrokenPipe => {
                        connect("the server closed the connection".to_owned())
                    }
                    _ => connect(self.redact(&e.to_string())),
                }
            }
            ureq::Error::HostNotFound => connect("the host name is not known".to_owned()),
            ureq::Error::Tls(reason) => Error::Tls {
                server,
                reason: reason.to_owned(),
            },
            ureq::Error::Protocol(p) => connect(format!("the answer is not HTTP ({p})")),
            e => connect(self.redact(&e.to_string())),
        }
    }

    fn tls_error(&self, e: rustls::Error) -> Error {
        use rustls::CertificateError as C;
        let server = self.server.base.clone();
        let problem = |p: &str| p.to_owned();
        match e {
            rustls::Error::InvalidCertificate(c) => match c {
                C::NotValidForName => Error::CertificateName {
                    host: self.server.host().to_owned(),
                    server,
                    names: Vec::new(),
                },
                C::NotValidForNameContext { presented, .. } => Error::CertificateName {
                    host: self.server.host().to_owned(),
                    server,
                    names: presented.iter().map(|n| presented_name(n)).collect(),
                },
                c => Error::Certificate {
                    server,
                    problem: match c {
                        C::UnknownIssuer => problem(
                            "it is not issued by an authority this machine trusts \
                             (a self-signed certificate?)",
                        ),
                        C::Expired | C::ExpiredContext { .. } => problem("it has expired"),
                        C::NotValidYet | C::NotValidYetContext { .. } => {
                            problem("it is not valid yet (is this machine's clock right?)")
                        }
                        C::Revoked => problem("it has been revoked"),
                        C::BadSignature => problem("its signature does not verify"),
                        C::BadEncoding => problem("it cannot be read"),
                        C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
                            problem("it is not meant for a TLS server")
                        }
                        C::Other(ref other)
                            if format!("{other:?}").contains("CaUsedAsEndEntity") =>
                        {
                            problem(
                                "the server presents a CA certificate (one made to issue other \
                                 certificates) as its own; a server needs a certificate issued by \
                                 a CA, not the CA's own certificate",
                            )
                        }
                        c => c.to_string(),
                    },
                },
            },
            rustls::Error::General(m) if m.contains("No CA certificates") => Error::Certificate {
                server,
                problem: problem("this machine has no trusted authorities to check it against"),
            },
            rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
                Error::Tls {
                    server,
                    reason: problem(
                        "the server does not speak TLS there (is that the HTTPS port, 9398?)",
                    ),
                }
            }
            rustls::Error::AlertReceived(alert) => Error::Tls {
                server,
                reason: format!("the server ended the handshake ({alert:?})"),
            },
            e => Error::Tls {
                server,
                reason: e.to_string(),
            },
        }
    }
}

/// `em01.tech.local` of rustls's `DnsName("em01.tech.local")`; a name without quotes (an IP
/// address) as rustls writes it.
fn presented_name(name: &str) -> String {
    match (name.find('"'), name.rfind('"')) {
        (Some(a), Some(b)) if a < b => name[a + 1..b].to_owned(),
        _ => name.to_owned(),
    }
}

/// The first `max` characters of `text`, with `…` when it was longer.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// What is wrong with a JSON body, in words.
fn json_problem(e: &serde_json::Error, what: &str) -> String {
    if e.is_syntax() || e.is_eof() {
        "a body that is not JSON".to_owned()
    } else {
        format!("JSON that is not a {what} ({e})")
    }
}

/// The entities of a query, page after page. Ends at the last page, at the query's limit, or
/// after the first error (which it yields).
pub struct Entities<'c> {
    client: &'c mut Client,
    query: Query,
    collection: String,
    next: Next,
    buffer: std::vec::IntoIter<Box<RawValue>>,
    remaining: Option<u64>,
    /// Pages read so far.
    pages: u64,
    /// A digest of each page read, to tell a page that repeats an earlier one.
    seen: std::collections::HashSet<u64>,
    /// An error to yield once the buffer is empty (the page limit was reached).
    pending: Option<Error>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// The page the query asks for (the first, unless it says otherwise).
    First,
    /// Page number.
    Page(u32),
    Done,
}

impl fmt::Debug for Entities<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entities")
            .field("client", &self.client)
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

impl Iterator for Entities<'_> {
    type Item = Result<Entity, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.remaining == Some(0) {
                return None;
            }
            if let Some(raw) = self.buffer.next() {
                if let Some(n) = &mut self.remaining {
                    *n -= 1;
                }
                return Some(Ok(Entity(raw)));
            }
            if let Some(e) = self.pending.take() {
                self.next = Next::Done;
                return Some(Err(e));
            }
            let page = match self.next {
                Next::Done => return None,
                Next::First => None,
                Next::Page(n) => Some(n),
            };
            match self.fetch(page) {
                Ok(()) => {}
                Err(e) => {
                    self.next = Next::Done;
                    return Some(Err(e));
                }
            }
        }
    }
}

impl Entities<'_> {
    /// Fetches `page` into the buffer and works out which page comes next.
    fn fetch(&mut self, page: Option<u32>) -> Result<(), Error> {
        let answer = Answer {
            stage: Stage::Query,
            status: 200,
            location: None,
            body: self.client.get(&self.query.path(page))?,
        };
        let unexpected =
            |client: &Client, problem: String| client.unexpected(&answer, &problem, None);
        let parsed: wire::Page = wire::parse(&answer.body)
            .map_err(|e| unexpected(self.client, json_problem(&e, "query result")))?;
        let paging = parsed
            .paging
            .as_ref()
            .map(|p| (p.page_num, p.pages_count, p.has_next()));
        let items = parsed
            .take(&self.collection)
            .map_err(|problem| unexpected(self.client, problem))?;
        if let Some(bad) = items.iter().position(|r| !r.get().starts_with('{')) {
            return Err(unexpected(
                self.client,
                format!("entity {} of the page is not a JSON object", bad + 1),
            ));
        }
        let asked = page.or(self.query.first_page.map(NonZeroU32::get));
        let number = asked.map_or(1, u64::from);
        self.pages += 1;
        // A page that repeats an earlier one: the server ignores `page`, and asking for the
        // next would never end.
        if !items.is_empty() {
            use std::hash::{Hash, Hasher};
            let mut digest = std::collections::hash_map::DefaultHasher::new();
            for item in &items {
                item.get().hash(&mut digest);
            }
            if !self.seen.insert(digest.finish()) {
                return Err(Error::Paging {
                    page: number,
                    reason: format!(
                        "page {number} holds the same entities as an earlier page (does the \
                         server ignore `page`?)"
                    ),
                });
            }
        }
        self.next = match paging {
            None => Next::Done,
            Some((num, count, has_next)) => {
                let current = match (num, asked) {
                    (Some(num), Some(asked)) if num != u64::from(asked) => {
                        return Err(unexpected(
                            self.client,
                            format!("page {num} when page {asked} was asked for"),
                        ))
                    }
                    (Some(num), _) => num,
                    (None, asked) => u64::from(asked.unwrap_or(1)),
                };
                let more = match count {
                    // The count is the bound: a Next link past it would never end.
                    Some(count) if items.is_empty() && current < count => {
                        return Err(Error::Paging {
                            page: current,
                            reason: format!(
                                "page {current} of {count} holds no entity, so the pages after \
                                 it cannot be trusted"
                            ),
                        })
                    }
                    Some(count) => current < count,
                    // With no count, follow Next links while pages hold entities.
                    None => has_next && !items.is_empty(),
                };
                match u32::try_from(current + 1) {
                    Ok(n) if more => Next::Page(n),
                    _ => Next::Done,
                }
            }
        };
        if matches!(self.next, Next::Page(_)) && self.pages >= self.query.max_pages {
            // This page's entities first, then the error.
            self.next = Next::Done;
            self.pending = Some(Error::Paging {
                page: number,
                reason: format!(
                    "the limit of {} page{} was reached and the server has more",
                    self.query.max_pages,
                    if self.query.max_pages == 1 { "" } else { "s" }
                ),
            });
        }
        self.buffer = items.into_iter();
        Ok(())
    }
}

/// The README's Rust examples, run as doc tests here, where both the library and the client are
/// in reach.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
