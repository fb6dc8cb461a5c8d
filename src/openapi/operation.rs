//! [`Operation`]: what a route adds to its entry in the OpenAPI document.

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value};

use super::model::security_requirement;

/// Makes a schema when the document is built (never before it is asked for).
pub(crate) type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// A route's OpenAPI metadata (Powertools' `summary=`, `description=`, `tags=`,
/// `operation_id=`, `responses=`, ... arguments of a route decorator). Give it with
/// [`AppBuilder::doc`](crate::AppBuilder::doc) right after the route, with
/// [`Router::doc`](crate::Router::doc), or [`Route::doc`](crate::Route::doc).
///
/// ```
/// use lambda_router::openapi::Operation;
///
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct Todo { id: u64, title: String }
///
/// let create = Operation::new()
///     .summary("Create a todo")
///     .tag("todos")
///     .operation_id("createTodo")
///     .returns::<Todo>(201, "The todo created")
///     .response_header(201, "Location", "Where to read it")
///     .error(404, "No such list");
/// # let _ = create;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Operation {
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) operation_id: Option<String>,
    pub(crate) deprecated: bool,
    pub(crate) security: Option<Vec<BTreeMap<String, Vec<String>>>>,
    pub(crate) responses: BTreeMap<u16, DeclaredResponse>,
    pub(crate) extensions: Map<String, Value>,
    pub(crate) hidden: bool,
}

/// One response a route declares.
#[derive(Debug, Clone, Default)]
pub(crate) struct DeclaredResponse {
    pub(crate) description: String,
    /// Its content type, and the schema of its body when the document states one.
    pub(crate) body: Option<(String, Option<SchemaFn>)>,
    pub(crate) headers: Vec<(String, String)>,
}

impl Operation {
    /// No metadata yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A one-line summary.
    #[must_use]
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = Some(summary.into());
        self
    }

    /// A longer description (CommonMark).
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Adds a tag (Swagger UI groups operations by tag).
    #[must_use]
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// The operation's id, unique in the document (a route of several methods gets
    /// `<id>_<method>` for each).
    #[must_use]
    pub fn operation_id(mut self, id: impl Into<String>) -> Self {
        self.operation_id = Some(id.into());
        self
    }

    /// Marks the operation deprecated.
    #[must_use]
    pub fn deprecated(mut self, deprecated: bool) -> Self {
        self.deprecated = deprecated;
        self
    }

    /// Requires the security scheme `scheme` (declared with
    /// [`OpenApi::security_scheme`](super::OpenApi::security_scheme)) with `scopes`; each
    /// call adds an alternative. Replaces the app's requirement for this operation.
    #[must_use]
    pub fn security<S: Into<String>>(
        mut self,
        scheme: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.security
            .get_or_insert_with(Vec::new)
            .push(security_requirement(scheme, scopes));
        self
    }

    /// This operation needs no security, whatever the app requires.
    #[must_use]
    pub fn no_security(mut self) -> Self {
        self.security = Some(Vec::new());
        self
    }

    /// A response of status `status` whose body is JSON of type `T`. A route that
    /// declares no response is documented as answering 200.
    #[must_use]
    pub fn returns<T: JsonSchema + ?Sized>(mut self, status: u16, description: &str) -> Self {
        let body: SchemaFn = |generator| generator.subschema_for::<T>();
        let response = self.declared(status, Some(description));
        response.body = Some(("application/json".to_owned(), Some(body)));
        self
    }

    /// A response of status `status` whose body is text (`text/plain`).
    #[must_use]
    pub fn returns_text(mut self, status: u16, description: &str) -> Self {
        let body: SchemaFn = |generator| generator.subschema_for::<str>();
        let response = self.declared(status, Some(description));
        response.body = Some(("text/plain".to_owned(), Some(body)));
        self
    }

    /// A response of status `status` whose body is of `content_type`, in a shape the
    /// document does not state (an image, a JSON value of no declared type).
    #[must_use]
    pub fn returns_content(mut self, status: u16, content_type: &str, description: &str) -> Self {
        let response = self.declared(status, Some(description));
        response.body = Some((content_type.to_owned(), None));
        self
    }

    /// A response of status `status` with no body (a 204, say).
    #[must_use]
    pub fn response(mut self, status: u16, description: &str) -> Self {
        self.declared(status, Some(description));
        self
    }

    /// A response of status `status` with the body of a
    /// [`ServiceError`](crate::ServiceError) (`{"statusCode":404,"message":"..."}`), as
    /// the library's default error answers have.
    #[must_use]
    pub fn error(mut self, status: u16, description: &str) -> Self {
        let body: SchemaFn =
            |generator| generator.subschema_for::<crate::response::ServiceErrorBody<'static>>();
        let response = self.declared(status, Some(description));
        response.body = Some(("application/json".to_owned(), Some(body)));
        self
    }

    /// A header the response of status `status` always has (a response not declared yet
    /// is declared with the description "Response", which declaring it replaces).
    #[must_use]
    pub fn response_header(mut self, status: u16, name: &str, description: &str) -> Self {
        let response = self.declared(status, None);
        response
            .headers
            .push((name.to_owned(), description.to_owned()));
        self
    }

    /// A specification extension (`x-...`); a name without the `x-` prefix gets it.
    #[must_use]
    pub fn extension(mut self, name: &str, value: Value) -> Self {
        let name = if name.starts_with("x-") {
            name.to_owned()
        } else {
            format!("x-{name}")
        };
        self.extensions.insert(name, value);
        self
    }

    /// Leaves the route out of the document.
    #[must_use]
    pub fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }

    /// The response of `status`, described by `description` when one is given, and
    /// "Response" when it was never described.
    fn declared(&mut self, status: u16, description: Option<&str>) -> &mut DeclaredResponse {
        let response = self
            .responses
            .entry(status)
            .or_insert_with(|| DeclaredResponse {
                description: "Response".to_owned(),
                ..DeclaredResponse::default()
            });
        if let Some(description) = description {
            description.clone_into(&mut response.description);
        }
        response
    }
}
