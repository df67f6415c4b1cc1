//! The HTTP submitter (`emfilter query` and `emfilter::client`) against a fake Enterprise Manager
//! on 127.0.0.1 with a certificate made at test time (see `http/fake.rs`).
//!
//! Every run of the binary goes through [`run`], which fails the test when the password, the
//! Basic credentials, or any token or session id the fake handed out appears in the output.

mod fake;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use emfilter_client::{Credentials, Error, ErrorKind, Query, Server, Trust};
use fake::{session, Behavior, Config, FakeEm, Tls};

const USER: &str = "TECH\\restuser";
/// A password with the characters most likely to be mangled, and long enough to be redacted.
const PASSWORD: &str = "Pa55 w&rd;\"é:x";
/// A job name with `&` and quotes; the Done-when filter selects it.
const NIGHTLY: &str = r#"R&D "Nightly" Replica"#;
const NIGHTLY_FILTER: &str = r#"JobName=="R&D ""Nightly"" Replica""#;
/// Every character that breaks a naively built query string.
const HOSTILE: &str = "a&b;c,d\"e%f+g#h i é€";
const HOSTILE_FILTER: &str = "JobName==\"a&b;c,d\"\"e%f+g#h i é€\"";

/// The three sample sessions, eight `NIGHTLY` sessions among four others, and one `HOSTILE`.
fn dataset() -> Vec<String> {
    let mut sessions = fake::sample_sessions();
    for n in 0..12 {
        let name = if n % 3 == 1 { "R&D Replica" } else { NIGHTLY };
        let result = if n % 2 == 0 { "Failed" } else { "Success" };
        sessions.push(session(100 + n, name, result));
    }
    sessions.push(session(999, HOSTILE, "Warning"));
    sessions
}

/// A PEM file of its own, removed when dropped.
struct PemFile(String);

impl std::ops::Deref for PemFile {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Drop for PemFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Writes `pem` to a file of its own.
fn pem_file(pem: &str) -> PemFile {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "http-{}-{}.pem",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::write(&path, pem).unwrap();
    PemFile(path.to_string_lossy().into_owned())
}

struct Output {
    status: i32,
    stdout: String,
    stderr: String,
}

impl Output {
    fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

/// Runs `emfilter query ARGS` with the credentials in the environment (when given), no
/// terminal, and no proxy; at most 60 s. Fails when a secret shows in the output.
fn run(fake: Option<&FakeEm>, args: &[&str], credentials: Option<(&str, &str)>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_emfilter"));
    cmd.arg("query")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "EMFILTER_USER",
        "EMFILTER_PASSWORD",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env_remove(var);
    }
    if let Some((user, password)) = credentials {
        cmd.env("EMFILTER_USER", user)
            .env("EMFILTER_PASSWORD", password);
    }
    let output = finish(cmd.spawn().unwrap(), &format!("emfilter query {args:?}"));
    let mut secrets = vec![
        PASSWORD.to_owned(),
        base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}")),
    ];
    if let Some(fake) = fake {
        secrets.extend(fake.secrets());
    }
    for secret in secrets {
        assert!(
            !output.stdout.contains(&secret) && !output.stderr.contains(&secret),
            "a secret is in the output of {args:?}:\n{}\n{}",
            output.stdout,
            output.stderr
        );
    }
    output
}

/// Waits for `child` (at most 60 s) and collects its output.
fn finish(mut child: std::process::Child, what: &str) -> Output {
    // Standard output may have been taken (and closed) by the caller.
    let stdout = child.stdout.take();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut stdout) = stdout {
            stdout.read_to_string(&mut s).unwrap();
        }
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).unwrap();
        s
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what} did not end within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// `emfilter query --server FAKE --ca-cert FAKE-CA --filter FILTER EXTRA…` as `USER`.
fn query(fake: &FakeEm, filter: &str, extra: &[&str]) -> Output {
    let url = fake.url();
    let pem = pem_file(fake.ca_pem());
    let mut args = vec!["--server", &url, "--ca-cert", &pem, "--filter", filter];
    args.extend_from_slice(extra);
    run(Some(fake), &args, Some((USER, PASSWORD)))
}

/// Starts a fake Enterprise Manager with [`dataset`] and a certificate for 127.0.0.1.
fn fake(behavior: Behavior) -> FakeEm {
    fake_with(behavior, Tls::issued(&["127.0.0.1", "localhost"]))
}

fn fake_with(behavior: Behavior, tls: Tls) -> FakeEm {
    FakeEm::start(Config {
        user: USER.to_owned(),
        password: PASSWORD.to_owned(),
        sessions: dataset(),
        behavior,
        tls,
    })
}

