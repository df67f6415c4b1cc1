//! Hostile input, class by class (issue 10): each test runs the **release** binary as a user or
//! an attacker would, and bounds what the run may cost: its wall time, and its peak resident
//! memory, measured, not guessed: the child's `VmHWM` (the high-water mark of its resident
//! memory) read from `/proc/<pid>/status` while it runs (continuously for its first 50 ms,
//! then every millisecond). (`wait4`'s `ru_maxrss`
//! cannot be used: Linux carries into it the resident size of the memory the child was spawned
//! from, this whole test process, across `exec`.)
//!
//! The framework is [`Hostile`]: a builder for one run (arguments, what standard input holds or
//! streams, whether standard output and standard error are read, closed or thrown away, and the
//! bounds), whose [`Hostile::run`] returns a [`Run`] with what the child wrote, how it ended,
//! how long it took and its peak memory. A run that passes its time bound is killed and the
//! test fails; so does one whose memory, polled while it runs, passes its bound. Bounds are
//! generous (tests run in parallel on a shared machine): they tell "bounded" from "unbounded",
//! they are not benchmarks.
//!
//! The release binary is built once per test run (`cargo build --release -p emfilter-cli`), or
//! taken from `EMFILTER_RELEASE_BIN`.
//!
//! One module per class: add yours beside these.

// A framework for every class: not every helper is used by every class.
#![allow(dead_code)]

mod client;
mod eval;
mod input;
mod lint;
mod pipes;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

pub use crate::scratch::Scratch;

/// One MiB, for memory bounds.
pub const MIB: u64 = 1 << 20;

/// The release binary: built once, then reused by every test.
pub fn release_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(path) = std::env::var_os("EMFILTER_RELEASE_BIN") {
            return PathBuf::from(path);
        }
        // This test binary is target/<profile>/deps/cli-…: the release binary goes to
        // target/release/ of the same target folder.
        let exe = std::env::current_exe().expect("the test binary's path");
        let target = exe
            .ancestors()
            .nth(3)
            .expect("the test binary lies in target/<profile>/deps")
            .to_owned();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "--release",
                "--quiet",
                "-p",
                "emfilter-cli",
                "--bin",
            ])
            .arg("emfilter")
            .arg("--target-dir")
            .arg(&target)
            .current_dir(&root)
            .status()
            .expect("cargo runs");
        assert!(
            status.success(),
            "cargo build --release -p emfilter-cli failed"
        );
        let bin = target
            .join("release")
            .join(format!("emfilter{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.is_file(), "no release binary at {}", bin.display());
        bin
    })
}

/// What standard input holds.
pub enum Input {
    /// Nothing (`/dev/null`).
    Null,
    /// These bytes, then end of file.
    Bytes(Vec<u8>),
    /// `len` bytes made by repeating `pattern` (`yes '' | head -c 1G`), written as the child
    /// reads them, never held whole.
    Repeat { pattern: Vec<u8>, len: u64 },
    /// A file (a FIFO, `/dev/zero`, …), opened for the child.
    File(PathBuf),
}

/// What becomes of an output stream.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sink {
    /// Read, keeping the first [`KEPT`] bytes (the total is counted).
    Capture,
    /// A pipe whose reader is gone before the child writes (`| head -0`).
    Closed,
    /// A pipe whose reader takes the first line and goes away (`| head -1`).
    HeadOne,
    /// Thrown away (`/dev/null`).
    Null,
}

/// How much of each captured stream is kept.
pub const KEPT: usize = 1 << 20;

/// One run of the release binary, with its bounds.
pub struct Hostile {
    args: Vec<String>,
    envs: Vec<(String, String)>,
    dir: Option<PathBuf>,
    stdin: Input,
    stdout: Sink,
    stderr: Sink,
    time: Duration,
    memory: u64,
}

/// `emfilter args…` on the release binary; standard output and error captured, bounds of 60 s
/// and 256 MiB until set.
pub fn hostile<S: AsRef<str>>(args: &[S]) -> Hostile {
    Hostile {
        args: args.iter().map(|a| a.as_ref().to_owned()).collect(),
        envs: Vec::new(),
        dir: None,
        stdin: Input::Null,
        stdout: Sink::Capture,
        stderr: Sink::Capture,
        time: Duration::from_secs(60),
        memory: 256 * MIB,
    }
}

/// How a run ended and what it cost.
#[derive(Debug)]
pub struct Run {
    /// The command line, for messages.
    pub command: String,
    /// The exit code; `None` when a signal ended it.
    pub code: Option<i32>,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    /// The first [`KEPT`] bytes of standard output, when captured.
    pub stdout: Vec<u8>,
    /// How many bytes standard output received in all, when captured.
    pub stdout_len: u64,
    /// The first [`KEPT`] bytes of standard error, when captured.
    pub stderr: Vec<u8>,
    /// Wall time from start to exit.
    pub wall: Duration,
    /// Peak resident memory, in bytes (the last `VmHWM` read while it ran).
    pub peak_rss: u64,
}

