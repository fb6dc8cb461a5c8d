//! What the routes of the document and of Swagger UI answer, the document rendered once.

#[cfg(feature = "swagger-ui-embedded")]
mod embedded;
mod page;
mod swagger_ui;

use std::sync::OnceLock;

use super::document::{RouteDoc, render};
use super::{OpenApi, Operation, Target};
use crate::response::{Body, Response};
use page::Page;
pub use swagger_ui::SwaggerUi;

/// The document's sources and, once asked for, its text and Swagger UI's page.
#[derive(Debug)]
pub(crate) struct Served {
    pub(crate) config: OpenApi,
    routes: Vec<RouteDoc>,
    target: Target,
    rendered: OnceLock<String>,
    page: OnceLock<Page>,
}

impl Served {
    /// The document of `routes` (and of its own routes, when it is `served` and the
    /// configuration asks), written for `target`; nothing is rendered until it is asked
    /// for.
    pub(crate) fn new(
        config: OpenApi,
        mut routes: Vec<RouteDoc>,
        target: Target,
        served: bool,
    ) -> Self {
        if served && config.document_own_routes {
            routes.push(own_route(
                &config.json_path,
                "The OpenAPI document",
                "application/json",
            ));
            if let Some(path) = &config.swagger_path {
                routes.push(own_route(path, "Swagger UI", "text/html"));
            }
        }
        Self {
            config,
            routes,
            target,
            rendered: OnceLock::new(),
            page: OnceLock::new(),
        }
    }

    /// The document, rendered the first time it is asked for.
    pub(crate) fn document(&self) -> &str {
        self.rendered
            .get_or_init(|| render(&self.config, &self.routes, self.target))
    }

    /// The answer to `GET` of the document's path.
    pub(crate) fn document_response(&self) -> Response {
        let document = Body::Text(self.document().to_owned().into());
        Response::with_body(200, document).content_type("application/json")
    }

    /// The answer to `GET` of Swagger UI's page, served at `path`.
    pub(crate) fn page_response(&self, path: &str) -> Response {
        let page = self.page.get_or_init(|| page::render(&self.config, path));
        Response::with_body(200, Body::Text(page.html.clone().into()))
            .content_type("text/html; charset=utf-8")
            .header("content-security-policy", page.policy.clone())
    }

    /// Swagger UI's files the app serves itself, under the page at `page_path`: when the
    /// configuration asks for the embedded ones.
    #[cfg(feature = "swagger-ui-embedded")]
    pub(crate) fn embedded_files(&self, page_path: &str) -> Vec<embedded::File> {
        if self.config.swagger_ui == Some(SwaggerUi::embedded()) {
            embedded::files(page_path).collect()
        } else {
            Vec::new()
        }
    }
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
