//! An OpenAPI document of the app's routes (3.1, or 3.0 for the tools and the Bedrock
//! agents that read no 3.1: see [`Target`]), and Swagger UI to read it.
//!
//! [`AppBuilder::openapi`](crate::AppBuilder::openapi) serves the document at
//! `/openapi.json` and Swagger UI at `/swagger`, and [`App::openapi_json`](crate::App::openapi_json)
//! gives it to the program (to write the schema of a Bedrock agent's action group, say). Every route is in it (path, method, the
//! metadata given with [`AppBuilder::doc`](crate::AppBuilder::doc)); a handler of typed
//! arguments adds its parameters, body and the 422 answer, with the schemas of the types
//! given with [`rebind!(documented: ..)`](crate::rebind). The document is built the first
//! time it is asked for, never while answering other requests.
//!
//! ```
//! use lambda_router::extract::{Json, Path};
//! use lambda_router::openapi::{OpenApi, Operation};
//! use lambda_router::App;
//!
//! #[derive(serde::Deserialize, schemars::JsonSchema)]
//! struct NewTodo { title: String }
//! #[derive(serde::Serialize, schemars::JsonSchema)]
//! struct Todo { id: u64, title: String }
//! lambda_router::rebind!(documented: NewTodo);
//!
//! fn create(Path(list): Path<u32>, Json(new): Json<NewTodo>) -> (u16, lambda_router::Json<Todo>) {
//!     (201, lambda_router::Json(Todo { id: u64::from(list), title: new.title }))
//! }
//!
//! let app = App::rest()
//!     .post("/lists/<list>/todos", create)
//!     .doc(Operation::new().summary("Create a todo").returns::<Todo>(201, "Created"))
//!     .openapi(OpenApi::new("Todos", "1.0"))
//!     .build();
//! assert!(app.is_ok());
//! ```
//!
//! See the [guide](crate::guide::typed) for the Powertools equivalents.

mod document;
mod model;
mod openapi30;
mod operation;
mod serve;
mod target;

use std::collections::BTreeMap;

pub use operation::Operation;
pub use schemars::{JsonSchema, Schema, SchemaGenerator};
pub use serve::SwaggerUi;
pub use target::Target;

pub(crate) use document::RouteDoc;
pub(crate) use serve::Served;

use model::{Info, SecurityRequirement, Server, Tag, security_requirement};
use serde_json::{Value, json};

use crate::extract::Location;

/// The app's part of the document and where it is served: give it to
/// [`AppBuilder::openapi`](crate::AppBuilder::openapi).
///
/// Powertools' `enable_swagger(title=.., version=.., servers=.., security_schemes=..)`.
#[derive(Debug, Clone)]
pub struct OpenApi {
    pub(crate) info: Info,
    pub(crate) servers: Vec<Server>,
    pub(crate) tags: Vec<Tag>,
    pub(crate) security_schemes: BTreeMap<String, Value>,
    pub(crate) security: Vec<SecurityRequirement>,
    pub(crate) json_path: String,
    pub(crate) swagger_path: Option<String>,
    /// `None`: the CDN's files.
    pub(crate) swagger_ui: Option<SwaggerUi>,
    pub(crate) document_own_routes: bool,
    /// `None`: chosen by the app's source.
    pub(crate) target: Option<Target>,
}

impl OpenApi {
    /// The document of an API called `title`, at `version`; served at `/openapi.json`,
    /// with Swagger UI at `/swagger`.
    #[must_use]
    pub fn new(title: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            info: Info {
                title: title.into(),
                version: version.into(),
                description: None,
            },
            servers: Vec::new(),
            tags: Vec::new(),
            security_schemes: BTreeMap::new(),
            security: Vec::new(),
            json_path: "/openapi.json".to_owned(),
            swagger_path: Some("/swagger".to_owned()),
            swagger_ui: None,
            document_own_routes: false,
            target: None,
        }
    }

    /// The API's description (CommonMark).
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.info.description = Some(description.into());
        self
    }

    /// Adds a server URL the API is served at.
    #[must_use]
    pub fn server(mut self, url: impl Into<String>, description: Option<&str>) -> Self {
        self.servers.push(Server {
            url: url.into(),
            description: description.map(str::to_owned),
        });
        self
    }

    /// Describes a tag the operations use.
    #[must_use]
    pub fn tag(mut self, name: impl Into<String>, description: impl Into<String>) -> Self {
        self.tags.push(Tag {
            name: name.into(),
            description: Some(description.into()),
        });
        self
    }

    /// Declares a security scheme under `name`.
    #[must_use]
    pub fn security_scheme(mut self, name: impl Into<String>, scheme: SecurityScheme) -> Self {
        self.security_schemes.insert(name.into(), scheme.0);
        self
    }

    /// Requires the scheme `scheme` with `scopes` for every operation (unless one says
    /// otherwise); each call adds an alternative.
    #[must_use]
    pub fn security<S: Into<String>>(
        mut self,
        scheme: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.security.push(security_requirement(scheme, scopes));
        self
    }

    /// Where the document is served (`/openapi.json` by default).
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.json_path = path.into();
        self
    }

    /// Where Swagger UI is served (`/swagger` by default); `None` serves none.
    #[must_use]
    pub fn swagger_path(mut self, path: Option<&str>) -> Self {
        self.swagger_path = path.map(str::to_owned);
        self
    }

    /// Where the Swagger UI page loads its script and style from.
    #[must_use]
    pub fn swagger_ui(mut self, assets: SwaggerUi) -> Self {
        self.swagger_ui = Some(assets);
        self
    }

    /// Who the document is written for (see [`Target`]): OpenAPI 3.1 by default, and what
    /// a Bedrock agent takes for an app of [`App::bedrock_agent`](crate::App::bedrock_agent).
    #[must_use]
    pub fn target(mut self, target: Target) -> Self {
        self.target = Some(target);
        self
    }

    /// Puts the document's and Swagger UI's own routes in the document (left out by
    /// default).
    #[must_use]
    pub fn document_own_routes(mut self, on: bool) -> Self {
        self.document_own_routes = on;
        self
    }
}

/// A security scheme of the document (`components.securitySchemes`).
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme(Value);

impl SecurityScheme {
    /// `Authorization: Bearer <token>` (a JWT, say, as API Gateway authorizers take).
    #[must_use]
    pub fn bearer(format: Option<&str>) -> Self {
        let mut scheme = json!({ "type": "http", "scheme": "bearer" });
        if let (Some(format), Some(object)) = (format, scheme.as_object_mut()) {
            object.insert("bearerFormat".to_owned(), Value::from(format));
        }
        Self(scheme)
    }

    /// An API key in the header `name` (`x-api-key` for API Gateway usage plans).
    #[must_use]
    pub fn api_key_header(name: &str) -> Self {
        Self(json!({ "type": "apiKey", "in": Location::Header, "name": name }))
    }

    /// Any scheme, written as its Security Scheme Object (OAuth 2, OpenID Connect, ...).
    #[must_use]
    pub fn from_json(object: Value) -> Self {
        Self(object)
    }
}