impl Run {
    /// Standard output as text (lossy).
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Standard error as text (lossy).
    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// Fails unless the run ended by itself with an exit code that is not a panic's (101), and
    /// said nothing of a panic.
    pub fn assert_no_panic(&self) -> &Run {
        assert!(
            self.signal.is_none(),
            "{}: killed by signal {:?}\n{}",
            self.command,
            self.signal,
            self.err()
        );
        assert_ne!(
            self.code,
            Some(101),
            "{}: panicked\n{}",
            self.command,
            self.err()
        );
        assert!(
            !self.err().contains("panicked"),
            "{}: panicked\n{}",
            self.command,
            self.err()
        );
        self
    }

    /// Fails unless the exit code is `code`.
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "{}: exit code\nstdout: {}\nstderr: {}",
            self.command,
            self.out(),
            self.err()
        );
        self
    }
}

impl Hostile {
    /// Standard input.
    pub fn stdin(mut self, input: Input) -> Hostile {
        self.stdin = input;
        self
    }

    /// Standard output.
    pub fn stdout(mut self, sink: Sink) -> Hostile {
        self.stdout = sink;
        self
    }

    /// Standard error.
    pub fn stderr(mut self, sink: Sink) -> Hostile {
        self.stderr = sink;
        self
    }

    /// An environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Hostile {
        self.envs.push((key.to_owned(), value.to_owned()));
        self
    }

    /// The working folder.
    pub fn dir(mut self, dir: &Path) -> Hostile {
        self.dir = Some(dir.to_owned());
        self
    }

    /// The longest the run may take and the most resident memory it may use at its peak.
    pub fn bounds(mut self, time: Duration, memory: u64) -> Hostile {
        self.time = time;
        self.memory = memory;
        self
    }

    /// Runs it: fails the test when it passes a bound (it is killed then).
    pub fn run(mut self) -> Run {
        let bin = release_binary();
        let command = format!("emfilter {}", self.args.join(" "));
        let shown = match command.char_indices().nth(200) {
            Some((at, _)) => format!("{}…", &command[..at]),
            None => command,
        };
        let mut cmd = Command::new(bin);
        cmd.args(&self.args).env_remove("NO_COLOR");
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        if let Some(dir) = &self.dir {
            cmd.current_dir(dir);
        }
        cmd.stdin(match &self.stdin {
            Input::Null => Stdio::null(),
            Input::Bytes(_) | Input::Repeat { .. } => Stdio::piped(),
            Input::File(path) => Stdio::from(
                std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            ),
        });
        let sink = |s: Sink| match s {
            Sink::Null => Stdio::null(),
            _ => Stdio::piped(),
        };
        cmd.stdout(sink(self.stdout)).stderr(sink(self.stderr));
        let start = Instant::now();
        let mut child = cmd.spawn().expect("the release binary runs");
        let pid = child.id() as libc::pid_t;

        // Standard input is fed from a thread: a child that stops reading (it found the input
        // binary, or it failed) closes the pipe, which ends the feeding.
        let feeder = child.stdin.take().map(|mut pipe| {
            let input = std::mem::replace(&mut self.stdin, Input::Null);
            thread::spawn(move || {
                let _ = feed(&mut pipe, input);
            })
        });
        let out = reader(child.stdout.take(), self.stdout);
        let err = reader(child.stderr.take(), self.stderr);

        // Wait, polling: kill the child when it passes a bound, before it is reaped (its pid
        // cannot be reused before that).
        let mut status = 0;
        let mut over = None;
        let mut peak = 0u64;
        loop {
            // SAFETY: `pid` is our child, not yet reaped; `status` is valid.
            let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
            if r == pid {
                break;
            }
            assert!(r == 0, "wait4 failed: {}", std::io::Error::last_os_error());
            if let Some(hwm) = high_water(pid) {
                peak = peak.max(hwm);
            }
            if over.is_none() {
                if start.elapsed() > self.time {
                    over = Some(format!("ran longer than {:?}", self.time));
                } else if peak > self.memory {
                    over = Some(format!(
                        "used {} MiB of memory, over its bound of {} MiB",
                        peak / MIB,
                        self.memory / MIB
                    ));
                }
                if over.is_some() {
                    // SAFETY: signalling our own child, not yet reaped.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                }
            }
            // Sampled without a pause at first, so that even a short run is seen (and on a
            // loaded machine a 2 ms sleep can be much longer); then every millisecond.
            if start.elapsed() < Duration::from_millis(50) {
                thread::yield_now();
            } else {
                thread::sleep(Duration::from_millis(1));
            }
        }
        let wall = start.elapsed();
        // The child is reaped: `child` must not wait for it again.
        std::mem::forget(child);
        let (stdout, stdout_len) = out.map(|t| t.join().unwrap()).unwrap_or_default();
        let (stderr, _) = err.map(|t| t.join().unwrap()).unwrap_or_default();
        if let Some(f) = feeder {
            let _ = f.join();
        }
        let run = Run {
            command: shown,
            code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
            signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
            stdout,
            stdout_len,
            stderr,
            wall,
            peak_rss: peak,
        };
        if let Some(why) = over {
            panic!(
                "{}: {why}\nstderr: {}",
                run.command,
                String::from_utf8_lossy(&run.stderr[..run.stderr.len().min(4000)])
            );
        }
        assert!(
            run.peak_rss <= self.memory,
            "{}: peak memory {} MiB, over its bound of {} MiB",
            run.command,
            run.peak_rss / MIB,
            self.memory / MIB
        );
        assert!(
            run.wall <= self.time,
            "{}: took {:?}, over its bound of {:?}",
            run.command,
            run.wall,
            self.time
        );
        run
    }
}

