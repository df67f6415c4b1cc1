//! `emfilter query`: check a filter, run it on an Enterprise Manager, print what it matched.
//!
//! The filter is checked first and never sent when it is invalid. Credentials come from
//! `EMFILTER_USER` and `EMFILTER_PASSWORD`, or a prompt on a terminal; never from the command
//! line. Exit statuses: 0 done, 1 the server refused or answered wrongly (or `--verify` found a
//! disagreement), 2 usage (bad arguments, an invalid filter, no credentials), 3 connection, TLS
//! or timeout.

use std::io::{self, BufRead, IsTerminal, Write};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use emfilter_client::{Credentials, Entity, Error, ErrorKind, Query, Server, Trust};

use crate::common::{query_type, ColorChoice, FAILED, OK, USAGE};
use crate::output;
use crate::output::printable;

/// The exit status for a server that cannot be reached, securely or in time.
pub const CONNECTION: u8 = 3;

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The Enterprise Manager, `https://HOST:9398`. With no scheme, https:// and port 9398 are
    /// assumed.
    #[arg(long, value_name = "URL")]
    server: String,
    /// The filter to run. It is checked first; an invalid filter is never sent.
    #[arg(long, value_name = "FILTER")]
    filter: String,
    /// The EM query type.
    #[arg(
        long = "type",
        short = 't',
        default_value = "ReplicaJobSession",
        value_name = "TYPE"
    )]
    query_type: String,
    /// Entities per page (`pageSize`); the server's default is 100.
    #[arg(long, value_name = "N")]
    page_size: Option<NonZeroU32>,
    /// Start at this page (1-based) instead of the first.
    #[arg(long, value_name = "N")]
    page: Option<NonZeroU32>,
    /// Sort by this field, ascending.
    #[arg(long, value_name = "FIELD", conflicts_with = "sort_desc")]
    sort_asc: Option<String>,
    /// Sort by this field, descending.
    #[arg(long, value_name = "FIELD")]
    sort_desc: Option<String>,
    /// Stop after this many entities (no further page is asked for).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    limit: Option<u64>,
    /// Print only the number of entities.
    #[arg(long)]
    count: bool,
    /// Trust the certificates in this PEM file (the server's self-signed certificate, or the CA
    /// that issued it) instead of the system's authorities.
    #[arg(long, value_name = "PEM", conflicts_with = "insecure")]
    ca_cert: Option<PathBuf>,
    /// Do not check the server's certificate at all (warns every time). It never allows
    /// http://: see --allow-cleartext-http.
    #[arg(long)]
    insecure: bool,
    /// Allow an http:// server: the password, the session token and every answer then cross
    /// the network unencrypted, readable by anyone on the way (warns every time).
    #[arg(long)]
    allow_cleartext_http: bool,
    /// The longest wait, in seconds, for connecting and for each part of an answer.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = seconds)]
    timeout: Duration,
    /// The longest wait for connecting, when it should differ from --timeout.
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    connect_timeout: Option<Duration>,
    /// The deadline of each whole request, from connecting to the last byte of the answer
    /// (however steadily the server trickles it).
    #[arg(long, value_name = "SECS", default_value = "300", value_parser = seconds)]
    request_timeout: Duration,
    /// Read at most this many pages; a server with more is reported (exit 1) after the
    /// entities of the last page read.
    #[arg(long, value_name = "N", default_value = "10000")]
    max_pages: NonZeroU32,
    /// Also evaluate each returned entity locally and report those the local semantics would
    /// not match.
    #[arg(long)]
    verify: bool,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

