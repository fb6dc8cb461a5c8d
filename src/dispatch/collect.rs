//! A streamed body collected for a buffered answer (Lambda's buffered mode, or a route
//! that streams answered as an envelope), within the route's deadline guard and the
//! payload limit.

use crate::app::{App, Finishing};
use crate::error::Error;
use crate::event::EventView;
use crate::request::LambdaContext;
use crate::response::{
    Body, BoxError, ChunkStream, Response, ResponseContext, guarded, next_chunk,
};

use super::deadline::{collected_within_deadline, gateway_timeout};
use super::finish::deadline_guard;
use super::refuse::Refusal;

impl App {
    /// A streamed body collected for a buffered answer, within the route's deadline guard
    /// (504 when it is still being produced at the guard, logged) and the payload limit: a
    /// body larger than the limit is answered "Response too large" (500, logged) as soon as
    /// a chunk would take it over, before that chunk is copied. A stream that fails answers
    /// as an unhandled error (500, logged).
    pub(super) async fn collect_stream(
        &self,
        mut response: Response,
        finishing: &Finishing,
        view: &EventView<'_>,
        lambda: &LambdaContext,
        cx: ResponseContext<'_>,
    ) -> Response {
        let Body::Stream(stream) = std::mem::take(&mut response.body) else {
            return response;
        };
        let chunks = guarded(stream.into_chunks(), None);
        let limit = self.buffered_limit(view);
        let guard = deadline_guard(finishing, view);
        let collected =
            collected_within_deadline(collect_within(chunks, limit), guard, lambda).await;
        let bytes = match collected {
            None => return gateway_timeout(),
            Some(Ok(bytes)) => bytes,
            Some(Err(Uncollected::Failed(error))) => {
                return self.unhandled(&Error::from_boxed(error), cx);
            }
            Some(Err(Uncollected::TooLarge { at_least })) => {
                let refusal = Refusal::BodyTooLarge { at_least, limit };
                return self.refusal_response(&refusal, finishing, view);
            }
        };
        response.body = match String::from_utf8(bytes) {
            Ok(text) => Body::Text(text.into()),
            Err(binary) => Body::Binary(binary.into_bytes().into()),
        };
        response
    }
}

/// Why a streamed body was not collected.
enum Uncollected {
    /// The stream ended with this error.
    Failed(BoxError),
    /// The next chunk would take the body past the limit: at least this many bytes.
    TooLarge { at_least: usize },
}

/// Every chunk of `chunks`, as long as the body stays within `limit` bytes: each chunk is
/// checked before it is copied, so a chunk of any size past the limit costs nothing more.
async fn collect_within(mut chunks: ChunkStream, limit: usize) -> Result<Vec<u8>, Uncollected> {
    let mut collected = Vec::new();
    while let Some(chunk) = next_chunk(&mut chunks).await {
        let chunk = chunk.map_err(Uncollected::Failed)?;
        let size = collected.len().saturating_add(chunk.len());
        if size > limit {
            return Err(Uncollected::TooLarge { at_least: size });
        }
        collected.extend_from_slice(&chunk);
    }
    Ok(collected)
}
