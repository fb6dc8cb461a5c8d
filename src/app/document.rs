//! The app's OpenAPI document: [`AppBuilder::openapi`] asks for it, `build` keeps what it
//! needs of every route (and, for an HTTP app, adds the routes that serve it), and
//! [`App::openapi_json`] gives it to the program.

use std::sync::Arc;

use super::{App, AppBuilder, Route};
use crate::openapi::{OpenApi, RouteDoc, Served, Target};
use crate::request::Request;
use crate::source::Source;

impl AppBuilder {
    /// Gives the app an OpenAPI document of its routes, as configured by `openapi`
    /// (Powertools' `enable_swagger`). See [`openapi`](crate::openapi).
    ///
    /// An HTTP app serves it (at `/openapi.json`) with Swagger UI (at `/swagger`). An app of
    /// [`App::bedrock_agent`] serves neither (an agent is given the document when its
    /// action group is made, and calls no route for it): read it with
    /// [`App::openapi_json`]; it is written for [`Target::BedrockAgent`] unless
    /// [`OpenApi::target`] says otherwise.
    #[must_use]
    pub fn openapi(mut self, openapi: OpenApi) -> Self {
        self.openapi = Some(Installer {
            config: openapi,
            install,
        });
        self
    }
}

impl App {
    /// The app's OpenAPI document (JSON), as [`AppBuilder::openapi`] configured it; `None`
    /// for an app without one. Rendered the first time it is asked for (here or by its
    /// route), then kept. Powertools' `get_openapi_json_schema()`.
    ///
    /// ```
    /// use lambda_router::extract::Query;
    /// use lambda_router::openapi::{OpenApi, Operation};
    /// use lambda_router::App;
    ///
    /// #[derive(serde::Deserialize, schemars::JsonSchema)]
    /// struct Search { q: String, limit: Option<u8> }
    /// lambda_router::rebind!(documented: Search);
    ///
    /// fn search(Query(search): Query<Search>) -> String { search.q }
    ///
    /// let app = App::bedrock_agent()
    ///     .get("/search", search)
    ///     .doc(Operation::new().operation_id("search").description("Search the notes"))
    ///     .openapi(OpenApi::new("Notes", "1.0"))
    ///     .build()?;
    /// let document = app.openapi_json().ok_or("no document")?;
    /// let document: serde_json::Value = serde_json::from_str(document)?;
    /// assert_eq!(document["openapi"], "3.0.0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn openapi_json(&self) -> Option<&str> {
        self.openapi.as_deref().map(Served::document)
    }
}

/// What `build()` does for an app that asked for its document. Only
/// [`AppBuilder::openapi`] names [`install`], so a program that never calls it links none
/// of the document's code (schemars, the renderer, Swagger UI's page).
pub(crate) struct Installer {
    config: OpenApi,
    install: fn(&mut AppBuilder, OpenApi) -> Arc<Served>,
}

impl Installer {
    /// Keeps what the document needs of every route of `builder`, and adds the routes
    /// that serve it.
    pub(crate) fn install(self, builder: &mut AppBuilder) -> Arc<Served> {
        (self.install)(builder, self.config)
    }
}

fn install(builder: &mut AppBuilder, config: OpenApi) -> Arc<Served> {
    let agent = builder.accepts.one() == Some(Source::BedrockAgent);
    let target = config.target.unwrap_or(if agent {
        Target::BedrockAgent
    } else {
        Target::OpenApi31
    });
    let routes: Vec<RouteDoc> = builder
        .routes
        .iter_mut()
        .map(|route| RouteDoc {
            methods: route.methods.clone(),
            rule: route.rule.clone(),
            operation: route.doc.take().map(|operation| *operation),
            inputs: Some(route.describe),
        })
        .collect();
    let served = Arc::new(Served::new(config, routes, target, !agent));
    if !agent {
        serve(builder, &served);
    }
    served
}

/// Adds the `GET` routes of the document and of Swagger UI.
fn serve(builder: &mut AppBuilder, served: &Arc<Served>) {
    if let Some(path) = served.config.swagger_path.clone() {
        #[cfg(feature = "swagger-ui-embedded")]
        for file in served.embedded_files(&path) {
            let cache_control = file.cache_control();
            let route = Route::get(file.path.clone(), move |_: &Request<'_>| file.response());
            builder
                .routes
                .push(route.compress(true).cache_control(cache_control));
        }
        let served = Arc::clone(served);
        let page_path = path.clone();
        builder
            .routes
            .push(Route::get(path, move |_: &Request<'_>| {
                served.page_response(&page_path)
            }));
    }
    let json_path = served.config.json_path.clone();
    let served = Arc::clone(served);
    builder
        .routes
        .push(Route::get(json_path, move |_: &Request<'_>| {
            served.document_response()
        }));
}
