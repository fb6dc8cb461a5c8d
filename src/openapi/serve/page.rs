//! Swagger UI's HTML page and the `Content-Security-Policy` it is sent with.

use super::swagger_ui::{Asset, BUNDLE, CSS, Files, PRESET};
use crate::openapi::OpenApi;

/// The page's one inline script. It is constant (what varies is read from the
/// `#swagger-ui` element's data attributes), so the policy names it by hash, and it says
/// why when Swagger UI's scripts did not load instead of leaving the page blank.
pub(super) const INIT_SCRIPT: &str = r##"(function () {
  var root = document.getElementById("swagger-ui");
  if (typeof SwaggerUIBundle === "undefined" || typeof SwaggerUIStandalonePreset === "undefined") {
    var from = new URL(root.getAttribute("data-assets"), window.location.href).href;
    root.textContent = "Could not load Swagger UI from " + from +
      " (no network, blocked, or files that do not match their integrity hashes).";
    return;
  }
  window.ui = SwaggerUIBundle({
    url: new URL(root.getAttribute("data-document"), window.location.href).href,
    dom_id: "#swagger-ui",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "BaseLayout"
  });
})();"##;

/// `INIT_SCRIPT`'s CSP hash source (`tests/swagger_ui.rs` recomputes it from the page).
const INIT_SCRIPT_HASH: &str = "'sha256-ht7tmOu/sj/gxBhJssw6WRSFCbnC5lxN5Nl/iwmKMTk='";

/// The page and its `Content-Security-Policy`.
#[derive(Debug)]
pub(super) struct Page {
    pub(super) html: String,
    pub(super) policy: String,
}

/// Where the page finds one file, and the integrity attributes that pin it.
struct Link {
    url: String,
    pin: String,
}

impl Link {
    fn new(url: String, asset: &Asset, pinned: bool) -> Self {
        let pin = if pinned {
            format!(
                r#" integrity="{}" crossorigin="anonymous""#,
                asset.integrity
            )
        } else {
            String::new()
        };
        Self { url, pin }
    }
}

/// The page at `page_path` for the document of `config`.
pub(super) fn render(config: &OpenApi, page_path: &str) -> Page {
    let assets = config.swagger_ui.clone().unwrap_or_default();
    let (css, bundle, preset) = match assets.files {
        Files::Urls {
            css,
            bundle,
            preset,
            pinned,
        } => (
            Link::new(css, &CSS, pinned),
            Link::new(bundle, &BUNDLE, pinned),
            Link::new(preset, &PRESET, pinned),
        ),
        #[cfg(feature = "swagger-ui-embedded")]
        Files::Embedded => {
            let url = |asset: &Asset| {
                let path = super::embedded::asset_path(page_path, asset.name);
                Link::new(relative_url(page_path, &path), asset, true)
            };
            (url(&CSS), url(&BUNDLE), url(&PRESET))
        }
    };
    let from = bundle
        .url
        .rsplit_once('/')
        .map_or(".", |(folder, _)| folder)
        .to_owned();
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="{css}"{css_pin}>
</head>
<body>
<div id="swagger-ui" data-document="{document}" data-assets="{from}"></div>
<noscript>Swagger UI needs JavaScript.</noscript>
<script src="{bundle}"{bundle_pin}></script>
<script src="{preset}"{preset_pin}></script>
<script>{INIT_SCRIPT}</script>
</body>
</html>
"#,
        title = html_escape(&config.info.title),
        css = html_escape(&css.url),
        css_pin = css.pin,
        document = html_escape(&relative_url(page_path, &config.json_path)),
        from = html_escape(&from),
        bundle = html_escape(&bundle.url),
        bundle_pin = bundle.pin,
        preset = html_escape(&preset.url),
        preset_pin = preset.pin,
    );
    let policy = policy(config, &css.url, &[&bundle.url, &preset.url]);
    Page { html, policy }
}

