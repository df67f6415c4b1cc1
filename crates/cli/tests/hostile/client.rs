//! A server that answers with more than the client will hold (issue 10): the body cap is a
//! bound on memory, measured.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use super::{hostile, MIB};

/// Answers the logon, then every query with a body of `size` bytes, then the logout; on plain
/// HTTP, until `count` connections were served.
fn serve(listener: TcpListener, size: u64, count: usize) {
    for stream in listener.incoming().take(count) {
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
            match stream.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => break,
            }
        }
        let head = String::from_utf8_lossy(&head);
        let _ = if head.starts_with("POST") {
            let body = r#"{"SessionId":"4e8f2905-a88d-4c9d-9e58-56608d0f0b0b"}"#;
            write!(
                stream,
                "HTTP/1.1 201 Created\r\nX-RestSvcSessionId: dG9rZW4tZm9yLXRoZS1jYXA=\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        } else if head.starts_with("GET") {
            big_answer(&mut stream, size)
        } else {
            write!(
                stream,
                "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
            )
        };
    }
}

fn big_answer(stream: &mut TcpStream, size: u64) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\
         Connection: close\r\n\r\n"
    )?;
    let block = vec![b' '; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        stream.write_all(&block[..n])?;
        left -= n as u64;
    }
    Ok(())
}

#[test]
fn a_body_over_the_cap_is_refused_in_bounded_memory() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || serve(listener, 300 << 20, 3));
    let url = format!("http://{addr}");
    let run = hostile(&[
        "query",
        "--server",
        &url,
        "--allow-cleartext-http",
        "--filter",
        "Result==Failed",
    ])
    .env("EMFILTER_USER", "TECH\\restuser")
    .env("EMFILTER_PASSWORD", "a password for the cap")
    .bounds(Duration::from_secs(120), 400 * MIB)
    .run();
    run.assert_no_panic().assert_code(1);
    assert!(
        run.err().contains("a body larger than 256 MiB"),
        "{}",
        run.err()
    );
    // Held up to the cap, not past it.
    assert!(run.peak_rss < 300 * MIB, "{} MiB", run.peak_rss / MIB);
    drop(server);
}
