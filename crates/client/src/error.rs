//! What can go wrong between here and Enterprise Manager, in words a user can act on.
//!
//! No error ever holds the password, the session token or the logon session's id: messages are
//! built from what the server said after those were redacted out of it.

use std::fmt;
use std::time::Duration;

/// A step of the conversation with the server, named in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// `POST /api/sessionMngr/?v=latest`.
    Logon,
    /// `GET /api/query`.
    Query,
    /// `DELETE /api/logonSessions/<id>`.
    Logout,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Logon => "the logon",
            Stage::Query => "the query",
            Stage::Logout => "the logout",
        })
    }
}

/// Who is to act on an [`Error`]: it decides the command line's exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request was never sent: the address, a certificate file or a sort field is wrong.
    Usage,
    /// The server answered, but not with what was asked for.
    Server,
    /// The server could not be reached, or not securely, or did not answer in time.
    Connection,
}

/// Why a logon, a query or a logout failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server address is not one emfilter can use.
    #[error("the server address {given} cannot be used: {reason}")]
    InvalidServer {
        /// The address as given (`<not shown>` when it held credentials).
        given: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The PEM text given to trust holds no usable certificate.
    #[error("cannot trust the given certificates: {reason}")]
    CaCertificate {
        /// What is wrong with it.
        reason: String,
    },
    /// A sort field that the query type does not have.
    #[error("cannot sort by `{name}`: {type_name} has no such field{}",
            suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownSortField {
        /// The name given.
        name: String,
        /// The query type.
        type_name: String,
        /// The closest field name, if one is close.
        suggestion: Option<String>,
    },
    /// A field the query type documents for filtering only, not for sorting.
    #[error("cannot sort by `{name}`: {type_name} documents it for filtering, not for sorting")]
    UnsortableField {
        /// The field, in the schema's spelling.
        name: String,
        /// The query type.
        type_name: String,
    },
    /// The server could not be reached.
    #[error("cannot connect to {server}: {reason}")]
    Connect {
        /// The server's address.
        server: String,
        /// Why.
        reason: String,
    },
    /// The server's certificate was not accepted.
    #[error("the certificate of {server} is not trusted: {problem}")]
    Certificate {
        /// The server's address.
        server: String,
        /// What is wrong with the certificate, in words.
        problem: String,
    },
    /// The server's certificate is made out to other names than the one connected to.
    #[error("the certificate of {server} is not made out to `{host}`{}",
            if names.is_empty() { String::new() } else { format!(" but to {}", names.join(", ")) })]
    CertificateName {
        /// The server's address.
        server: String,
        /// The host name (or address) connected to.
        host: String,
        /// The names the certificate is made out to, when known.
        names: Vec<String>,
    },
    /// TLS failed for another reason than the certificate.
    #[error("no secure connection to {server}: {reason}")]
    Tls {
        /// The server's address.
        server: String,
        /// Why.
        reason: String,
    },
    /// No answer within a time limit.
    #[error("{server} did not answer {stage} within {}: timed out while {what}", seconds(*limit))]
    Timeout {
        /// The server's address.
        server: String,
        /// The request that timed out.
        stage: Stage,
        /// `connecting`, `sending the request` or `waiting for the answer`.
        what: &'static str,
        /// The limit that ran out.
        limit: Duration,
    },
    /// The server refused the user name and password (401 at logon).
    #[error(
        "{server} refused the logon of `{user}` (401 Unauthorized): wrong user name or password"
    )]
    LogonRefused {
        /// The server's address.
        server: String,
        /// The user name (never the password).
        user: String,
    },
    /// A request was refused as unauthenticated (401) again right after a fresh logon.
    #[error(
        "{server} refused {stage} (401 Unauthorized) even after logging on anew: the logon \
             session expired and the new one was not accepted either"
    )]
    Expired {
        /// The server's address.
        server: String,
        /// The request refused.
        stage: Stage,
    },
    /// The server answered with an error status and its `Error` body (or an unreadable one).
    #[error("{}", server_message(*stage, *status, message.as_deref(), *status_code))]
    Server {
        /// The request.
        stage: Stage,
        /// The HTTP status.
        status: u16,
        /// The `Message` of the `Error` body, as the server wrote it.
        message: Option<String>,
        /// The `StatusCode` of the `Error` body.
        status_code: Option<i64>,
    },
    /// Paging stopped before the server's last page: a page that repeats an earlier one, an
    /// empty page before the last, or more pages than the query's limit. The entities before
    /// it were yielded.
    #[error("stopped reading the query's pages at page {page}: {reason}")]
    Paging {
        /// The page at which reading stopped.
        page: u64,
        /// Why, in words.
        reason: String,
    },
    /// The answer was not what the protocol promises: not JSON, the wrong shape, a missing header.
    #[error("Enterprise Manager answered {stage} with {} and {problem}{}", status_text(*status),
            if body_start.is_empty() { String::new() } else { format!(": {body_start}") })]
    UnexpectedResponse {
        /// The request.
        stage: Stage,
        /// The HTTP status.
        status: u16,
        /// What was wrong (`a body that is not JSON (expected value at line 1 column 1)`).
        problem: String,
        /// The start of the body, secrets redacted, control characters replaced.
        body_start: String,
    },
}

impl Error {
    /// Who is to act on this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidServer { .. }
            | Error::CaCertificate { .. }
            | Error::UnknownSortField { .. }
            | Error::UnsortableField { .. } => ErrorKind::Usage,
            Error::Connect { .. }
            | Error::Certificate { .. }
            | Error::CertificateName { .. }
            | Error::Tls { .. }
            | Error::Timeout { .. } => ErrorKind::Connection,
            Error::LogonRefused { .. }
            | Error::Expired { .. }
            | Error::Server { .. }
            | Error::Paging { .. }
            | Error::UnexpectedResponse { .. } => ErrorKind::Server,
        }
    }
}

/// `404 Not Found`, or just `599` for a status with no standard reason.
pub(crate) fn status_text(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

fn server_message(
    stage: Stage,
    status: u16,
    message: Option<&str>,
    status_code: Option<i64>,
) -> String {
    let mut out = format!(
        "Enterprise Manager answered {stage} with {}",
        status_text(status)
    );
    match message {
        Some(m) => {
            out.push_str(": ");
            out.push_str(m);
        }
        None => out.push_str(" and no message"),
    }
    if let Some(code) = status_code {
        out.push_str(&format!(" (StatusCode {code})"));
    }
    out
}

/// `1 s`, `0.5 s`.
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}
