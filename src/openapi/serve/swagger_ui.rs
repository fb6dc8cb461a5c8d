//! Where the Swagger UI page loads Swagger UI's three files from, and how it pins them.

/// The `swagger-ui-dist` version the page loads by default (from the npm package on a CDN,
/// as Powertools does) and the one the `swagger-ui-embedded` feature embeds.
pub(crate) const VERSION: &str = "5.17.14";

/// Where the default page loads the files from: jsDelivr serves the npm package's files
/// byte for byte, so their hashes are those of the package.
const CDN: &str = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@";

/// One of Swagger UI's files, with its Subresource Integrity hash in `swagger-ui-dist`
/// [`VERSION`] (`assets/swagger-ui-dist/` holds the files; `tests/swagger_ui.rs` hashes
/// them).
#[derive(Debug)]
pub(crate) struct Asset {
    pub(crate) name: &'static str,
    pub(crate) integrity: &'static str,
}

pub(crate) const CSS: Asset = Asset {
    name: "swagger-ui.css",
    integrity: "sha384-wxLW6kwyHktdDGr6Pv1zgm/VGJh99lfUbzSn6HNHBENZlCN7W602k9VkGdxuFvPn",
};
pub(crate) const BUNDLE: Asset = Asset {
    name: "swagger-ui-bundle.js",
    integrity: "sha384-wmyclcVGX/WhUkdkATwhaK1X1JtiNrr2EoYJ+diV3vj4v6OC5yCeSu+yW13SYJep",
};
pub(crate) const PRESET: Asset = Asset {
    name: "swagger-ui-standalone-preset.js",
    integrity: "sha384-2YH8WDRaj7V2OqU/trsmzSagmk/E2SutiCsGkdgoQwC9pNUJV1u/141DHB6jgs8t",
};

/// Where the Swagger UI page loads Swagger UI's files (`swagger-ui.css`,
/// `swagger-ui-bundle.js`, `swagger-ui-standalone-preset.js`) from.
///
/// - [`SwaggerUi::default`]: a CDN (jsDelivr), pinned to `swagger-ui-dist` 5.17.14 with
///   Subresource Integrity hashes, so a changed file is not run. Needs the browser to
///   reach the internet.
/// - `SwaggerUi::embedded()` (feature `swagger-ui-embedded`): the same files, served by the
///   app itself: the page works offline and in a private network.
/// - [`SwaggerUi::at`], [`SwaggerUi::urls`]: your own copy, loaded as is (the library does
///   not know its hashes).
///
/// The page's `Content-Security-Policy` allows scripts and styles from these files only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwaggerUi {
    pub(crate) files: Files,
}

/// The three files' locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Files {
    /// At these URLs; `pinned` when they are [`VERSION`]'s files (the integrity hashes apply).
    Urls {
        css: String,
        bundle: String,
        preset: String,
        pinned: bool,
    },
    /// Served by the app, under the page's path.
    #[cfg(feature = "swagger-ui-embedded")]
    Embedded,
}

impl Default for SwaggerUi {
    fn default() -> Self {
        Self::under(&format!("{CDN}{VERSION}"), true)
    }
}

impl SwaggerUi {
    /// The files `swagger-ui.css`, `swagger-ui-bundle.js` and
    /// `swagger-ui-standalone-preset.js` under `base_url` (a folder you host, say).
    #[must_use]
    pub fn at(base_url: &str) -> Self {
        Self::under(base_url, false)
    }

    fn under(base_url: &str, pinned: bool) -> Self {
        let base = base_url.trim_end_matches('/');
        Self {
            files: Files::Urls {
                css: format!("{base}/{}", CSS.name),
                bundle: format!("{base}/{}", BUNDLE.name),
                preset: format!("{base}/{}", PRESET.name),
                pinned,
            },
        }
    }

    /// Each file's URL.
    #[must_use]
    pub fn urls(css: &str, bundle: &str, standalone_preset: &str) -> Self {
        Self {
            files: Files::Urls {
                css: css.to_owned(),
                bundle: bundle.to_owned(),
                preset: standalone_preset.to_owned(),
                pinned: false,
            },
        }
    }

    /// Swagger UI's files (`swagger-ui-dist` 5.17.14, 1.8 MB, Apache-2.0) served by the app
    /// itself, at `<swagger path>/5.17.14/<file>`, gzipped for a client that accepts it and
    /// cached for a year (the path names the version): the page needs no internet.
    #[cfg(feature = "swagger-ui-embedded")]
    #[must_use]
    pub fn embedded() -> Self {
        Self {
            files: Files::Embedded,
        }
    }
}