/// Nothing but the page's own files: its scripts and style, the document and the API
/// ("Try it out": the page's origin and each absolute server of the document), and the
/// `data:` images of Swagger UI's style.
fn policy(config: &OpenApi, css: &str, scripts: &[&str]) -> String {
    let mut script_src = Vec::new();
    for url in scripts {
        push_unique(&mut script_src, source_expression(url));
    }
    script_src.push(INIT_SCRIPT_HASH.to_owned());
    let mut connect_src = vec!["'self'".to_owned()];
    for server in &config.servers {
        if let Some(origin) = origin(&server.url) {
            push_unique(&mut connect_src, source_expression(origin));
        }
    }
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src 'self' data:; \
         connect-src {}; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
        script_src.join(" "),
        source_expression(css),
        connect_src.join(" "),
    )
}

fn push_unique(sources: &mut Vec<String>, source: String) {
    if !sources.contains(&source) {
        sources.push(source);
    }
}

/// The CSP source that allows exactly `url`: an absolute URL without its query, with every
/// byte that could end the source or the directive (space, `;`, `,`, quotes, non-ASCII)
/// percent-encoded; `'self'` for a URL relative to the page.
fn source_expression(url: &str) -> String {
    let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
        ("https://", rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        ("http://", rest)
    } else if let Some(rest) = url.strip_prefix("//") {
        ("", rest)
    } else {
        return "'self'".to_owned();
    };
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let mut source = scheme.to_owned();
    for &byte in &rest.as_bytes()[..end] {
        if byte.is_ascii_alphanumeric() || b"-._~!$&()*+=:@/%".contains(&byte) {
            source.push(char::from(byte));
        } else {
            source.push_str(&format!("%{byte:02X}"));
        }
    }
    source
}

/// The origin of an absolute `http(s)` server URL (none for one with a `{variable}`).
fn origin(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")? + 3;
    if !url.starts_with("https://") && !url.starts_with("http://") || url.contains('{') {
        return None;
    }
    let end = url[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |at| scheme_end + at);
    Some(&url[..end])
}

/// `to`'s URL relative to the page, so that both keep working under a stage or a prefix
/// the app does not see (`/prod/swagger` loads `/prod/openapi.json`).
pub(super) fn relative_url(from_page: &str, to: &str) -> String {
    let depth = from_page.trim_start_matches('/').matches('/').count();
    let mut url = "../".repeat(depth);
    url.push_str(to.trim_start_matches('/'));
    if url.is_empty() {
        url.push('.');
    }
    url
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

#[cfg(test)]
mod tests {
    use super::{html_escape, origin, relative_url, source_expression};

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
    }

    #[test]
    fn sources_allow_one_url_and_cannot_end_the_directive() {
        let cases = [
            (
                "https://cdn.example.com/ui/a.js",
                "https://cdn.example.com/ui/a.js",
            ),
            ("http://h:8080/a.js?v=1#x", "http://h:8080/a.js"),
            ("//cdn.example.com/a.js", "cdn.example.com/a.js"),
            (
                "https://h/a b;c,d'e\"f.js",
                "https://h/a%20b%3Bc%2Cd%27e%22f.js",
            ),
            ("https://h/é.js", "https://h/%C3%A9.js"),
            ("/static/a.js", "'self'"),
            ("static/a.js", "'self'"),
            ("javascript:alert(1)", "'self'"),
        ];
        for (url, expected) in cases {
            assert_eq!(source_expression(url), expected, "{url}");
        }
    }

    #[test]
    fn origins_of_absolute_servers() {
        let cases = [
            (
                "https://api.example.com/v1",
                Some("https://api.example.com"),
            ),
            ("http://localhost:3000", Some("http://localhost:3000")),
            ("https://h?x", Some("https://h")),
            ("/", None),
            ("https://{region}.example.com", None),
            ("ftp://h/x", None),
        ];
        for (url, expected) in cases {
            assert_eq!(origin(url), expected, "{url}");
        }
    }
}
