//! The bench app (`perf/bench/src`) on the conformance kit's line contract: one event per
//! stdin line, one response per stdout line, for both sides of the comparison, with the
//! same line handling, so that `perf/line_contract.sh` counts a whole process per event.
//!
//! ```sh
//! line_contract <ours|peer> <rest|http|alb|function-url> < events.jsonl
//! ```

use std::io::{BufRead, Write};

use lambda_router::{LambdaContext, Scratch, Source};
use lambda_router_perf::{ours, peer::Peer};

/// Answers one event, writing the response JSON (no newline).
type Answer = Box<dyn FnMut(&[u8], &mut dyn Write) -> std::io::Result<()>>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [side, source] = args.as_slice() else {
        return Err("usage: line_contract <ours|peer> <rest|http|alb|function-url>".into());
    };
    let source = match source.as_str() {
        "rest" => Source::RestV1,
        "http" => Source::HttpV2,
        "alb" => Source::Alb,
        "function-url" => Source::FunctionUrl,
        other => return Err(format!("unknown source {other}").into()),
    };
    let mut answer: Answer = match side.as_str() {
        "ours" => {
            let app = ours::app(source);
            let mut scratch = Scratch::new();
            let lambda = LambdaContext::with_request_id("00000000-0000-4000-8000-000000000000");
            Box::new(
                move |event, out| match app.handle_blocking(&mut scratch, event, &lambda) {
                    Ok(response) => out.write_all(response),
                    Err(error) => out.write_all(error.to_string().as_bytes()),
                },
            )
        }
        "peer" => {
            let mut peer = Peer::new();
            Box::new(move |event, out| out.write_all(&peer.invoke(event)))
        }
        other => return Err(format!("unknown side {other}").into()),
    };
    // The conformance example's reading and writing (see examples/conformance.rs).
    let mut input = std::io::BufReader::with_capacity(1 << 16, std::io::stdin().lock());
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut partial = Vec::new();
    loop {
        if input.buffer().is_empty() {
            out.flush()?;
        }
        let buffered = input.fill_buf()?;
        if buffered.is_empty() {
            if !partial.trim_ascii().is_empty() {
                answer(partial.trim_ascii(), &mut out)?;
                out.write_all(b"\n")?;
            }
            break;
        }
        let Some(end) = memchr::memchr(b'\n', buffered) else {
            partial.extend_from_slice(buffered);
            let read = buffered.len();
            input.consume(read);
            continue;
        };
        let line = if partial.is_empty() {
            &buffered[..end]
        } else {
            partial.extend_from_slice(&buffered[..end]);
            &partial[..]
        };
        if !line.trim_ascii().is_empty() {
            answer(line.trim_ascii(), &mut out)?;
            out.write_all(b"\n")?;
        }
        partial.clear();
        input.consume(end + 1);
    }
    out.flush()?;
    Ok(())
}
