//! Swagger UI's files in the binary (feature `swagger-ui-embedded`), served by the app.

use super::swagger_ui::{Asset, BUNDLE, CSS, PRESET, VERSION};
use crate::response::{Body, Response};

/// The files of `swagger-ui-dist` [`VERSION`], byte for byte (`assets/swagger-ui-dist/`).
const FILES: [(&Asset, &str, &str); 3] = [
    (
        &CSS,
        "text/css; charset=utf-8",
        include_str!("../../../assets/swagger-ui-dist/swagger-ui.css"),
    ),
    (
        &BUNDLE,
        "text/javascript; charset=utf-8",
        include_str!("../../../assets/swagger-ui-dist/swagger-ui-bundle.js"),
    ),
    (
        &PRESET,
        "text/javascript; charset=utf-8",
        include_str!("../../../assets/swagger-ui-dist/swagger-ui-standalone-preset.js"),
    ),
];

/// Where the page at `page_path` finds `name`: under the page's path and the version, so a
/// browser may keep a file as long as it likes.
pub(super) fn asset_path(page_path: &str, name: &str) -> String {
    format!("{}/{VERSION}/{name}", page_path.trim_end_matches('/'))
}

/// One of the files, served at `path`.
#[derive(Debug, Clone)]
pub(crate) struct File {
    pub(crate) path: String,
    content_type: &'static str,
    text: &'static str,
}

impl File {
    /// A file's path holds Swagger UI's version: a browser may keep it as long as it likes.
    pub(crate) const fn cache_control(&self) -> &'static str {
        "public, max-age=31536000, immutable"
    }

    /// The answer to `GET` of the file.
    pub(crate) fn response(&self) -> Response {
        Response::with_body(200, Body::Text(self.text.into()))
            .content_type(self.content_type)
            .header("x-content-type-options", "nosniff")
    }
}

/// The files, under the page at `page_path`.
pub(super) fn files(page_path: &str) -> impl Iterator<Item = File> + '_ {
    FILES
        .into_iter()
        .map(move |(asset, content_type, text)| File {
            path: asset_path(page_path, asset.name),
            content_type,
            text,
        })
}
