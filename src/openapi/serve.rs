//! Serving the document and Swagger UI: two `GET` routes the app gets at build time.

use std::sync::{Arc, OnceLock};

use super::document::{RouteDoc, render};
use super::{OpenApi, Operation};
use crate::AppBuilder;
use crate::app::Route;
use crate::request::Request;
use crate::response::{Body, Response};

/// The Swagger UI version the page loads by default (from the `swagger-ui-dist` package
/// on a CDN, as Powertools does).
const SWAGGER_UI_VERSION: &str = "5.17.14";

/// Where the Swagger UI page loads Swagger UI's files from: a CDN by default, or your
/// own copy of the `swagger-ui-dist` files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwaggerUi {
    css: String,
    bundle: String,
    preset: String,
}

impl Default for SwaggerUi {
    fn default() -> Self {
        Self::at(&format!(
            "https://cdn.jsdelivr.net/npm/swagger-ui-dist@{SWAGGER_UI_VERSION}"
        ))
    }
}

impl SwaggerUi {
    /// The files `swagger-ui.css`, `swagger-ui-bundle.js` and
    /// `swagger-ui-standalone-preset.js` under `base_url` (a folder you host, say).
    #[must_use]
    pub fn at(base_url: &str) -> Self {
        let base = base_url.trim_end_matches('/');
        Self {
            css: format!("{base}/swagger-ui.css"),
            bundle: format!("{base}/swagger-ui-bundle.js"),
            preset: format!("{base}/swagger-ui-standalone-preset.js"),
        }
    }

    /// Each file's URL.
    #[must_use]
    pub fn urls(css: &str, bundle: &str, standalone_preset: &str) -> Self {
        Self {
            css: css.to_owned(),
            bundle: bundle.to_owned(),
            preset: standalone_preset.to_owned(),
        }
    }
}

/// The document's sources and, once asked for, its text and Swagger UI's page.
struct Served {
    config: OpenApi,
    routes: Vec<RouteDoc>,
    rendered: OnceLock<String>,
    page: OnceLock<String>,
}

impl Served {
    fn document(&self) -> &str {
        self.rendered
            .get_or_init(|| render(&self.config, &self.routes))
    }

    fn page(&self, path: &str) -> &str {
        self.page.get_or_init(|| swagger_page(&self.config, path))
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
        let served = Arc::clone(&served);
        let page_path = path.clone();
        builder
            .routes
            .push(Route::get(path, move |_: &Request<'_>| {
                let page = Body::Text(served.page(&page_path).to_owned().into());
                Response::with_body(200, page).content_type("text/html; charset=utf-8")
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

/// The document's URL relative to the page, so that both keep working under a stage or
/// a prefix the app does not see (`/prod/swagger` loads `/prod/openapi.json`).
fn relative_url(from_page: &str, to: &str) -> String {
    let depth = from_page.trim_start_matches('/').matches('/').count();
    let mut url = "../".repeat(depth);
    url.push_str(to.trim_start_matches('/'));
    if url.is_empty() {
        url.push('.');
    }
    url
}

/// Swagger UI's page for the document (Powertools' page, with the URLs escaped).
fn swagger_page(config: &OpenApi, page_path: &str) -> String {
    let assets = config.swagger_ui.clone().unwrap_or_default();
    let document_url = js_string(&relative_url(page_path, &config.json_path));
    format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="{css}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{bundle}"></script>
<script src="{preset}"></script>
<script>
var ui = SwaggerUIBundle({{
  url: new URL({document_url}, window.location.href).href,
  dom_id: "#swagger-ui",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  plugins: [SwaggerUIBundle.plugins.DownloadUrl],
  layout: "BaseLayout"
}});
</script>
</body>
</html>
"##,
        title = html_escape(&config.info.title),
        css = html_escape(&assets.css),
        bundle = html_escape(&assets.bundle),
        preset = html_escape(&assets.preset),
    )
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A JavaScript string literal that cannot close the `<script>` element it is in.
fn js_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::{html_escape, js_string, relative_url};

    #[test]
    fn document_url_is_relative_to_the_page() {
        let cases = [
            ("/swagger", "/openapi.json", "openapi.json"),
            ("/docs/swagger", "/openapi.json", "../openapi.json"),
            (
                "/docs/ui/swagger",
                "/docs/openapi.json",
                "../../docs/openapi.json",
            ),
            ("/swagger", "/api/spec.json", "api/spec.json"),
        ];
        for (page, document, expected) in cases {
            assert_eq!(relative_url(page, document), expected, "{page} {document}");
        }
    }

    #[test]
    fn page_values_are_escaped() {
        assert_eq!(html_escape(r#"a"<b>&'"#), "a&quot;&lt;b&gt;&amp;&#39;");
        assert_eq!(js_string("</script>"), r#""\u003c/script>""#);
    }
}
