//! Telling the source of an event from a few members, without a trial parse.
//!
//! The top-level members were collected in the one pass every read makes
//! ([`RootFields`]); at most `requestContext` is scanned, and only until a member decides.
//! A member whose value is `null` is absent here as everywhere: it tells nothing.
//!
//! | the event has | source |
//! |---|---|
//! | `raw_path` | VPC Lattice v1 |
//! | `rawPath` | HTTP API (2.0) or Function URL: the payload 2.0 reader tells them apart by `requestContext.domainName` in its own pass over `requestContext` (a local emulator's event, `localhost` without `apiId`, is a Function URL's, read by every app) |
//! | `version: "2.0"`, `path` and `method` | VPC Lattice v2 |
//! | `httpMethod`, and `requestContext.elb` | ALB |
//! | `httpMethod`, and `requestContext` with `apiId`, `stage`, `resourcePath` or `identity` | API Gateway REST (or HTTP API payload 1.0) |
//! | `httpMethod` without a telling `requestContext` | REST or ALB (read alike) |
//! | `apiPath` (or `actionGroup` without `function`) | Amazon Bedrock Agents, OpenAPI action group |
//! | `actionGroup` and `function` (without `apiPath`) | Amazon Bedrock Agents, function-details action group |
//! | `methodArn` / `routeArn`, `statusCode`, `requestContext.connectionId` | not an HTTP request |

use crate::event::{Members, Nodes, RootFields, is_null, object_body, string_of};

use super::Source;

/// What an event's members say about its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Detected {
    /// Only this source sends such an event.
    One(Source),
    /// Either source could have sent it (the event carries nothing that tells them
    /// apart, and both read it alike); the first is how an app for any source reads it.
    Either(Source, Source),
    /// Not an HTTP request: what it looks like.
    NotHttp(&'static str),
    /// No source's shape (a malformed event: the reader reports what is missing).
    Unknown,
}

impl Detected {
    /// Whether an app for `source` may read the event.
    pub(crate) fn admits(self, source: Source) -> bool {
        match self {
            Detected::One(only) => only == source,
            Detected::Either(first, second) => source == first || source == second,
            Detected::NotHttp(_) => false,
            Detected::Unknown => true,
        }
    }

    /// The source an app for any source reads the event as.
    pub(crate) fn best(self) -> Option<Source> {
        match self {
            Detected::One(source) | Detected::Either(source, _) => Some(source),
            Detected::NotHttp(_) | Detected::Unknown => None,
        }
    }
}

/// The source of the event whose top-level members are `fields`.
pub(crate) fn detect(fields: &RootFields<'_>) -> Detected {
    if let Some(what) = fields.not_http {
        return Detected::NotHttp(what);
    }
    if has(fields.api_path) || has(fields.action_group) {
        return if has(fields.function) && !has(fields.api_path) {
            Detected::One(Source::BedrockAgentFunction)
        } else {
            Detected::One(Source::BedrockAgent)
        };
    }
    if has(fields.raw_path_snake) {
        return Detected::One(Source::VpcLattice);
    }
    if has(fields.raw_path) {
        return Detected::Either(Source::HttpV2, Source::FunctionUrl);
    }
    let context = fields.request_context.and_then(object_body);
    let version = fields.version.and_then(string_of);
    if version == Some("2.0") && has(fields.path) && has(fields.method) {
        return Detected::One(Source::VpcLatticeV2);
    }
    if has(fields.http_method) {
        return match context.map_or(Telling::Nothing, telling_member) {
            Telling::Elb => Detected::One(Source::Alb),
            Telling::ApiGateway => Detected::One(Source::RestV1),
            Telling::Nothing => Detected::Either(Source::RestV1, Source::Alb),
        };
    }
    let websocket = context.is_some_and(|body| {
        present_members(body).any(|name| matches!(name, "connectionId" | "eventType"))
    });
    if websocket {
        return Detected::NotHttp("an API Gateway WebSocket event");
    }
    Detected::Unknown
}

/// What the `requestContext` of an event with `httpMethod` says about the service.
enum Telling {
    Elb,
    ApiGateway,
    Nothing,
}

/// The first member of a `requestContext` body that tells the service.
fn telling_member(body: Nodes<'_>) -> Telling {
    for name in present_members(body) {
        match name {
            "elb" => return Telling::Elb,
            "apiId" | "stage" | "resourcePath" | "identity" => return Telling::ApiGateway,
            _ => {}
        }
    }
    Telling::Nothing
}

/// Whether a member is there: present and not `null` (the readers' rule too).
fn has(member: Option<Nodes<'_>>) -> bool {
    member.is_some_and(|value| !is_null(value))
}

/// The names of the members of an object body whose value is not `null`: a `null` member
/// tells nothing, as if absent.
fn present_members(body: Nodes<'_>) -> impl Iterator<Item = &str> {
    Members::of(body)
        .filter(|(_, value)| !is_null(value))
        .map(|(name, _)| name)
}
