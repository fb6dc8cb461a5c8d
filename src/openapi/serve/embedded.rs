//! Swagger UI's files in the binary (feature `swagger-ui-embedded`), served by the app.

use super::swagger_ui::{Asset, BUNDLE, CSS, PRESET, VERSION};
use crate::app::Route;
use crate::request::Request;
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

/// One `GET` route per file, under the page at `page_path`.
pub(super) fn routes(page_path: &str) -> impl Iterator<Item = Route> + '_ {
    FILES.into_iter().map(move |(asset, content_type, text)| {
        Route::get(asset_path(page_path, asset.name), move |_: &Request<'_>| {
            Response::with_body(200, Body::Text(text.into()))
                .content_type(content_type)
                .header("x-content-type-options", "nosniff")
        })
        .compress(true)
        .cache_control("public, max-age=31536000, immutable")
    })
}