pub fn run(args: &QueryArgs) -> Result<u8, String> {
    // 1. Everything that can be checked here, before a single byte is sent.
    let schema = query_type(&args.query_type)?;
    let Some(filter) = output::check_argument(&args.filter, schema, args.color)? else {
        return Ok(USAGE);
    };
    let filter = &filter;
    let mut query = Query::new(filter.clone());
    if let Some(n) = args.page_size {
        query = query.page_size(n);
    }
    if let Some(n) = args.page {
        query = query.first_page(n);
    }
    if let Some(field) = &args.sort_asc {
        query = query.sort_asc(field).map_err(|e| e.to_string())?;
    }
    if let Some(field) = &args.sort_desc {
        query = query.sort_desc(field).map_err(|e| e.to_string())?;
    }
    if let Some(n) = args.limit {
        query = query.limit(n);
    }
    query = query.max_pages(args.max_pages);
    let verifier = if args.verify {
        Some(verify::Verifier::new(filter)?)
    } else {
        None
    };
    let trust = match (&args.ca_cert, args.insecure) {
        (Some(path), _) => {
            let pem = std::fs::read(path)
                .map_err(|e| format!("cannot read --ca-cert `{}`: {e}", path.display()))?;
            Trust::pem(&pem).map_err(|e| format!("--ca-cert `{}`: {e}", path.display()))?
        }
        (None, true) => Trust::insecure(),
        (None, false) => Trust::system(),
    };
    let server = Server::new(&args.server)
        .map_err(|e| with_help(&e, false))?
        .trust(trust)
        .read_timeout(args.timeout)
        .connect_timeout(args.connect_timeout.unwrap_or(args.timeout))
        .request_timeout(args.request_timeout)
        .allow_cleartext(args.allow_cleartext_http);
    if server.is_cleartext() {
        if !args.allow_cleartext_http {
            return Err(format!(
                "{} is plain http://: the password, the session token and every answer would \
                 cross the network unencrypted{}\n  help: use https:// (Enterprise Manager \
                 listens on port 9398); --allow-cleartext-http allows http:// knowingly",
                printable(server.address()),
                if args.insecure {
                    " (--insecure is about certificates and does not allow it)"
                } else {
                    ""
                }
            ));
        }
        errln!(
            "warning: --allow-cleartext-http: {} is plain http://: the password (in the Basic \
             credentials), the session token and every answer cross the network unencrypted, \
             readable by anyone on the way",
            printable(server.address())
        );
    } else if args.insecure {
        errln!(
            "warning: --insecure: the certificate of {} is not checked; anyone between here and \
             the server can read the password and every answer",
            printable(server.address())
        );
    }
    let credentials = credentials(server.address())?;

    // 2. Log on, run, log out.
    let mut client = match server.logon(credentials) {
        Ok(c) => c,
        Err(e) => return Ok(fail(&e, args.ca_cert.is_some())),
    };
    let mut status = OK;
    let mut count: u64 = 0;
    let mut disagreements: u64 = 0;
    let terminal = io::stdout().is_terminal();
    for entity in client.query(&query) {
        let entity = match entity {
            Ok(entity) => entity,
            Err(e) => {
                status = fail(&e, args.ca_cert.is_some());
                break;
            }
        };
        count += 1;
        if let Some(verifier) = &verifier {
            let problem = match verifier.matches(&entity) {
                Ok(true) => None,
                Ok(false) => Some("the filter does not match it locally".to_owned()),
                // Reported, never skipped: a record that cannot be read is a disagreement too.
                Err(e) => Some(e),
            };
            if let Some(problem) = problem {
                disagreements += 1;
                errln!(
                    "emfilter: --verify: the server returned {}, but {}",
                    printable(&describe(&entity)),
                    printable(&problem)
                );
            }
        }
        if !args.count {
            let line = entity.to_line();
            // Fields holding control characters reach a terminal escaped, a pipe as sent.
            let line = if terminal {
                String::from_utf8_lossy(&output::terminal_json(line.as_bytes())).into_owned()
            } else {
                line
            };
            if let Err(e) = outln!("{line}") {
                errln!("emfilter: {e}");
                status = FAILED;
                break;
            }
            if crate::stdio::closed() {
                // The reader went away (`| head`): stop asking, log out, no error.
                break;
            }
        }
    }
    if let Err(e) = client.logout() {
        errln!("warning: the logout failed, the session ends by itself after 15 idle minutes: {e}");
    }
    if status == OK && args.count {
        outln!("{count}")?;
    }
    if status == OK && disagreements > 0 {
        errln!(
            "emfilter: --verify: {disagreements} of {count} entit{} returned by the server do not \
             match the filter locally",
            if count == 1 { "y" } else { "ies" }
        );
        status = FAILED;
    }
    Ok(status)
}

/// Reports `e` with what the user can do about it, and returns the exit status.
fn fail(e: &Error, ca_cert: bool) -> u8 {
    errln!("emfilter: {}", with_help(e, ca_cert));
    match e.kind() {
        ErrorKind::Usage => USAGE,
        ErrorKind::Server => FAILED,
        ErrorKind::Connection => CONNECTION,
    }
}