/// JSON text on one line: the whitespace outside strings removed.
fn one_line(json: &str) -> String {
    let mut out = String::new();
    let (mut quoted, mut escaped) = (false, false);
    for c in json.chars() {
        if quoted {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = false;
            }
        } else if c == '"' {
            quoted = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    out
}

/// The canonical form of `filter`, from `emfilter fmt`.
fn canonical(filter: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_emfilter"))
        .args(["fmt", filter])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim_end().to_owned()
}

// ---- Done when -----------------------------------------------------------------------------

#[test]
fn filter_with_ampersand_and_quotes_returns_exactly_the_matched_sessions_across_pages() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, NIGHTLY_FILTER, &["--page-size", "3"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");

    let matched = fake.matched();
    assert_eq!(matched.len(), 3, "three pages of 3, 3 and 2");
    assert!(matched.iter().all(|m| m == &matched[0]));
    assert_eq!(matched[0].len(), 8);
    let expected: Vec<String> = matched[0].iter().map(|s| one_line(s)).collect();
    assert_eq!(out.lines(), expected);

    let queries = fake.queries();
    let pages: Vec<Option<&str>> = queries.iter().map(|q| q.param("page")).collect();
    assert_eq!(pages, [None, Some("2"), Some("3")]);
    for q in &queries {
        assert_eq!(q.param("filter"), Some(canonical(NIGHTLY_FILTER).as_str()));
        assert_eq!(q.param("pageSize"), Some("3"));
    }
    assert_eq!(fake.logons(), 1);
    assert_eq!(fake.logouts().len(), 1);
}

// ---- Logon ---------------------------------------------------------------------------------

#[test]
fn logon_uses_basic_auth_and_the_token_from_the_header() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let seen = fake.seen();
    let logon = &seen[0];
    assert!(logon.is_logon());
    assert_eq!(logon.raw_query, "v=latest");
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"))
    );
    assert_eq!(logon.headers("authorization"), [expected.as_str()]);
    let issued = fake.issued();
    assert_eq!(issued.len(), 1);
    let logout = fake.logouts();
    assert_eq!(
        logout[0].path,
        format!("/api/logonSessions/{}", issued[0].id)
    );
}

#[test]
fn wrong_password_is_refused_at_logon() {
    let fake = fake(Behavior::Normal);
    let url = fake.url();
    let pem = pem_file(fake.ca_pem());
    let out = run(
        Some(&fake),
        &[
            "--server",
            &url,
            "--ca-cert",
            &pem,
            "--filter",
            "Result==Failed",
        ],
        Some((USER, "not the password")),
    );
    assert_eq!(out.status, 1);
    assert!(out
        .stderr
        .contains("refused the logon of `TECH\\restuser` (401 Unauthorized)"));
    assert!(out.stderr.contains("EMFILTER_USER and EMFILTER_PASSWORD"));
    assert!(!out.stderr.contains("not the password"));
    assert_eq!(out.stdout, "");
    assert_eq!(fake.seen().len(), 1, "nothing after the refused logon");
}

#[test]
fn logon_body_that_is_not_json_is_reported_with_status_and_start() {
    let fake = fake(Behavior::LogonNotJson);
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains(
            "answered the logon with 201 Created and a body that is not JSON: <html><body>Welcome"
        ),
        "{}",
        out.stderr
    );
    assert!(fake.queries().is_empty());
}

#[test]
fn logon_body_of_the_wrong_shape_hides_the_session_id() {
    let fake = fake(Behavior::LogonWrongShape);
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains(
            "answered the logon with 201 Created and JSON that is not a LogonSession (invalid \
             type: null, expected a string"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("/api/logonSessions/<hidden>"),
        "{}",
        out.stderr
    );
}

#[test]
fn redirected_logon_is_not_followed() {
    let fake = fake(Behavior::LogonRedirected);
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr,
        "emfilter: Enterprise Manager answered the logon with 302 Found and a redirection to \
         https://em02.tech.local:9398/api/sessionMngr/?v=latest, which emfilter does not follow \
         (the credentials would go along): give that address as the server\n"
    );
    assert_eq!(fake.seen().len(), 1);
}

#[test]
fn no_credentials_and_no_terminal_is_a_usage_error() {
    let fake = fake(Behavior::Normal);
    let url = fake.url();
    let out = run(
        Some(&fake),
        &["--server", &url, "--insecure", "--filter", "Result==Failed"],
        None,
    );
    assert_eq!(out.status, 2);
    assert!(out
        .stderr
        .contains("no credentials: set EMFILTER_USER and EMFILTER_PASSWORD"));
    assert!(fake.seen().is_empty());
}

