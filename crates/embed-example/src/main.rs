//! Serves the example on 127.0.0.1: `emfilter-embed-example [PORT]` (0 or none: any free
//! port, printed on the first line), then `curl 'http://127.0.0.1:PORT/sessions?filter=outcome%3D%3DFailed'`.
//! One request per connection, HTTP/1.0 style: the point is the library, not the server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use emfilter_embed_example::{Service, Session};

fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    println!("listening on http://{}", listener.local_addr()?);
    let service = Service::new(Session::samples());
    for stream in listener.incoming() {
        let mut stream = stream?;
        let mut line = String::new();
        // The request line only: `GET /sessions?filter=… HTTP/1.1`; headers are not needed.
        if BufReader::new((&stream).take(8192))
            .read_line(&mut line)
            .is_err()
        {
            continue;
        }
        let target = line.split_whitespace().nth(1).unwrap_or("/");
        let answer = service.handle(target);
        let body = answer.body.to_string();
        let reason = match answer.status {
            200 => "OK",
            400 => "Bad Request",
            _ => "Not Found",
        };
        let _ = write!(
            stream,
            "HTTP/1.1 {} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            answer.status,
            body.len()
        );
    }
    Ok(())
}
