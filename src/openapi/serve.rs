//! Serving the document and Swagger UI: two `GET` routes the app gets at build time.

#[cfg(feature = "swagger-ui-embedded")]
mod embedded;
mod page;
mod swagger_ui;

use std::sync::{Arc, OnceLock};

use super::document::{RouteDoc, render};
use super::{OpenApi, Operation};
use crate::AppBuilder;
use crate::app::Route;
use crate::request::Request;
use crate::response::{Body, Response};
use page::Page;
pub use swagger_ui::SwaggerUi;

/// The document's sources and, once asked for, its text and Swagger UI's page.
struct Served {
    config: OpenApi,
    routes: Vec<RouteDoc>,
    rendered: OnceLock<String>,
    page: OnceLock<Page>,
}

impl Served {
    fn document(&self) -> &str {
        self.rendered
            .get_or_init(|| render(&self.config, &self.routes))
    }

    fn page(&self, path: &str) -> &Page {
        self.page.get_or_init(|| page::render(&self.config, path))
    }
}

impl AppBuilder {
    /// Serves the app's OpenAPI 3.1 document (at `/openapi.json`) and Swagger UI (at
    /// `/swagger`), as configured by `openapi` (Powertools' `enable_swagger`). See
    /// [`openapi`](crate::openapi).
    #[must_use]
    pub fn openapi(mut self, openapi: OpenApi) -> Self {
        self.openapi = Some(Installer {
            config: openapi,
            install,
        });
        self
    }
}

/// What `build()` does for an app that asked for its document. Only
/// [`AppBuilder::openapi`] names [`install`], so a program that never calls it links none
/// of the document's code (schemars, the renderer, Swagger UI's page).
pub(crate) struct Installer {
    config: OpenApi,
    install: fn(&mut AppBuilder, OpenApi),
}

impl Installer {
    pub(crate) fn install(self, builder: &mut AppBuilder) {
        (self.install)(builder, self.config);
    }
}

/// Adds the document's routes to `builder`, keeping what the document needs of every route.
fn install(builder: &mut AppBuilder, config: OpenApi) {
    let mut routes: Vec<RouteDoc> = builder
        .routes
        .iter_mut()
        .map(|route| RouteDoc {
            methods: route.methods.clone(),
            rule: route.rule.clone(),
            operation: route.doc.take().map(|operation| *operation),
            inputs: route.describe,
        })
        .collect();
    let json_path = config.json_path.clone();
    let swagger_path = config.swagger_path.clone();
    if config.document_own_routes {
        routes.push(own_route(
            &json_path,
            "The OpenAPI document",
            "application/json",
        ));
        if let Some(path) = &swagger_path {
            routes.push(own_route(path, "Swagger UI", "text/html"));
        }
    }
    let served = Arc::new(Served {
        config,
        routes,
        rendered: OnceLock::new(),
        page: OnceLock::new(),
    });
    if let Some(path) = swagger_path {
        #[cfg(feature = "swagger-ui-embedded")]
        if served.config.swagger_ui == Some(SwaggerUi::embedded()) {
            builder.routes.extend(embedded::routes(&path));
        }
        let served = Arc::clone(&served);
        let page_path = path.clone();
        builder
            .routes
            .push(Route::get(path, move |_: &Request<'_>| {
                let page = served.page(&page_path);
                Response::with_body(200, Body::Text(page.html.clone().into()))
                    .content_type("text/html; charset=utf-8")
                    .header("content-security-policy", page.policy.clone())
            }));
    }
    builder
        .routes
        .push(Route::get(json_path, move |_: &Request<'_>| {
            let document = Body::Text(served.document().to_owned().into());
            Response::with_body(200, document).content_type("application/json")
        }));
}

fn own_route(path: &str, summary: &str, content_type: &str) -> RouteDoc {
    let mut operation = if content_type == "application/json" {
        Operation::new().returns::<serde_json::Value>(200, summary)
    } else {
        Operation::new().returns_text(200, summary)
    };
    // The page is HTML, which `returns_text` would call `text/plain`.
    for response in operation.responses.values_mut() {
        if let Some((media, _)) = &mut response.body {
            content_type.clone_into(media);
        }
    }
    RouteDoc {
        methods: vec![http::Method::GET],
        rule: path.to_owned(),
        operation: Some(operation.summary(summary)),
        inputs: None,
    }
}