#[test]
fn credentials_can_be_typed_at_a_terminal() {
    // util-linux `script` runs emfilter on a pseudo-terminal.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` here to give emfilter a terminal");
        return;
    }
    let fake = fake(Behavior::Normal);
    let pem = pem_file(fake.ca_pem());
    let command = format!(
        "'{}' query --server {} --ca-cert '{}' --filter 'Result==Failed' --count",
        env!("CARGO_BIN_EXE_emfilter"),
        fake.url(),
        &*pem
    );
    let mut child = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .env_remove("EMFILTER_USER")
        .env_remove("EMFILTER_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Typed ahead: the terminal hands emfilter one line per read, the user name and then the
    // password (which the terminal echoes here only because it arrives before the prompt).
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, format!("{USER}\n{PASSWORD}\n").as_bytes()).unwrap();
    let out = finish(child, "emfilter query on a terminal");
    drop(stdin);
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!("User for {}: ", fake.url())),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Password for TECH\\restuser: "),
        "{}",
        out.stdout
    );
    assert_eq!(fake.logons(), 1, "the typed credentials were accepted");
    assert_eq!(fake.logouts().len(), 1);
}

#[test]
fn credentials_are_not_taken_from_the_command_line() {
    let out = run(
        None,
        &[
            "--server",
            "https://127.0.0.1:1",
            "--password",
            PASSWORD,
            "--filter",
            "Result==Failed",
        ],
        None,
    );
    assert_eq!(out.status, 2);
}

// ---- Requests ------------------------------------------------------------------------------

#[test]
fn token_and_accept_header_are_on_every_request() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, NIGHTLY_FILTER, &["--page-size", "2"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let token = fake.issued()[0].token.clone();
    let seen = fake.seen();
    assert_eq!(seen.len(), 1 + 4 + 1, "logon, four pages, logout");
    for s in &seen {
        assert_eq!(s.headers("accept"), ["application/json"], "{s:?}");
        if !s.is_logon() {
            assert_eq!(s.headers("x-restsvcsessionid"), [token.as_str()], "{s:?}");
        }
    }
}

#[test]
fn hostile_values_reach_the_server_intact() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, HOSTILE_FILTER, &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let q = &fake.queries()[0];
    // The server's decoder (`+` is a space, then %XX) gives back the canonical text exactly.
    assert_eq!(q.param("filter"), Some(canonical(HOSTILE_FILTER).as_str()));
    let raw_filter = q
        .raw_query
        .split('&')
        .find(|p| p.starts_with("filter="))
        .unwrap();
    for c in ['&', ';', ',', '"', '+', '#', ' ', 'é', '€'] {
        assert!(!raw_filter.contains(c), "raw {c:?} in {raw_filter}");
    }
    assert_eq!(out.lines().len(), 1);
    assert!(out.stdout.contains(r#""JobName":"a&b;c,d\"e%f+g#h i é€""#));
}

#[test]
fn sort_field_is_checked_and_sent_in_canonical_spelling() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, "Result==Failed", &["--sort-desc", "creationtime"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(fake.queries()[0].param("sortDesc"), Some("CreationTime"));

    let out = query(&fake, "Result==Failed", &["--sort-asc", "jobnmae"]);
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains(
        "cannot sort by `jobnmae`: ReplicaJobSession has no such field; did you mean `JobName`?"
    ));
    assert_eq!(fake.logons(), 1, "the second run sent nothing");

    let out = query(
        &fake,
        "Result==Failed",
        &["--sort-asc", "Name", "--sort-desc", "Name"],
    );
    assert_eq!(out.status, 2);
}

#[test]
fn field_documented_for_filtering_only_is_not_sent_as_a_sort() {
    let out = run(
        None,
        &[
            "--server",
            "https://127.0.0.1:1",
            "--type",
            "Passwords",
            "--filter",
            "Hint==x",
            "--sort-asc",
            "hint",
        ],
        Some((USER, PASSWORD)),
    );
    assert_eq!(out.status, 2);
    assert_eq!(
        out.stderr,
        "emfilter: cannot sort by `Hint`: Passwords documents it for filtering, not for sorting\n"
    );
}

#[test]
fn invalid_filter_is_never_sent_and_reported_as_check_does() {
    let fake = fake(Behavior::Normal);
    let filter = "JobNmae==x;CreationTime>2025-08-14T12:31:30+02:00";
    let out = query(&fake, filter, &[]);
    assert_eq!(out.status, 2);
    assert_eq!(out.stdout, "");
    assert!(fake.seen().is_empty());
    let check = Command::new(env!("CARGO_BIN_EXE_emfilter"))
        .args(["check", "--color", "never", filter])
        .output()
        .unwrap();
    let expected = format!(
        "{}{}",
        String::from_utf8(check.stdout).unwrap(),
        String::from_utf8(check.stderr).unwrap()
    );
    assert_eq!(out.stderr, expected);
}

#[test]
fn warnings_are_shown_and_the_filter_is_still_sent() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, "Result==Failed;IsRetry==True,State==Working", &[]);
    // The fake does not read `,`; what matters here is that the query went out.
    assert!(
        out.stderr.contains("warning[mixed-and-or]"),
        "{}",
        out.stderr
    );
    assert_eq!(fake.queries().len(), 1);
}

// ---- Paging --------------------------------------------------------------------------------

