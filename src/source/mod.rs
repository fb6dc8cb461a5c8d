//! The HTTP front doors of Lambda, one module each: how a source's events are recognised
//! and read, its path rules, its response envelope, and how a plain HTTP request is
//! rendered as its event (for `lambda_router::testing` and the dev server).
//!
//! The rest of the crate asks a source's [`SourceDef`] and never matches on [`Source`], so
//! routing, dispatch, extraction and the envelopes need no change for a new source. Adding
//! one takes:
//!
//! - its module here, whose `DEF` says everything the source means: how its events are
//!   read, its trailing-slash rule, response limit and streaming, its envelope, how a
//!   plain request renders as its event, and its [`Dialect`];
//! - in this file, its [`Source`] variant, the variant's arm in [`Source::def`] (a
//!   compile error until written) and its `DEF` in [`SOURCES`] (in detection order) or in
//!   [`OTHER_SOURCES`] (not an HTTP request);
//! - in `detect.rs`, the members that tell its events from the others' (and, when one is
//!   a top-level member not read before, its slot in `event/fields.rs`'s [`RootFields`]);
//! - its public doors: the app constructor (`App::rest()`, in `app/mod.rs`) and the test
//!   event builder (`testing::rest()`, in `testing/event.rs`), and its row in the guides
//!   (`docs/crate.md`, `docs/events.md`).

mod alb;
pub(crate) mod bedrock_agent;
pub(crate) mod bedrock_agent_function;
mod detect;
mod function_url;
mod http_api;
mod lattice;
mod render;
mod rest;
mod vpc_lattice;
mod vpc_lattice_v2;

use bumpalo::Bump;

use crate::event::{EventError, EventView, RootFields};
use crate::router::TrailingSlash;
use crate::wire::EnvelopeStyle;

pub(crate) use detect::{Detected, detect};
pub(crate) use render::{PlainRequest, RenderContext, query_pairs};

/// Which AWS service sent the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// API Gateway REST API (payload 1.0) proxy integration; also an API Gateway HTTP
    /// API integration with payload format 1.0, which sends the same event.
    RestV1,
    /// API Gateway HTTP API (payload 2.0).
    HttpV2,
    /// Application Load Balancer target group (multi-value headers on or off).
    Alb,
    /// Lambda Function URL.
    FunctionUrl,
    /// VPC Lattice target group, event structure V1 (snake_case keys).
    VpcLattice,
    /// VPC Lattice target group, event structure V2 (`"version": "2.0"`).
    VpcLatticeV2,
    /// Amazon Bedrock Agents, an action group defined by an OpenAPI schema (not an HTTP
    /// request: the agent names an operation and sends its parameters).
    BedrockAgent,
    /// Amazon Bedrock Agents, an action group defined by function details (the agent
    /// names a tool and sends its arguments).
    BedrockAgentFunction,
}

/// The sources an app reads: one (`App::rest()`, ...) or any (`App::any()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Accepts {
    One(Source),
    Any,
}

impl Accepts {
    /// The source to read an event as, from its top-level members: an app for one source
    /// refuses another source's event (and a non-HTTP one) instead of misreading it; an
    /// app for any source reads each as the source that sent it.
    pub(crate) fn source_of(self, fields: &RootFields<'_>) -> Result<Source, EventError> {
        let detected = detect(fields);
        match (self, detected) {
            (_, Detected::NotHttp(what)) => Err(EventError::not_http(what)),
            (Accepts::One(source), detected) if detected.admits(source) => Ok(source),
            // A local emulator's payload 2.0 event reaches apps for every source (cargo-lambda
            // watch sends no other): the payload 2.0 reader reads it, or refuses an event
            // of a real HTTP API or Function URL with what it is.
            (Accepts::One(_), Detected::Either(Source::HttpV2, Source::FunctionUrl)) => {
                Ok(Source::HttpV2)
            }
            (Accepts::One(source), detected) => {
                let seen = detected.best().unwrap_or(source);
                Err(EventError::wrong_source(seen, source))
            }
            (Accepts::Any, detected) => match detected.best() {
                Some(seen) if !seen.is_http() => Err(EventError::wrong_source_for_any(seen)),
                Some(source) => Ok(source),
                None => Err(EventError::unknown_source()),
            },
        }
    }

