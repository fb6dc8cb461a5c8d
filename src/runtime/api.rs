//! The Lambda Runtime API's requests on one [`Connection`]: the next invocation (its
//! headers read straight into a reused [`LambdaContext`]), the response (whole or
//! streamed), the invocation error and the init error, and what each answer means:
//!
//! - a connection that closes or resets (across a freeze, after an oversized post, in the
//!   middle of an event) is opened again, and `/next` asked again: the Runtime API hands
//!   an unanswered invocation out again, so none is lost;
//! - a post whose answer never came is sent once more on a new connection: either it had
//!   not arrived, or the Runtime API refuses the copy (400/403), which is logged;
//! - a refusal of one invocation's post (400 `InvalidRequestID`, 403
//!   `InvalidStateTransition`, 410 on Managed Instances, 413 `RequestEntityTooLarge`) is
//!   logged and the loop goes on; an unreachable Runtime API, a 5xx, or a `/next` that
//!   cannot be read three times running ends the loop with a [`RuntimeApiError`].

use super::transport::request::{self, Ids, NEXT_NAME, Post, Target};
use super::transport::{Answer, Connection, Failure, Field};
use crate::LambdaContext;

/// How many times running `/next` may fail on the transport before the loop gives up.
const NEXT_ATTEMPTS: usize = 3;

/// A request to the Runtime API failed in a way the loop cannot go on from: which request,
/// and how. The source of [`RunError::RuntimeApi`](super::RunError::RuntimeApi).
#[derive(Debug)]
pub struct RuntimeApiError {
    request: &'static str,
    failure: ApiFailure,
}

#[derive(Debug)]
enum ApiFailure {
    Transport(Failure),
    /// The Runtime API answered with this status (and this `errorType`, when it said).
    Status(u16, Option<String>),
    /// `/next` delivered an invocation without a request id that can be answered.
    NoRequestId,
}

impl RuntimeApiError {
    /// The request that failed, such as `GET /runtime/invocation/next`.
    #[must_use]
    pub fn request(&self) -> &'static str {
        self.request
    }

    /// The status the Runtime API answered, when the failure is its answer.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self.failure {
            ApiFailure::Status(status, _) => Some(status),
            _ => None,
        }
    }
}

impl std::fmt::Display for RuntimeApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed: ", self.request)?;
        match &self.failure {
            ApiFailure::Transport(failure) => failure.fmt(f),
            ApiFailure::Status(status, Some(kind)) => {
                write!(f, "the Runtime API answered {status} ({kind})")
            }
            ApiFailure::Status(status, None) => write!(f, "the Runtime API answered {status}"),
            ApiFailure::NoRequestId => f.write_str("the invocation has no usable request id"),
        }
    }
}

impl std::error::Error for RuntimeApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.failure {
            ApiFailure::Transport(Failure::Connect(e) | Failure::Io(e)) => Some(e),
            _ => None,
        }
    }
}

fn failed(request: &'static str, failure: ApiFailure) -> RuntimeApiError {
    RuntimeApiError { request, failure }
}

/// The Runtime API of this execution environment, as one invocation loop speaks to it.
#[derive(Debug)]
pub(super) struct RuntimeApi {
    connection: Connection,
    /// The Managed Instances invocation id of the invocation in hand, echoed on its answer.
    invocation_id: Vec<u8>,
    has_invocation_id: bool,
}

impl RuntimeApi {
    pub(super) fn new(connection: Connection) -> Self {
        Self {
            connection,
            invocation_id: Vec::with_capacity(64),
            has_invocation_id: false,
        }
    }

