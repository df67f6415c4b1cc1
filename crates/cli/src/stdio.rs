//! Writing to standard output and standard error, where a reader that went away (`| head -1`)
//! is not an error.
//!
//! Rust ignores SIGPIPE, so a write to a closed pipe fails with `EPIPE` instead of killing the
//! process; `println!` would then panic. Every subcommand writes through [`out`] and [`err!`]
//! instead: once standard output is closed, nothing more is written to it, [`closed`] says so,
//! and the subcommands stop producing output and end with the status their work so far has
//! earned (`check` goes on checking after its reader went away, so its status is the full one).
//! SIGPIPE is not restored to its default, which would kill the process: a TLS socket closed by
//! the server raises it too, and `query` must still log out when its reader goes away.
//!
//! Standard error that cannot be written is ignored: there is nowhere left to say so.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether standard output's reader went away: nothing more is written to it.
pub fn closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// Notes that standard output's reader went away.
pub fn mark_closed() {
    STDOUT_CLOSED.store(true, Ordering::Relaxed);
}

/// Whether `e` says that the reader of a pipe went away.
pub fn is_closed_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

/// Writes `bytes` to standard output and flushes it. A closed pipe is not an error (the rest is
/// dropped, see [`closed`]); any other failure is, in words.
pub fn out_bytes(bytes: &[u8]) -> Result<(), String> {
    if closed() {
        return Ok(());
    }
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) => write_failed(e),
    }
}

/// Standard output through one buffer, written out a block at a time instead of a write per
/// line; and before anything goes to standard error (call [`Buffered::flush`]), so that a
/// terminal showing both shows them in order.
#[derive(Default)]
pub struct Buffered {
    buf: String,
}

impl Buffered {
    /// How much is gathered before it is written.
    const BLOCK: usize = 64 << 10;

    /// The buffer, to write into.
    pub fn buf(&mut self) -> &mut String {
        &mut self.buf
    }

    /// Writes the buffer out once it holds a block.
    pub fn written(&mut self) -> Result<(), String> {
        if self.buf.len() >= Self::BLOCK {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes out what the buffer holds, as [`out_bytes`] does.
    pub fn flush(&mut self) -> Result<(), String> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let result = out_bytes(self.buf.as_bytes());
        self.buf.clear();
        result
    }
}

/// Writes formatted text to standard output, as [`out_bytes`] does.
pub fn out(args: fmt::Arguments<'_>) -> Result<(), String> {
    match args.as_str() {
        Some(s) => out_bytes(s.as_bytes()),
        None => out_bytes(args.to_string().as_bytes()),
    }
}

/// What a failed write to standard output means: nothing when its reader went away (marked
/// closed), else an error in words.
pub fn write_failed(e: io::Error) -> Result<(), String> {
    if is_closed_pipe(&e) {
        mark_closed();
        Ok(())
    } else {
        Err(format!("cannot write the output: {e}"))
    }
}

/// Writes formatted text to standard error; a failure is ignored.
pub fn err_fmt(args: fmt::Arguments<'_>) {
    let _ = io::stderr().lock().write_fmt(args);
}

/// `print!` to standard output through [`out`]: a `Result<(), String>`.
macro_rules! out {
    ($($arg:tt)*) => { $crate::stdio::out(format_args!($($arg)*)) };
}

/// `println!` to standard output through [`out`]: a `Result<(), String>`.
macro_rules! outln {
    ($($arg:tt)*) => { $crate::stdio::out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!` that never panics (see [`err_fmt`]).
macro_rules! err {
    ($($arg:tt)*) => { $crate::stdio::err_fmt(format_args!($($arg)*)) };
}

/// `eprintln!` that never panics (see [`err_fmt`]).
macro_rules! errln {
    ($($arg:tt)*) => { $crate::stdio::err_fmt(format_args!("{}\n", format_args!($($arg)*))) };
}