fn with_help(e: &Error, ca_cert: bool) -> String {
    let help = match e {
        Error::Certificate { .. } if ca_cert => Some(
            "the certificates of --ca-cert did not issue it: pass the server's own certificate, \
             or the certificate of the CA that issued it, as PEM",
        ),
        Error::Certificate { .. } => Some(
            "if this Enterprise Manager has a self-signed certificate, save it (or the certificate \
             of the CA that issued it) as PEM and pass it with --ca-cert FILE; --insecure skips \
             the check, and with it the protection of the password",
        ),
        Error::CertificateName { .. } => Some(
            "give --server with a name the certificate is made out to (add it to the hosts file \
             if it does not resolve)",
        ),
        Error::LogonRefused { .. } => Some(
            "the user name and password come from EMFILTER_USER and EMFILTER_PASSWORD, or from \
             the prompt on a terminal",
        ),
        Error::Timeout { what, .. } if *what == "connecting" => Some(
            "is that the right address and port? --connect-timeout SECS allows longer waits",
        ),
        Error::Timeout { what, .. } if what.contains("deadline") => {
            Some("--request-timeout SECS allows a longer deadline")
        }
        Error::Timeout { .. } => Some("--timeout SECS allows longer waits"),
        Error::Paging { reason, .. } if reason.contains("limit") => {
            Some("--max-pages N reads more pages")
        }
        Error::InvalidServer { given, .. } if given.starts_with('(') => Some(
            "give the user name and password in EMFILTER_USER and EMFILTER_PASSWORD",
        ),
        _ => None,
    };
    // What the server said is shown escaped: it may hold control characters and escape
    // sequences meant for a terminal.
    let e = printable(&e.to_string()).into_owned();
    match help {
        Some(help) => format!("{e}\n  help: {help}"),
        None => e,
    }
}

/// `session "Name" (UID)` of an entity, for messages.
fn describe(entity: &Entity) -> String {
    let value = entity.to_value();
    let field = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    match (field("Name"), field("UID")) {
        (Some(name), Some(uid)) => format!("`{name}` ({uid})"),
        (Some(name), None) => format!("`{name}`"),
        (None, Some(uid)) => uid,
        (None, None) => entity.to_line(),
    }
}

/// The user name and password: from `EMFILTER_USER` and `EMFILTER_PASSWORD`, else asked for on
/// the terminal; never from the command line.
fn credentials(server: &str) -> Result<Credentials, String> {
    let terminal = io::stdin().is_terminal();
    let missing = || {
        "no credentials: set EMFILTER_USER and EMFILTER_PASSWORD, or run on a terminal to be \
         asked (they are never taken from the command line)"
            .to_owned()
    };
    let user = match env("EMFILTER_USER")? {
        Some(user) => user,
        None if terminal => {
            err!("User for {server}: ");
            let _ = io::stderr().flush();
            let mut line = String::new();
            io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the user name: {e}"))?;
            let user = line.trim().to_owned();
            if user.is_empty() {
                return Err(missing());
            }
            user
        }
        None => return Err(missing()),
    };
    let password = match env("EMFILTER_PASSWORD")? {
        Some(password) => password,
        None if terminal => rpassword::prompt_password(format!("Password for {user}: "))
            .map_err(|e| format!("cannot read the password: {e}"))?,
        None => return Err(missing()),
    };
    Ok(Credentials::new(user, password))
}

/// An environment variable; unset and empty are the same.
fn env(name: &str) -> Result<Option<String>, String> {
    match std::env::var(name) {
        Ok(v) if v.is_empty() => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
    }
}

/// A positive number of seconds, fractions allowed (`0.5`), at most a day.
fn seconds(text: &str) -> Result<Duration, String> {
    let s: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(s > 0.0 && s <= 86_400.0) {
        return Err(format!("`{text}` is not between 0 and 86400 seconds"));
    }
    Ok(Duration::from_secs_f64(s))
}

/// `--verify`: the returned entities evaluated locally with the same filter.
mod verify {
    use emfilter::eval::MatchError;
    use emfilter::Filter;
    use emfilter_client::Entity;

    /// The filter, compiled to evaluate entities locally.
    pub struct Verifier {
        filter: Filter,
    }

    impl Verifier {
        /// Compiles `filter` with the server's semantics (strings compared without regard to
        /// case); an error (exit 2, before anything is sent) for a query type whose entities
        /// cannot be evaluated yet.
        pub fn new(filter: &Filter) -> Result<Verifier, String> {
            filter
                .entity_format()
                .map_err(|e| format!("--verify: {e}"))?;
            Ok(Verifier {
                filter: filter.clone(),
            })
        }

        /// Whether the filter matches `entity` by the local semantics; an error when the
        /// entity cannot be read as a record of the query type.
        pub fn matches(&self, entity: &Entity) -> Result<bool, String> {
            self.filter
                .matches_json(entity.json().as_bytes())
                .map_err(|e| match e {
                    MatchError::Unreadable(e) => {
                        format!("it cannot be read locally: {}", e.message())
                    }
                    other => format!("it cannot be evaluated locally: {other}"),
                })
        }
    }
}