    /// The one source, if the app reads one.
    pub(crate) fn one(self) -> Option<Source> {
        match self {
            Accepts::One(source) => Some(source),
            Accepts::Any => None,
        }
    }
}

/// Everything one source means.
pub(crate) struct SourceDef {
    pub(crate) source: Source,
    /// Its name on the command line of the examples and in the conformance kit
    /// (`rest`, `http`, `alb`, `function-url`, `vpc-lattice`, `vpc-lattice-v2`).
    pub(crate) name: &'static str,
    /// The service, for people ("API Gateway REST API").
    pub(crate) service: &'static str,
    /// The constructor of an app for this source (`App::rest()`).
    pub(crate) constructor: &'static str,
    /// Reads an event whose top-level members were collected, for an app that `accepts`.
    pub(crate) read:
        for<'a> fn(&RootFields<'a>, Accepts, &'a Bump) -> Result<EventView<'a>, EventError>,
    /// The JSON path of the method (for `event.invalid_method`).
    pub(crate) method_field: &'static str,
    /// The `requestContext` member holding `sourceIp`, if the source has one.
    pub(crate) source_ip_parent: Option<&'static str>,
    /// Whether a trailing `/` matters when routing.
    pub(crate) trailing_slash: TrailingSlash,
    /// The largest envelope (the whole JSON answer, in bytes) the service takes from a
    /// buffered response: see [`Source::response_limit`].
    pub(crate) response_limit: usize,
    /// Whether the service can take a streamed response: see [`Source::supports_streaming`].
    pub(crate) streaming: bool,
    /// The response envelope for one of its events.
    pub(crate) envelope: fn(&EventView<'_>, &EnvelopeOptions) -> EnvelopeStyle,
    /// A plain HTTP request rendered as this source's event.
    pub(crate) render: fn(&PlainRequest<'_>) -> serde_json::Value,
    /// Where its requests carry what HTTP puts in the path and the body, and how it
    /// answers a 422.
    pub(crate) dialect: Dialect,
}

/// How a source's requests carry path parameters and a JSON body, and the shape of its
/// 422: HTTP's way ([`HTTP`]), or another family's (an agent's, which names its
/// parameters in a list and its body's fields one by one).
#[derive(Clone, Copy)]
pub(crate) struct Dialect {
    /// Fills a matched route's path parameters from the event instead of the path.
    pub(crate) path_params:
        Option<for<'a> fn(&crate::event::Query<'a>, &mut crate::router::Params<'a>)>,
    /// The `Json` extractor reads named text values instead of JSON text.
    pub(crate) body_as_named_values: bool,
    /// The 422's body, when the source answers it in a shape of its own.
    pub(crate) validation_body:
        Option<fn(&crate::extract::ValidationError) -> crate::response::Response>,
    /// How the source answers an operation the app does not have and every error a
    /// handler raises, when it has no HTTP status to put them in: an agent's tool answers
    /// them as the text the agent reads.
    pub(crate) tool_errors: Option<ToolErrors>,
}

/// The answers of a source whose errors are text for an agent, not HTTP statuses.
#[derive(Clone, Copy)]
pub(crate) struct ToolErrors {
    /// The error of an event naming no operation the app has.
    pub(crate) unknown: fn(&EventView<'_>) -> crate::error::Error,
    /// The answer to an error nobody handled.
    pub(crate) answer: fn(&crate::error::Error) -> crate::response::Response,
}

/// HTTP's dialect: parameters from the path, a JSON text body, Powertools' HTTP 422.
pub(crate) const HTTP: Dialect = Dialect {
    path_params: None,
    body_as_named_values: false,
    validation_body: None,
    tool_errors: None,
};

/// Lambda's limit on a synchronous invocation's response payload, "6 MB", which counts
/// the whole JSON envelope. (Lambda's own error names 6,291,556 bytes; the documented
/// 6 MiB leaves those 100 bytes as a margin.)
pub(crate) const INVOKE_RESPONSE_LIMIT: usize = 6 * 1024 * 1024;

/// An Application Load Balancer's limit on the response JSON of a Lambda target, "1 MB"
/// (the whole envelope, headers included), taken as 1 MiB.
pub(crate) const ALB_RESPONSE_LIMIT: usize = 1024 * 1024;

/// The app settings an envelope choice may depend on.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EnvelopeOptions {
    /// ALB single-value mode joins repeated headers instead of keeping the last.
    pub(crate) alb_join_repeated_headers: bool,
}

/// Every source, in the order detection tries them.
pub(crate) const SOURCES: [&SourceDef; 6] = [
    &vpc_lattice::DEF,
    &vpc_lattice_v2::DEF,
    &function_url::DEF,
    &http_api::DEF,
    &alb::DEF,
    &rest::DEF,
];

/// The sources of events that are not HTTP requests, which an app reads only when built
/// for them.
pub(crate) const OTHER_SOURCES: [&SourceDef; 2] =
    [&bedrock_agent::DEF, &bedrock_agent_function::DEF];

impl Source {
    /// Whether its events are HTTP requests (an app for any source reads those only).
    pub(crate) fn is_http(self) -> bool {
        !OTHER_SOURCES.iter().any(|def| def.source == self)
    }

    /// What this source means.
    pub(crate) fn def(self) -> &'static SourceDef {
        match self {
            Source::RestV1 => &rest::DEF,
            Source::HttpV2 => &http_api::DEF,
            Source::Alb => &alb::DEF,
            Source::FunctionUrl => &function_url::DEF,
            Source::VpcLattice => &vpc_lattice::DEF,
            Source::VpcLatticeV2 => &vpc_lattice_v2::DEF,
            Source::BedrockAgent => &bedrock_agent::DEF,
            Source::BedrockAgentFunction => &bedrock_agent_function::DEF,
        }
    }

    /// Its name on the command line of the examples (`rest`, `http`, `alb`,
    /// `function-url`, `vpc-lattice`, `vpc-lattice-v2`).
    #[must_use]
    pub fn name(self) -> &'static str {
        self.def().name
    }