#[test]
fn paging_follows_the_page_numbers_to_the_last_page() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, "JobType==Replica", &["--page-size", "4"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.lines().len(), 16);
    let pages: Vec<Option<String>> = fake
        .queries()
        .iter()
        .map(|q| q.param("page").map(str::to_owned))
        .collect();
    assert_eq!(
        pages,
        [None, Some("2".into()), Some("3".into()), Some("4".into())]
    );
    // The sample sessions come through as they were sent, field order and all.
    let samples = fake::sample_sessions();
    assert_eq!(out.lines()[0], one_line(&samples[0]));
    assert!(out.lines()[0].starts_with(r#"{"IsRetry":false,"JobUid":"#));
}

#[test]
fn limit_stops_asking_for_pages() {
    let fake = fake(Behavior::Normal);
    let out = query(
        &fake,
        "JobType==Replica",
        &["--page-size", "4", "--limit", "5"],
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.lines().len(), 5);
    assert_eq!(fake.queries().len(), 2);
    assert_eq!(fake.logouts().len(), 1);
}

#[test]
fn count_prints_the_number_of_entities() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, NIGHTLY_FILTER, &["--page-size", "5", "--count"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "8\n");
}

#[test]
fn first_page_can_be_chosen() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, NIGHTLY_FILTER, &["--page-size", "3", "--page", "2"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.lines().len(), 5);
    let pages: Vec<Option<String>> = fake
        .queries()
        .iter()
        .map(|q| q.param("page").map(str::to_owned))
        .collect();
    assert_eq!(pages, [Some("2".into()), Some("3".into())]);
}

// ---- Expiry --------------------------------------------------------------------------------

#[test]
fn expired_session_is_renewed_once_and_the_request_retried() {
    let fake = fake(Behavior::ExpireAfter(2));
    let out = query(&fake, NIGHTLY_FILTER, &["--page-size", "3"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        out.lines().len(),
        8,
        "every page, the third after the renewal"
    );
    assert_eq!(fake.logons(), 2);
    let issued = fake.issued();
    let queries = fake.queries();
    assert_eq!(
        queries.len(),
        4,
        "pages 1 and 2, page 3 refused, page 3 again"
    );
    assert_eq!(queries[2].param("page"), Some("3"));
    assert_eq!(queries[3].param("page"), Some("3"));
    assert_eq!(
        queries[3].headers("x-restsvcsessionid"),
        [issued[1].token.as_str()]
    );
    let logouts = fake.logouts();
    assert_eq!(logouts.len(), 1);
    assert_eq!(
        logouts[0].path,
        format!("/api/logonSessions/{}", issued[1].id)
    );
    assert_eq!(
        logouts[0].headers("x-restsvcsessionid"),
        [issued[1].token.as_str()]
    );
}

#[test]
fn a_second_401_after_the_renewal_is_an_error() {
    let fake = fake(Behavior::AlwaysExpired);
    let out = query(&fake, NIGHTLY_FILTER, &[]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("even after logging on anew"),
        "{}",
        out.stderr
    );
    assert_eq!(fake.logons(), 2, "one renewal, no more");
    assert_eq!(fake.queries().len(), 2);
    assert_eq!(fake.logouts().len(), 1);
}

// ---- Server errors -------------------------------------------------------------------------

#[test]
fn error_body_is_shown_as_the_server_wrote_it() {
    let fake = fake(Behavior::Normal);
    // Valid here; the fake, like a server, refuses what it cannot read (`,`).
    let out = query(&fake, "Result==Failed,Result==Warning", &[]);
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr,
        "emfilter: Enterprise Manager answered the query with 400 Bad Request: Invalid filter \
         expression. (StatusCode 400)\n"
    );
    assert_eq!(fake.logouts().len(), 1);
}

#[test]
fn server_text_quoting_the_token_is_redacted() {
    let fake = fake(Behavior::ErrorQuotingToken);
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains("Invalid filter expression for session <hidden>."),
        "{}",
        out.stderr
    );
}

#[test]
fn body_that_is_not_json_is_reported_with_status_and_start() {
    let fake = fake(Behavior::NotJson);
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr,
        "emfilter: Enterprise Manager answered the query with 200 OK and a body that is not \
         JSON: <html><head><title>Sign in</title></head> <body>Proxy login</body></html>\n"
    );
    assert_eq!(fake.logouts().len(), 1);
}

// ---- Logout --------------------------------------------------------------------------------