fn feed(pipe: &mut impl Write, input: Input) -> std::io::Result<()> {
    match input {
        Input::Bytes(bytes) => pipe.write_all(&bytes),
        Input::Repeat { pattern, len } => {
            let mut block = Vec::with_capacity(64 << 10);
            while block.len() < 64 << 10 {
                block.extend_from_slice(&pattern);
            }
            let mut left = len;
            while left > 0 {
                let n = left.min(block.len() as u64) as usize;
                pipe.write_all(&block[..n])?;
                left -= n as u64;
            }
            Ok(())
        }
        Input::Null | Input::File(_) => Ok(()),
    }
}

type Reader = thread::JoinHandle<(Vec<u8>, u64)>;

/// Reads a child's output stream as `sink` says, from a thread.
fn reader<R: Read + Send + 'static>(pipe: Option<R>, sink: Sink) -> Option<Reader> {
    let mut pipe = pipe?;
    match sink {
        Sink::Null => None,
        // Dropped at once: the child's writes fail with a closed pipe.
        Sink::Closed => {
            drop(pipe);
            None
        }
        Sink::HeadOne => Some(thread::spawn(move || {
            let mut kept = Vec::new();
            let mut byte = [0u8; 1];
            while let Ok(1) = pipe.read(&mut byte) {
                kept.push(byte[0]);
                if byte[0] == b'\n' {
                    break;
                }
            }
            let n = kept.len() as u64;
            (kept, n)
        })),
        Sink::Capture => Some(thread::spawn(move || {
            let mut kept = Vec::new();
            let mut total = 0u64;
            let mut buf = vec![0u8; 64 << 10];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        total += n as u64;
                        let room = KEPT.saturating_sub(kept.len());
                        kept.extend_from_slice(&buf[..n.min(room)]);
                    }
                }
            }
            (kept, total)
        })),
    }
}

/// The child's peak resident memory so far (`VmHWM`), if it can be read (not before its `exec`
/// is done: until then it is this process's).
fn high_water(pid: libc::pid_t) -> Option<u64> {
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok()?;
    if exe.file_name() != release_binary().file_name() {
        return None;
    }
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The meter itself: a run that holds a 40 MB file whole (`--scan` keeps a file's text for its
/// fixes) is measured at 40 MiB or more, one that streams 50 MB at a few MiB.
#[test]
fn the_memory_meter_sees_what_a_run_holds() {
    let dir = Scratch::new("meter");
    let mut text = b"# notes\n".repeat(5_000_000);
    text.extend_from_slice(b"curl \"$EM/api/query?type=ReplicaJobSession&filter=Reslt==Failed\"\n");
    let path = dir.file("big.md", &text);
    let run = hostile(&["check", "--scan", &path.to_string_lossy()])
        .bounds(Duration::from_secs(120), 1024 * MIB)
        .run();
    run.assert_no_panic().assert_code(1);
    assert!(run.peak_rss >= 40 * MIB, "{} bytes", run.peak_rss);
    // A run that ends before its first sample reads as 0: this one takes a while.
    let run = hostile(&["eval", "--filter", "Result==Failed", "--count"])
        .stdin(Input::Repeat {
            pattern: b"\n".to_vec(),
            len: 200 << 20,
        })
        .run();
    run.assert_no_panic().assert_code(0);
    assert!(
        run.peak_rss > 0 && run.peak_rss < 32 * MIB,
        "{} bytes",
        run.peak_rss
    );
}
