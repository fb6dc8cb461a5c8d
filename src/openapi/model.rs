//! The OpenAPI document as typed values, serialized with serde. Only the objects this
//! library writes are modelled, in the fields 3.0 and 3.1 share; schemas are `schemars`'
//! JSON Schema, in the forms of the document's [`Target`](super::Target).

use std::collections::BTreeMap;

use schemars::Schema;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::extract::Location;

/// The root object.
#[derive(Debug, Serialize)]
pub(crate) struct Document {
    pub(crate) openapi: &'static str,
    pub(crate) info: Info,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) servers: Vec<Server>,
    pub(crate) paths: BTreeMap<String, PathItem>,
    #[serde(skip_serializing_if = "Components::is_empty")]
    pub(crate) components: Components,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) security: Vec<SecurityRequirement>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) tags: Vec<Tag>,
}

/// The API's title, version and description.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Info {
    pub(crate) title: String,
    pub(crate) version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
}

/// Where the API is served.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Server {
    pub(crate) url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
}

/// A tag with its description.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Tag {
    pub(crate) name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
}

/// Security scheme names, each with its scopes (`[]` for schemes without scopes).
pub(crate) type SecurityRequirement = BTreeMap<String, Vec<String>>;

/// The requirement of one scheme with its scopes.
pub(crate) fn security_requirement<S: Into<String>>(
    scheme: impl Into<String>,
    scopes: impl IntoIterator<Item = S>,
) -> SecurityRequirement {
    BTreeMap::from([(scheme.into(), scopes.into_iter().map(Into::into).collect())])
}

/// The operations of one path, by lower-case method (`get`, `post`, ...). OpenAPI names
/// eight methods; any other has no place in the document.
pub(crate) type PathItem = BTreeMap<&'static str, OperationObject>;

/// One operation.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OperationObject {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) operation_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) parameters: Vec<Parameter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) request_body: Option<RequestBody>,
    pub(crate) responses: BTreeMap<String, ResponseObject>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) deprecated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) security: Option<Vec<SecurityRequirement>>,
    /// `x-` extensions.
    #[serde(flatten)]
    pub(crate) extensions: Map<String, Value>,
}

/// A path, query or header parameter.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Parameter {
    pub(crate) name: String,
    #[serde(rename = "in")]
    pub(crate) location: Location,
    pub(crate) required: bool,
    pub(crate) schema: Schema,
    /// `form` + `explode` for a list in the query (`?tag=a&tag=b`), the default spelled out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) explode: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
}

/// A request body.
#[derive(Debug, Serialize)]
pub(crate) struct RequestBody {
    pub(crate) required: bool,
    pub(crate) content: BTreeMap<String, MediaType>,
}

/// One response.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ResponseObject {
    pub(crate) description: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) headers: BTreeMap<String, HeaderObject>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) content: BTreeMap<String, MediaType>,
}

/// A response header.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HeaderObject {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    pub(crate) required: bool,
    pub(crate) schema: Schema,
}

/// A body's schema, when the document states one.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MediaType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) schema: Option<Schema>,
}

/// Reusable schemas and the security schemes.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Components {
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub(crate) schemas: Map<String, Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) security_schemes: BTreeMap<String, Value>,
}

impl Components {
    fn is_empty(&self) -> bool {
        self.schemas.is_empty() && self.security_schemes.is_empty()
    }
}
