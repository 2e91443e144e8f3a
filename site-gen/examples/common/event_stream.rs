//! A client of `site-gen serve`'s live-reload event stream (`GET /__livereload`), as a
//! page opens it: the one reader shared by the `bench_serve` example and the serve tests
//! (`tests/site/support.rs` includes this file by path; a folder under `examples/`
//! without a `main.rs` is not an example of its own).
//!
//! The server answers with `text/event-stream` in HTTP/1.1 chunks; an event's `data:`
//! lines are joined by line breaks, and keep-alive comments (every 15 s) are skipped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// How long a read, or a wait for the next event, may take before it is an error.
pub const WAIT: Duration = Duration::from_secs(60);

/// An open event stream: the response's chunks read so far, not yet split into events.
pub struct EventStream {
    reader: BufReader<TcpStream>,
    pending: String,
}

impl EventStream {
    /// Opens the stream on `addr` (`127.0.0.1:port`), sending the page's own Origin, and
    /// reads the response head. Fails when the answer is not a `200` event stream.
    pub fn open(addr: &str) -> Result<EventStream, String> {
        let io = |e: std::io::Error| format!("live-reload connection to {addr}: {e}");
        let mut c = TcpStream::connect(addr).map_err(io)?;
        c.set_read_timeout(Some(WAIT)).map_err(io)?;
        write!(
            c,
            "GET /__livereload HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .map_err(io)?;
        let mut reader = BufReader::new(c);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).map_err(io)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        let lower = head.to_ascii_lowercase();
        if !head.starts_with("HTTP/1.1 200")
            || !lower.contains("content-type: text/event-stream")
            || !lower.contains("transfer-encoding: chunked")
        {
            return Err(format!("no chunked event stream from {addr}:\n{head}"));
        }
        Ok(EventStream {
            reader,
            pending: String::new(),
        })
    }

    /// The data of the next event; an error when none comes within [`WAIT`].
    pub fn next(&mut self) -> Result<String, String> {
        let io = |e: std::io::Error| format!("live-reload connection: {e}");
        let deadline = Instant::now() + WAIT;
        loop {
            if Instant::now() > deadline {
                return Err(format!(
                    "no live-reload message within {} s",
                    WAIT.as_secs()
                ));
            }
            if let Some(end) = self.pending.find("\n\n") {
                let event: String = self.pending.drain(..end + 2).collect();
                let data: Vec<&str> = event
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(|d| d.strip_prefix(' ').unwrap_or(d))
                    .collect();
                if !data.is_empty() {
                    return Ok(data.join("\n"));
                }
                continue;
            }
            let mut size = String::new();
            self.reader.read_line(&mut size).map_err(io)?;
            let size = usize::from_str_radix(size.trim_end(), 16)
                .map_err(|_| format!("live-reload connection: not a chunk size: {size:?}"))?;
            if size == 0 {
                return Err("live-reload connection: the stream ended".into());
            }
            let mut chunk = vec![0u8; size + 2];
            self.reader.read_exact(&mut chunk).map_err(io)?;
            if !chunk.ends_with(b"\r\n") {
                return Err("live-reload connection: a chunk without its line end".into());
            }
            chunk.truncate(size);
            let text = String::from_utf8(chunk)
                .map_err(|_| "live-reload connection: a chunk that is not UTF-8".to_owned())?;
            self.pending.push_str(&text);
        }
    }

    /// Whether no byte arrives within `wait` (shorter than the 15 s keep-alive) and no
    /// whole event is already waiting.
    pub fn nothing_within(&mut self, wait: Duration) -> Result<bool, String> {
        let io = |e: std::io::Error| format!("live-reload connection: {e}");
        if self.pending.contains("\n\n") {
            return Ok(false);
        }
        self.reader
            .get_ref()
            .set_read_timeout(Some(wait))
            .map_err(io)?;
        let got = self.reader.fill_buf().map(|b| b.len());
        self.reader
            .get_ref()
            .set_read_timeout(Some(WAIT))
            .map_err(io)?;
        Ok(got.is_err())
    }
}