    /// Waits for the next invocation (as long as it takes: no timeout); its request id,
    /// deadline, function ARN and trace header are written into `context` (the strings
    /// keep their capacity). The event, until the next request.
    pub(super) async fn next(
        &mut self,
        context: &mut LambdaContext,
    ) -> Result<&[u8], RuntimeApiError> {
        let mut failures = 0;
        let answer = loop {
            let sent = self.connection.send(request::next, &[]).await;
            let answer = match sent {
                Ok(_) => self.connection.answer().await,
                Err(failure) => Err(failure),
            };
            match answer {
                // 204: no invocation yet, poll again (local emulators such as `cargo lambda
                // watch` answer so to keep an idle function alive).
                Ok(answer) if answer.status == 204 => failures = 0,
                Ok(answer) if answer.status == 200 => break answer,
                Ok(answer) => {
                    let kind = error_type(self.connection.reader().body(&answer));
                    return Err(failed(NEXT_NAME, ApiFailure::Status(answer.status, kind)));
                }
                Err(failure @ Failure::Connect(_)) => {
                    return Err(failed(NEXT_NAME, ApiFailure::Transport(failure)));
                }
                Err(failure) => {
                    failures += 1;
                    if failures >= NEXT_ATTEMPTS {
                        return Err(failed(NEXT_NAME, ApiFailure::Transport(failure)));
                    }
                    tracing::warn!(%failure, "lambda-router: /next failed; asking again on a new connection");
                }
            }
        };
        let reader = self.connection.reader();
        let request_id = reader
            .field(Field::RequestId)
            .filter(|id| request::is_path_safe(id))
            .and_then(|id| std::str::from_utf8(id).ok())
            .ok_or_else(|| failed(NEXT_NAME, ApiFailure::NoRequestId))?;
        replace(&mut context.request_id, request_id);
        context.deadline_ms = reader
            .field(Field::DeadlineMs)
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let arn = reader
            .field(Field::FunctionArn)
            .and_then(|v| std::str::from_utf8(v).ok());
        replace(&mut context.invoked_function_arn, arn.unwrap_or_default());
        match reader
            .field(Field::TraceId)
            .and_then(|v| std::str::from_utf8(v).ok())
        {
            Some(trace) => replace(context.xray_trace_id.get_or_insert_default(), trace),
            None => context.xray_trace_id = None,
        }
        self.invocation_id.clear();
        self.has_invocation_id = false;
        if let Some(id) = reader.field(Field::InvocationId) {
            self.invocation_id.extend_from_slice(id);
            self.has_invocation_id = true;
        }
        Ok(reader.body(&answer))
    }