    /// The source named `name` (see [`name`](Self::name)).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        SOURCES
            .iter()
            .chain(&OTHER_SOURCES)
            .find(|def| def.name == name)
            .map(|def| def.source)
    }

    /// The largest buffered response the service takes, in bytes of the whole JSON
    /// envelope the function returns: 6 MiB (6,291,456, Lambda's invocation payload limit)
    /// for API Gateway REST and HTTP APIs, Function URLs and VPC Lattice; 1 MiB (1,048,576)
    /// for an Application Load Balancer. An app answers a larger response with a 500 (see
    /// [`AppBuilder::response_limit`](crate::AppBuilder::response_limit)).
    #[must_use]
    pub fn response_limit(self) -> usize {
        self.def().response_limit
    }

    /// Whether the service can invoke the function in streaming mode and send its answer
    /// as it is produced: a Function URL (invoke mode `RESPONSE_STREAM`) and an API Gateway
    /// REST API (integration response transfer mode `STREAM`). HTTP APIs, Application Load
    /// Balancers and VPC Lattice invoke Lambda synchronously only, so their answers are
    /// buffered (a streamed route's body collected, within
    /// [`response_limit`](Self::response_limit)).
    #[must_use]
    pub fn supports_streaming(self) -> bool {
        self.def().streaming
    }

    /// Every HTTP source (what [`App::any`](crate::App::any) reads).
    pub fn all() -> impl Iterator<Item = Source> {
        SOURCES.iter().map(|def| def.source)
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.def().service)
    }
}
