//! `RequestContext`: the `requestContext` object, with typed accessors for common fields.

use super::Source;
use super::json_view::JsonView;
use super::nodes::Nodes;

/// The `requestContext` object with typed accessors.
///
/// Every accessor is lazy (a scan of the object when called) and total: a field that is
/// absent or not a string gives `None`. An event without `requestContext` reads as an empty
/// object.
#[derive(Clone, Copy, Debug)]
pub struct RequestContext<'a> {
    /// An object, or `null`.
    value: JsonView<'a>,
    source: Source,
}

impl<'a> RequestContext<'a> {
    pub(crate) fn new(value: Nodes<'a>, source: Source) -> Self {
        Self {
            value: JsonView::new(value),
            source,
        }
    }

    /// The member `key`, if present.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<JsonView<'a>> {
        self.value.get(key)
    }

    /// The whole object (`null` if the event has none).
    #[must_use]
    pub fn as_json(&self) -> JsonView<'a> {
        self.value
    }

    /// `requestId` (REST, HTTP API, Function URL).
    #[must_use]
    pub fn request_id(&self) -> Option<&'a str> {
        self.string("requestId")
    }

    /// `stage` (REST, HTTP API; `$default` for Function URL).
    #[must_use]
    pub fn stage(&self) -> Option<&'a str> {
        self.string("stage")
    }

    /// `domainName`.
    #[must_use]
    pub fn domain_name(&self) -> Option<&'a str> {
        self.string("domainName")
    }

    /// `apiId` (the Function URL id for Function URL events).
    #[must_use]
    pub fn api_id(&self) -> Option<&'a str> {
        self.string("apiId")
    }

    /// `accountId`.
    #[must_use]
    pub fn account_id(&self) -> Option<&'a str> {
        self.string("accountId")
    }

    /// The client IP: REST `identity.sourceIp`, HTTP API / Function URL `http.sourceIp`;
    /// `None` for ALB, whose context has no such field (read `X-Forwarded-For` instead).
    #[must_use]
    pub fn source_ip(&self) -> Option<&'a str> {
        let parent = self.source.def().source_ip_parent?;
        self.value.get(parent)?.get("sourceIp")?.as_str()
    }

    /// `authorizer` (claims, context or IAM data, shape depending on the authorizer).
    #[must_use]
    pub fn authorizer(&self) -> Option<JsonView<'a>> {
        self.value.get("authorizer")
    }

    fn string(&self, key: &str) -> Option<&'a str> {
        self.value.get(key)?.as_str()
    }
}