#[test]
fn logout_is_sent_whatever_happened() {
    for (behavior, filter, extra, status) in [
        (Behavior::Normal, NIGHTLY_FILTER, &[][..], 0),
        (Behavior::Normal, NIGHTLY_FILTER, &["--limit", "1"][..], 0),
        (Behavior::Normal, NIGHTLY_FILTER, &["--count"][..], 0),
        (
            Behavior::Normal,
            "Result==Failed,Result==Warning",
            &[][..],
            1,
        ),
        (Behavior::NotJson, NIGHTLY_FILTER, &[][..], 1),
        (
            Behavior::StallQuery,
            NIGHTLY_FILTER,
            &["--timeout", "1"][..],
            3,
        ),
    ] {
        let fake = fake(behavior);
        let out = query(&fake, filter, extra);
        assert_eq!(out.status, status, "{behavior:?} {extra:?}: {}", out.stderr);
        let issued = fake.issued();
        let logouts = fake.logouts();
        assert_eq!(logouts.len(), 1, "{behavior:?} {extra:?}");
        assert_eq!(
            logouts[0].path,
            format!("/api/logonSessions/{}", issued[0].id)
        );
    }
}

#[test]
fn failed_logout_is_a_warning_with_the_secrets_hidden() {
    let fake = fake(Behavior::LogoutFails);
    let out = query(&fake, NIGHTLY_FILTER, &["--count"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "8\n");
    assert_eq!(
        out.stderr,
        "warning: the logout failed, the session ends by itself after 15 idle minutes: \
         Enterprise Manager answered the logout with 500 Internal Server Error: Cannot end \
         session <hidden> (<hidden>) (StatusCode 500)\n"
    );
}

#[test]
fn library_client_logs_out_when_dropped() {
    let fake = fake(Behavior::Normal);
    let filter = emfilter::compile(NIGHTLY_FILTER, &emfilter::schema::REPLICA_JOB_SESSION).unwrap();
    let server = Server::new(&fake.url())
        .unwrap()
        .trust(Trust::pem(fake.ca_pem().as_bytes()).unwrap());
    {
        let mut client = server.logon(Credentials::new(USER, PASSWORD)).unwrap();
        let debug = format!("{client:?}");
        for secret in fake.secrets().iter().chain([&PASSWORD.to_owned()]) {
            assert!(!debug.contains(secret.as_str()), "{debug}");
        }
        let query = Query::new(filter).page_size(3.try_into().unwrap()).limit(4);
        let names: Vec<String> = client
            .query(&query)
            .map(|e| {
                e.unwrap().to_value()["JobName"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(names, [NIGHTLY; 4]);
        assert!(fake.logouts().is_empty());
    }
    assert_eq!(fake.logouts().len(), 1);
}

#[test]
fn library_errors_and_debug_never_show_secrets() {
    let credentials = Credentials::new(USER, PASSWORD);
    let debug = format!("{credentials:?}");
    assert!(
        !debug.contains(PASSWORD) && debug.contains("<hidden>"),
        "{debug}"
    );

    let fake = fake(Behavior::ErrorQuotingToken);
    let server = Server::new(&fake.url())
        .unwrap()
        .trust(Trust::pem(fake.ca_pem().as_bytes()).unwrap());
    let mut client = server.logon(credentials).unwrap();
    let filter =
        emfilter::compile("Result==Failed", &emfilter::schema::REPLICA_JOB_SESSION).unwrap();
    let error = client
        .query(&Query::new(filter))
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    let shown = format!("{error} {error:?}");
    for secret in fake.secrets() {
        assert!(!shown.contains(&secret), "{shown}");
    }
    client.logout().unwrap();
}

// ---- TLS -----------------------------------------------------------------------------------

#[test]
fn untrusted_certificate_is_refused_by_default() {
    let fake = fake(Behavior::Normal);
    let url = fake.url();
    let out = run(
        Some(&fake),
        &["--server", &url, "--filter", "Result==Failed"],
        Some((USER, PASSWORD)),
    );
    assert_eq!(out.status, 3);
    assert!(
        out.stderr
            .contains(&format!("the certificate of {url} is not trusted")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--ca-cert"));
    assert!(fake.seen().is_empty(), "no request went out");
}

#[test]
fn ca_cert_trusts_the_ca_that_issued_the_certificate() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(!out.stdout.is_empty());
}

#[test]
fn ca_cert_trusts_a_self_signed_certificate() {
    let fake = fake_with(Behavior::Normal, Tls::self_signed(&["127.0.0.1"]));
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
}

#[test]
fn certificate_for_another_name_is_refused() {
    let fake = fake_with(Behavior::Normal, Tls::issued(&["em01.tech.local"]));
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 3);
    assert!(
        out.stderr.contains(&format!(
            "the certificate of {} is not made out to `127.0.0.1` but to em01.tech.local",
            fake.url()
        )),
        "{}",
        out.stderr
    );
    assert!(out
        .stderr
        .contains("give --server with a name the certificate is made out to"));
}

#[test]
fn ca_cert_of_another_authority_is_refused() {
    let fake = fake(Behavior::Normal);
    let other = pem_file(&Tls::issued(&["127.0.0.1"]).ca_pem);
    let url = fake.url();
    let out = run(
        Some(&fake),
        &[
            "--server",
            &url,
            "--ca-cert",
            &other,
            "--filter",
            "Result==Failed",
        ],
        Some((USER, PASSWORD)),
    );
    assert_eq!(out.status, 3);
    assert!(out.stderr.contains("is not trusted"), "{}", out.stderr);
    assert!(out
        .stderr
        .contains("the certificates of --ca-cert did not issue it"));
    assert!(fake.seen().is_empty());
}

#[test]
fn ca_cert_that_is_not_a_certificate_is_a_usage_error() {
    let pem = pem_file("not a certificate\n");
    let out = run(
        None,
        &[
            "--server",
            "https://127.0.0.1:1",
            "--ca-cert",
            &pem,
            "--filter",
            "Result==Failed",
        ],
        Some((USER, PASSWORD)),
    );
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.contains("holds no certificate"),
        "{}",
        out.stderr
    );
}

#[test]
fn insecure_accepts_any_certificate_and_warns_every_time() {
    let fake = fake(Behavior::Normal);
    let url = fake.url();
    for _ in 0..2 {
        let out = run(
            Some(&fake),
            &["--server", &url, "--insecure", "--filter", "Result==Failed"],
            Some((USER, PASSWORD)),
        );
        assert_eq!(out.status, 0, "{}", out.stderr);
        assert!(out.stderr.starts_with(&format!(
            "warning: --insecure: the certificate of {url} is not checked"
        )));
    }
}

#[test]
fn plain_http_is_refused_without_its_own_flag_even_with_insecure() {
    let fake = fake_with(Behavior::Normal, Tls::plain());
    let url = fake.url();
    assert!(url.starts_with("http://"));
    for extra in [&[][..], &["--insecure"][..]] {
        let mut args = vec!["--server", &url, "--filter", "Result==Failed"];
        args.extend_from_slice(extra);
        let out = run(Some(&fake), &args, Some((USER, PASSWORD)));
        assert_eq!(out.status, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains(
                "is plain http://: the password, the session token and every answer would cross \
                 the network unencrypted"
            ),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("--allow-cleartext-http"),
            "{}",
            out.stderr
        );
        if !extra.is_empty() {
            assert!(out.stderr.contains("--insecure is about certificates"));
        }
    }
    // Nothing was sent: not even a connection carried the password.
    assert!(fake.seen().is_empty());
    // The library refuses it too, whatever the trust.
    let e = Server::new(&url)
        .unwrap()
        .trust(Trust::insecure())
        .logon(Credentials::new(USER, PASSWORD))
        .unwrap_err();
    assert!(e.to_string().contains("unencrypted"), "{e}");
    assert!(fake.seen().is_empty());
}

#[test]
fn plain_http_with_its_flag_works_and_warns_about_cleartext_credentials() {
    let fake = fake_with(Behavior::Normal, Tls::plain());
    let url = fake.url();
    let out = run(
        Some(&fake),
        &[
            "--server",
            &url,
            "--allow-cleartext-http",
            "--filter",
            NIGHTLY_FILTER,
            "--count",
        ],
        Some((USER, PASSWORD)),
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), "8");
    assert!(
        out.stderr.contains(
            "warning: --allow-cleartext-http: http://127.0.0.1:"
        ) && out
            .stderr
            .contains("the password (in the Basic credentials), the session token and every answer cross the network unencrypted"),
        "{}",
        out.stderr
    );
}

// ---- Hostile servers (issue 10) --------------------------------------------------------------

/// A password with two spaces, a tab, a quote, a backslash and non-ASCII letters.
const SPACED: &str = "Pa55  w\t\"\\ärd:é€x";

/// Every form of the secrets [`fake::echo`] writes, which none of the output may hold.
fn echoed_forms(fake: &FakeEm, password: &str) -> Vec<String> {
    let config = Config {
        user: USER.to_owned(),
        password: password.to_owned(),
        sessions: Vec::new(),
        behavior: Behavior::Normal,
        tls: Tls::plain(),
    };
    let mut forms = Vec::new();
    for issued in fake.issued() {
        for line in fake::echo(&config, &issued.token, &issued.id).lines() {
            let (_, value) = line.split_once('=').unwrap();
            forms.push(value.trim_end_matches('=').to_owned());
        }
        assert!(forms.iter().any(|f| f == password));
    }
    assert!(forms.len() >= 9, "{forms:?}");
    forms
}

#[test]
fn secrets_echoed_in_any_encoding_are_hidden() {
    for behavior in [Behavior::EchoSecrets, Behavior::EchoSecretsInMessage] {
        for password in [PASSWORD, SPACED] {
            let fake = FakeEm::start(Config {
                user: USER.to_owned(),
                password: password.to_owned(),
                sessions: dataset(),
                behavior,
                tls: Tls::issued(&["127.0.0.1"]),
            });
            let url = fake.url();
            let pem = pem_file(fake.ca_pem());
            let out = run(
                Some(&fake),
                &[
                    "--server",
                    &url,
                    "--ca-cert",
                    &pem,
                    "--filter",
                    "Result==Failed",
                ],
                Some((USER, password)),
            );
            assert_eq!(out.status, 1, "{}", out.stderr);
            for form in echoed_forms(&fake, password) {
                assert!(
                    !out.stderr.contains(&form) && !out.stdout.contains(&form),
                    "{behavior:?}: `{form}` is in the output:\n{}",
                    out.stderr
                );
            }
            // The rest of what the server said is shown.
            assert!(out.stderr.contains("auth=<hidden>"), "{}", out.stderr);
            assert!(out.stderr.contains("json=<hidden>"), "{}", out.stderr);
            // Squeezed after redaction, not before: nothing of a spaced password is left.
            assert!(!out.stderr.contains("Pa55"), "{}", out.stderr);
        }
    }
}

#[test]
fn a_secret_cut_at_the_truncation_is_hidden() {
    let fake = fake(Behavior::EchoSecretAtCut);
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    // The marker may be cut too, but nothing of the password is left.
    assert!(out.stderr.contains("xxxx <hid"), "{}", out.stderr);
    assert!(!out.stderr.contains("Pa5"), "{}", out.stderr);
}

#[test]
fn a_server_that_ignores_page_is_read_once_and_said_so() {
    let fake = fake(Behavior::IgnorePage);
    let out = query(&fake, NIGHTLY_FILTER, &["--page-size", "3"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    // The first page once, then the second, equal to it, stops the reading.
    assert_eq!(out.lines().len(), 3, "{}", out.stdout);
    assert_eq!(fake.queries().len(), 2);
    assert!(
        out.stderr.contains(
            "stopped reading the query's pages at page 2: page 2 holds the same entities as an \
             earlier page (does the server ignore `page`?)"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(fake.logouts().len(), 1);
}

#[test]
fn endless_pages_stop_at_the_page_limit_and_say_so() {
    let fake = fake(Behavior::EndlessPages);
    let out = query(&fake, NIGHTLY_FILTER, &["--max-pages", "5"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert_eq!(out.lines().len(), 5, "{}", out.stdout);
    assert_eq!(fake.queries().len(), 5);
    assert!(
        out.stderr
            .contains("page 5: the limit of 5 pages was reached and the server has more"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("help: --max-pages N reads more pages"));
}

#[test]
fn an_empty_page_before_the_last_stops_the_reading() {
    let fake = fake(Behavior::EmptyPageBeforeTheLast);
    let out = query(&fake, NIGHTLY_FILTER, &["--page-size", "3"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert_eq!(out.lines().len(), 3);
    assert!(
        out.stderr.contains("page 2 of 5 holds no entity"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_trickling_answer_is_cut_off_at_the_request_deadline() {
    let fake = fake(Behavior::Trickle);
    let start = Instant::now();
    let out = query(
        &fake,
        "Result==Failed",
        &["--timeout", "5", "--request-timeout", "2"],
    );
    assert_eq!(out.status, 3, "{}", out.stderr);
    // Each byte came within --timeout: only the deadline could end it.
    assert!(start.elapsed() < Duration::from_secs(30));
    assert!(
        out.stderr.contains(
            "did not answer the query within 2 s: timed out while receiving the answer: the \
             whole request has a deadline"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--request-timeout SECS"));
}

#[test]
fn a_ca_certificate_as_the_servers_own_is_named_as_such() {
    let fake = fake_with(Behavior::Normal, Tls::ca_as_server(&["127.0.0.1"]));
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 3, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("the server presents a CA certificate (one made to issue other certificates) as its own"),
        "{}",
        out.stderr
    );
}

#[test]
fn server_messages_are_shown_with_control_characters_escaped() {
    let fake = fake(Behavior::ErrorWithEscapes);
    let out = query(&fake, "Result==Failed", &[]);
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains("Invalid filter\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\n::error::forged annotation"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(['\u{1b}', '\u{7}']));
    assert!(!out.stderr.lines().any(|l| l.starts_with("::error::")));
}

// ---- Connection ----------------------------------------------------------------------------

#[test]
fn server_that_never_answers_the_query_times_out() {
    let fake = fake(Behavior::StallQuery);
    let out = query(&fake, "Result==Failed", &["--timeout", "1"]);
    assert_eq!(out.status, 3);
    assert!(
        out.stderr.contains(&format!(
            "{} did not answer the query within 1 s: timed out while waiting for the answer",
            fake.url()
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--timeout SECS"));
}

#[test]
fn server_that_never_completes_the_handshake_times_out() {
    let fake = fake(Behavior::StallHandshake);
    let out = query(
        &fake,
        "Result==Failed",
        &["--timeout", "5", "--connect-timeout", "0.5"],
    );
    assert_eq!(out.status, 3);
    assert!(
        out.stderr
            .contains("did not answer the logon within 0.5 s: timed out while connecting"),
        "{}",
        out.stderr
    );
}

#[test]
fn nothing_listening_is_a_connection_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("https://127.0.0.1:{port}");
    let out = run(
        None,
        &["--server", &url, "--insecure", "--filter", "Result==Failed"],
        Some((USER, PASSWORD)),
    );
    assert_eq!(out.status, 3);
    assert!(out.stderr.contains("connection refused"), "{}", out.stderr);
}

#[test]
fn server_addresses_are_normalised_or_refused() {
    let address = |a: &str| Server::new(a).map(|s| s.address().to_owned());
    assert_eq!(
        address("em01.tech.local").unwrap(),
        "https://em01.tech.local:9398"
    );
    assert_eq!(
        address("https://em01:9398/api/").unwrap(),
        "https://em01:9398"
    );
    assert_eq!(address("https://em01").unwrap(), "https://em01");
    assert_eq!(address("[::1]").unwrap(), "https://[::1]:9398");
    for bad in ["", "ftp://em01", "https://em01:9398/api/query?type=Job"] {
        assert!(
            matches!(Server::new(bad), Err(Error::InvalidServer { .. })),
            "{bad}"
        );
    }
    // An address with credentials is refused without being repeated.
    let e = Server::new("https://restuser:hunter22@em01:9398").unwrap_err();
    assert!(!e.to_string().contains("hunter22"), "{e}");
}

// ---- --verify ------------------------------------------------------------------------------

/// Against a server that agrees with the local semantics, `--verify` says nothing more.
#[test]
fn verify_agrees_with_a_server_that_matched_the_same_sessions() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, NIGHTLY_FILTER, &["--verify", "--page-size", "3"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 8);
    assert!(!out.stderr.contains("--verify"), "{}", out.stderr);
}

/// Every session the server returned that the filter does not match locally is named, and the
/// run fails; what did match is still printed.
#[test]
fn verify_names_each_session_the_local_semantics_would_not_match() {
    let fake = fake(Behavior::IgnoreFilter);
    let total = dataset().len();
    let out = query(&fake, NIGHTLY_FILTER, &["--verify", "--count"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), total.to_string());
    let named = out
        .stderr
        .lines()
        .filter(|l| l.contains("--verify: the server returned"))
        .count();
    assert_eq!(named, total - 8, "{}", out.stderr);
    assert!(out.stderr.contains("the filter does not match it locally"));
    assert!(
        out.stderr.contains(&format!(
            "--verify: {} of {total} entities returned by the server do not match",
            total - 8
        )),
        "{}",
        out.stderr
    );
    // Still one logon and one logout.
    assert_eq!(fake.logons(), 1);
    assert_eq!(fake.logouts().len(), 1);
}

/// A session that cannot be read locally is a disagreement, reported with why; never skipped.
#[test]
fn verify_reports_a_session_it_cannot_read() {
    let mut sessions = vec![fake::session(1, NIGHTLY, "Failed")];
    sessions.push(
        fake::session(2, NIGHTLY, "Failed").replace("\"2026-11-03T06:46:31Z\"", "\"yesterday\""),
    );
    let fake = FakeEm::start(Config {
        user: USER.to_owned(),
        password: PASSWORD.to_owned(),
        sessions,
        behavior: Behavior::IgnoreFilter,
        tls: Tls::issued(&["127.0.0.1"]),
    });
    let out = query(&fake, "CreationTime>=2026-11-01T00:00:00Z", &["--verify"]);
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 2);
    assert!(
        out.stderr.contains("but it cannot be read locally"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("1 of 2 entities"), "{}", out.stderr);
}

/// A query type whose entities cannot be evaluated yet: refused before anything is sent.
#[test]
fn verify_of_a_type_that_cannot_be_evaluated_is_refused_before_sending() {
    let fake = fake(Behavior::Normal);
    let out = query(&fake, "Name==x", &["--verify", "--type", "Repository"]);
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`Repository` can be checked but not evaluated yet"),
        "{}",
        out.stderr
    );
    assert!(fake.seen().is_empty());
}

#[test]
fn query_into_a_closed_pipe_stops_asking_and_logs_out() {
    let fake = fake(Behavior::Normal);
    let url = fake.url();
    let pem = pem_file(fake.ca_pem());
    let mut child = Command::new(env!("CARGO_BIN_EXE_emfilter"))
        .args([
            "query",
            "--server",
            &url,
            "--ca-cert",
            &pem,
            "--filter",
            NIGHTLY_FILTER,
            "--page-size",
            "1",
        ])
        .env("EMFILTER_USER", USER)
        .env("EMFILTER_PASSWORD", PASSWORD)
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the first entity is written (`| head -0`).
    drop(child.stdout.take());
    let out = finish(child, "emfilter query into a closed pipe");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("Broken pipe") && !out.stderr.contains("panicked"));
    // One page was asked for, not the eight the filter matches, and the session was ended.
    assert_eq!(fake.queries().len(), 1);
    assert_eq!(fake.logouts().len(), 1);
}
