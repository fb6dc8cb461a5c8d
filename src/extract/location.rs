//! [`Location`]: where in a request an input is read, named alike in a 422's `loc` and in
//! an OpenAPI parameter's `in`.

use serde::{Serialize, Serializer};

/// Where an input is read: the first step of the `loc` of its errors, and the `in` of its
/// OpenAPI parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// A path parameter (`Path`).
    Path,
    /// A query parameter (`Query`).
    Query,
    /// A request header (`Headers`).
    Header,
    /// The JSON body (`Json`).
    Body,
}

impl Location {
    /// The name sent: `path`, `query`, `header` or `body`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Body => "body",
        }
    }
}

impl Serialize for Location {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
