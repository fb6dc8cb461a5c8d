//! The Runtime API transport: HTTP/1.1 on one kept TCP connection (`TCP_NODELAY`), opened
//! again when the server closes it. Requests are written from the heads of `request.rs`
//! and the caller's bytes in one vectored write (the response is never copied); answers
//! are read by `reader.rs` into one reused buffer. No timeout anywhere: `/next` waits as
//! long as Lambda keeps the process frozen, and a post waits for its answer. No proxy
//! either: the Runtime API is a local address, whatever `HTTP_PROXY` says.

mod reader;
pub(crate) mod request;

use std::io::{self, IoSlice};
use std::net::SocketAddr;

use tokio::net::TcpStream;

use request::Target;

#[cfg(feature = "__bench")]
pub(crate) use reader::BUFFER_LIMIT;
pub(crate) use reader::{Answer, AnswerReader, Field, ReadError};

/// How an exchange failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// No connection could be opened: the Runtime API is unreachable.
    Connect(io::Error),
    /// Writing the request or reading its answer failed.
    Io(io::Error),
    /// The answer could not be read (closed early, malformed, too large).
    Read(ReadError),
}

impl Failure {
    /// Whether some of the answer had come (a request that was answered in part was
    /// received).
    pub(crate) fn answer_started(&self) -> bool {
        matches!(self, Self::Read(ReadError::Closed { started: true }))
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Connect(e) => write!(f, "the Runtime API could not be reached: {e}"),
            Self::Io(e) => write!(f, "i/o error: {e}"),
            Self::Read(e) => e.fmt(f),
        }
    }
}

/// One connection to the Runtime API, opened when first needed and again after the server
/// closed it.
#[derive(Debug)]
pub(crate) struct Connection {
    address: SocketAddr,
    /// The `Host` header's value: `AWS_LAMBDA_RUNTIME_API`'s host and port.
    host: Box<[u8]>,
    /// The path `AWS_LAMBDA_RUNTIME_API` puts before the API's (emulators have one).
    base: Box<[u8]>,
    stream: Option<TcpStream>,
    reader: AnswerReader,
    /// The head of the request being sent.
    head: Vec<u8>,
}

impl Connection {
    pub(crate) fn new(address: SocketAddr, host: &str, base: &str) -> Self {
        Self {
            address,
            host: host.as_bytes().into(),
            base: base.as_bytes().into(),
            stream: None,
            reader: AnswerReader::new(),
            head: Vec::with_capacity(512),
        }
    }

    /// The reader, holding the last answer.
    pub(crate) fn reader(&self) -> &AnswerReader {
        &self.reader
    }

    /// Opens the connection if it is not; `false` when it was opened now. An open one that
    /// the server has closed while it was idle (across a freeze, say) is opened again.
    async fn ensure_open(&mut self) -> Result<bool, Failure> {
        if let Some(stream) = &self.stream {
            let mut probe = [0; 1];
            match stream.try_read(&mut probe) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(true),
                // Closed (0), reset, or bytes nobody asked for: not usable.
                _ => self.stream = None,
            }
        }
        let stream = TcpStream::connect(self.address)
            .await
            .map_err(Failure::Connect)?;
        stream.set_nodelay(true).map_err(Failure::Connect)?;
        self.stream = Some(stream);
        self.reader.reset();
        Ok(false)
    }

    /// Writes the head that `write_head` puts in the head buffer (given the target), then
    /// `body`, in one vectored write; opens the connection first if needed. `true` when the
    /// connection was already open (so a failure may be its having gone stale).
    pub(crate) async fn send(
        &mut self,
        write_head: impl FnOnce(&mut Vec<u8>, Target<'_>),
        body: &[&[u8]],
    ) -> Result<bool, Failure> {
        let reused = self.ensure_open().await?;
        let target = Target {
            host: &self.host,
            base: &self.base,
        };
        write_head(&mut self.head, target);
        let mut slices = [IoSlice::new(&[]); 8];
        slices[0] = IoSlice::new(&self.head);
        let count = 1 + body.len().min(slices.len() - 1);
        for (slice, part) in slices[1..count].iter_mut().zip(body) {
            *slice = IoSlice::new(part);
        }
        write(&mut self.stream, &mut slices[..count]).await?;
        Ok(reused)
    }

    /// Writes `parts` on the open connection.
    pub(crate) async fn write_parts(&mut self, parts: &[&[u8]]) -> Result<(), Failure> {
        let mut slices = [IoSlice::new(&[]); 8];
        let count = parts.len().min(slices.len());
        for (slice, part) in slices.iter_mut().zip(parts) {
            *slice = IoSlice::new(part);
        }
        write(&mut self.stream, &mut slices[..count]).await
    }

    /// Reads the answer to the request sent; its head and body stay in
    /// [`reader`](Self::reader) until the next request. The connection is closed after an
    /// answer that asks for it, and after any failure.
    pub(crate) async fn answer(&mut self) -> Result<Answer, Failure> {
        let result = self.read_answer().await;
        if !matches!(&result, Ok(answer) if !answer.close) {
            self.stream = None;
        }
        result
    }

    async fn read_answer(&mut self) -> Result<Answer, Failure> {
        let Some(stream) = &self.stream else {
            return Err(Failure::Io(io::ErrorKind::NotConnected.into()));
        };
        self.reader.begin();
        // Bytes kept from before (none, from this server) may hold the answer already.
        if let Some(answer) = self.reader.decode_kept().map_err(Failure::Read)? {
            return Ok(answer);
        }
        loop {
            let spare = self.reader.spare().map_err(Failure::Read)?;
            let read = match stream.try_read(spare) {
                Ok(read) => read,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    stream.readable().await.map_err(Failure::Io)?;
                    continue;
                }
                Err(e) if e.kind() == io::ErrorKind::ConnectionReset => 0,
                Err(e) => return Err(Failure::Io(e)),
            };
            if let Some(answer) = self.reader.received(read).map_err(Failure::Read)? {
                return Ok(answer);
            }
        }
    }
}

/// Writes `slices` on `stream`, closing it on failure.
async fn write(
    stream: &mut Option<TcpStream>,
    mut slices: &mut [IoSlice<'_>],
) -> Result<(), Failure> {
    let Some(open) = stream else {
        return Err(Failure::Io(io::ErrorKind::NotConnected.into()));
    };
    while !slices.is_empty() {
        let written = match open.try_write_vectored(slices) {
            Ok(0) => Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => Ok(written),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                open.writable().await.map_err(Failure::Io)?;
                continue;
            }
            Err(e) => Err(e),
        };
        match written {
            Ok(written) => IoSlice::advance_slices(&mut slices, written),
            Err(e) => {
                *stream = None;
                return Err(Failure::Io(e));
            }
        }
    }
    Ok(())
}