    /// Posts `body` as `post` for the invocation `request_id` (or the init error), and
    /// reads its answer. Sent once more on a new connection when no answer came.
    pub(super) async fn post(
        &mut self,
        post: Post,
        request_id: &str,
        body: &[u8],
    ) -> Result<(), RuntimeApiError> {
        let ids = Ids {
            request_id: request_id.as_bytes(),
            invocation_id: self.has_invocation_id.then_some(&self.invocation_id[..]),
        };
        let mut retried = false;
        loop {
            let write_head = |head: &mut Vec<u8>, target: Target<'_>| {
                request::post(head, target, post, ids, body.len())
            };
            let sent = self.connection.send(write_head, &[body]).await;
            // A failed write may still have its answer (a 413 before the server closed).
            let answer = match sent {
                Err(failure @ Failure::Connect(_)) => Err(failure),
                Ok(_) | Err(_) => self.connection.answer().await,
            };
            match answer {
                Ok(answer) => return self.answered(post, &answer),
                Err(failure @ Failure::Connect(_)) => {
                    return Err(failed(post.name(), ApiFailure::Transport(failure)));
                }
                Err(failure) if retried || failure.answer_started() => {
                    tracing::error!(request = post.name(), %failure, "lambda-router: the post got no answer; going on to the next invocation");
                    return Ok(());
                }
                Err(failure) => {
                    tracing::warn!(request = post.name(), %failure, "lambda-router: the post got no answer; sending it again on a new connection");
                    retried = true;
                }
            }
        }
    }

    /// Starts a streamed response: its head and the body's `first` parts, in one write. The
    /// rest follows on [`connection`](Self::connection), then [`end_stream`](Self::end_stream).
    pub(super) async fn start_stream(
        &mut self,
        request_id: &str,
        first: &[&[u8]],
    ) -> Result<(), Failure> {
        let ids = Ids {
            request_id: request_id.as_bytes(),
            invocation_id: self.has_invocation_id.then_some(&self.invocation_id[..]),
        };
        let write_head = |head: &mut Vec<u8>, target: Target<'_>| {
            request::post(head, target, Post::Streamed, ids, 0)
        };
        self.connection.send(write_head, first).await.map(|_| ())
    }

    /// The connection a streamed body is written on.
    pub(super) fn connection(&mut self) -> &mut Connection {
        &mut self.connection
    }

    /// Ends a streamed response whose head and body were sent (`sent`): reads its answer.
    /// A stream cannot be sent twice, so a failure here is logged, not retried.
    ///
    /// The connection is kept for the next `/next` once the answer is read whole, as after
    /// any post. AWS's custom-runtime guide says to "close the underlying connection after
    /// it has successfully written the response"; the Runtime API itself does not need it:
    /// a chunked body ends at its last chunk and trailers, RAPID answers it with a
    /// `Content-Length` 202 on a keep-alive connection and closes only a stream it cuts off
    /// (a timeout or reset), and AWS's Node.js runtime client, the one streaming was built
    /// for, sends its streams on a keep-alive agent of one socket that it reuses for the
    /// next stream, the init error and (with its alternative client) `/next`. Keeping it
    /// saves a connect per invocation, and with it tokio's allocations for registering a new
    /// socket. The connection is still closed whenever the answer asks for it
    /// (`Connection: close`) or cannot be read, and one the server closed while idle is
    /// opened again before the next request.
    pub(super) async fn end_stream(
        &mut self,
        sent: Result<(), Failure>,
    ) -> Result<(), RuntimeApiError> {
        let answer = match sent {
            Err(failure @ Failure::Connect(_)) => Err(failure),
            Ok(()) | Err(_) => self.connection.answer().await,
        };
        match answer {
            Ok(answer) => self.answered(Post::Streamed, &answer),
            Err(failure @ Failure::Connect(_)) => Err(failed(
                Post::Streamed.name(),
                ApiFailure::Transport(failure),
            )),
            Err(failure) => {
                tracing::error!(%failure, "lambda-router: the streamed response failed; going on to the next invocation");
                Ok(())
            }
        }
    }

    /// What the answer to a post means for the loop.
    fn answered(&self, post: Post, answer: &Answer) -> Result<(), RuntimeApiError> {
        let status = answer.status;
        if (200..300).contains(&status) {
            return Ok(());
        }
        let kind = error_type(self.connection.reader().body(answer));
        if (400..500).contains(&status) {
            // This invocation is over (answered already, timed out, too large): the loop
            // goes on to the next one.
            tracing::error!(
                request = post.name(),
                status,
                error_type = kind.as_deref().unwrap_or_default(),
                "lambda-router: the Runtime API refused a post"
            );
            return Ok(());
        }
        Err(failed(post.name(), ApiFailure::Status(status, kind)))
    }
}

/// The `errorType` of a Runtime API error document (`{"errorType": .., "errorMessage": ..}`).
fn error_type(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Document {
        #[serde(rename = "errorType")]
        error_type: String,
    }
    serde_json::from_slice::<Document>(body)
        .ok()
        .map(|document| document.error_type)
}

/// Lambda's error document, `{"errorType": .., "errorMessage": ..}`, written into `out`.
pub(super) fn diagnostic(out: &mut Vec<u8>, error_type: &str, message: &str) {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Diagnostic<'a> {
        error_type: &'a str,
        error_message: &'a str,
    }
    out.clear();
    // Writing into a `Vec` cannot fail, and two strings always serialize.
    let _ = serde_json::to_writer(
        &mut *out,
        &Diagnostic {
            error_type,
            error_message: message,
        },
    );
}

/// Overwrites `target` with `value`, reusing its buffer.
fn replace(target: &mut String, value: &str) {
    target.clear();
    target.push_str(value);
}
