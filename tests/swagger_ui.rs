//! Swagger UI's page: the integrity hashes it pins are those of `swagger-ui-dist`'s files
//! (the copy in `assets/swagger-ui-dist`, which `tests/swagger_browser.sh` compares with
//! the npm package), and its `Content-Security-Policy` allows exactly what the page loads.
//! With `swagger-ui-embedded`, the app serves those files itself. The page in a browser:
//! `tests/swagger_browser.sh`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// test code: failing loudly is the point

use std::collections::BTreeMap;

use lambda_router::openapi::{OpenApi, SwaggerUi};
use lambda_router::{App, Request, testing};
use sha2::{Digest, Sha256, Sha384};

const CDN: &str = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.17.14";
const FILES: [&str; 3] = [
    "swagger-ui.css",
    "swagger-ui-bundle.js",
    "swagger-ui-standalone-preset.js",
];

fn vendored(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/assets/swagger-ui-dist/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn base64(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64(&Sha384::digest(bytes)))
}

struct Page {
    html: String,
    /// Directive name to its sources.
    policy: BTreeMap<String, Vec<String>>,
}

fn page(openapi: OpenApi) -> Page {
    let app = App::rest()
        .get("/x", |_: &Request<'_>| "")
        .openapi(openapi)
        .build()
        .unwrap();
    let answer = testing::call(&app, testing::rest().get("/swagger"));
    assert_eq!(answer.status(), 200);
    let header = answer
        .header("content-security-policy")
        .expect("the page has a Content-Security-Policy");
    let policy = header
        .split(';')
        .map(|directive| {
            let mut words = directive.split_whitespace().map(str::to_owned);
            let name = words.next().expect("an empty directive");
            (name, words.collect())
        })
        .collect();
    Page {
        html: answer.text().into_owned(),
        policy,
    }
}

impl Page {
    fn sources(&self, directive: &str) -> Vec<&str> {
        self.policy
            .get(directive)
            .unwrap_or_else(|| panic!("no {directive} in {:?}", self.policy))
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// Each `<tag … attribute="…">` of the page: the attribute's value and the whole tag.
    fn tags<'a>(&'a self, tag: &str, attribute: &str) -> Vec<(&'a str, &'a str)> {
        let open = format!("<{tag} ");
        let key = format!(" {attribute}=\"");
        self.html
            .match_indices(&open)
            .filter_map(|(at, _)| {
                let whole = &self.html[at..at + self.html[at..].find('>').unwrap()];
                let start = whole.find(&key)? + key.len();
                let value = &whole[start..start + whole[start..].find('"').unwrap()];
                Some((value, whole))
            })
            .collect()
    }

    /// The text of the page's inline scripts.
    fn inline_scripts(&self) -> Vec<&str> {
        self.html
            .match_indices("<script>")
            .map(|(at, open)| {
                let start = at + open.len();
                &self.html[start..start + self.html[start..].find("</script>").unwrap()]
            })
            .collect()
    }

    fn integrity_of(&self, url: &str) -> Option<&str> {
        let (_, tag) = self
            .tags("script", "src")
            .into_iter()
            .chain(self.tags("link", "href"))
            .find(|(found, _)| *found == url)
            .unwrap_or_else(|| panic!("{url} is not loaded by the page"));
        let start = tag.find(" integrity=\"")? + " integrity=\"".len();
        Some(&tag[start..start + tag[start..].find('"').unwrap()])
    }
}

/// What every page's policy holds, whatever the files: nothing by default, the one inline
/// script by its hash, no other script.
fn check_common_policy(page: &Page) {
    assert_eq!(page.sources("default-src"), ["'none'"]);
    assert_eq!(page.sources("base-uri"), ["'none'"]);
    let scripts = page.inline_scripts();
    assert_eq!(scripts.len(), 1, "{}", page.html);
    let hash = format!("'sha256-{}'", base64(&Sha256::digest(scripts[0])));
    let script_src = page.sources("script-src");
    assert!(script_src.contains(&hash.as_str()), "{hash} {script_src:?}");
    assert!(
        !script_src
            .iter()
            .any(|s| s.starts_with("'unsafe") || s.starts_with('*') || s.ends_with(':')),
        "{script_src:?}"
    );
}

#[test]
fn the_default_page_pins_the_cdn_files_by_their_hashes() {
    let page = page(OpenApi::new("T", "1"));
    check_common_policy(&page);
    for name in FILES {
        let url = format!("{CDN}/{name}");
        let expected = sri(&vendored(name));
        assert_eq!(page.integrity_of(&url), Some(expected.as_str()), "{name}");
        let directive = if name.ends_with(".css") {
            "style-src"
        } else {
            "script-src"
        };
        assert!(page.sources(directive).contains(&url.as_str()), "{name}");
    }
    assert!(page.html.matches(r#"crossorigin="anonymous""#).count() == 3);
    // Exactly these files and the inline script: no host or scheme wildcard.
    assert_eq!(page.sources("script-src").len(), 3);
    assert_eq!(
        page.sources("style-src"),
        [format!("{CDN}/swagger-ui.css").as_str()]
    );
    assert_eq!(page.sources("connect-src"), ["'self'"]);
    // The fallback names where the files were to come from.
    assert!(page.html.contains(&format!(r#"data-assets="{CDN}""#)));
}

#[test]
fn own_files_are_allowed_one_by_one_without_a_pin() {
    let cases = [
        (
            SwaggerUi::at("https://assets.example.com/swagger/"),
            [
                "https://assets.example.com/swagger/swagger-ui.css",
                "https://assets.example.com/swagger/swagger-ui-bundle.js",
                "https://assets.example.com/swagger/swagger-ui-standalone-preset.js",
            ],
            [
                "https://assets.example.com/swagger/swagger-ui.css",
                "https://assets.example.com/swagger/swagger-ui-bundle.js",
                "https://assets.example.com/swagger/swagger-ui-standalone-preset.js",
            ],
        ),
        (
            SwaggerUi::urls("/static/ui.css", "/static/ui.js", "/static/preset.js"),
            ["/static/ui.css", "/static/ui.js", "/static/preset.js"],
            ["'self'", "'self'", "'self'"],
        ),
        // A URL cannot end its source or its directive in the policy.
        (
            SwaggerUi::urls(
                "https://h/a.css; script-src *",
                "https://h/b.js,default-src *",
                "https://h/'unsafe-inline'.js",
            ),
            [
                "https://h/a.css; script-src *",
                "https://h/b.js,default-src *",
                "https://h/'unsafe-inline'.js",
            ],
            [
                "https://h/a.css%3B%20script-src%20*",
                "https://h/b.js%2Cdefault-src%20*",
                "https://h/%27unsafe-inline%27.js",
            ],
        ),
    ];
    for (ui, urls, sources) in cases {
        let page = page(OpenApi::new("T", "1").swagger_ui(ui));
        check_common_policy(&page);
        let [css, bundle, preset] = urls.map(|url| url.replace('\'', "&#39;"));
        for url in [&css, &bundle, &preset] {
            assert_eq!(page.integrity_of(url), None, "{url}");
        }
        assert_eq!(page.sources("style-src"), [sources[0]]);
        let script_src = page.sources("script-src");
        assert!(
            script_src.contains(&sources[1]) && script_src.contains(&sources[2]),
            "{script_src:?}"
        );
        assert_eq!(page.policy.len(), 8, "{:?}", page.policy);
    }
}

#[test]
fn try_it_out_may_reach_the_documents_absolute_servers() {
    let page = page(
        OpenApi::new("T", "1")
            .server("/", None)
            .server("https://api.example.com/v1", Some("production"))
            .server("https://api.example.com/v2", None)
            .server("http://localhost:3000", Some("local"))
            .server("https://{region}.example.com", None),
    );
    assert_eq!(
        page.sources("connect-src"),
        ["'self'", "https://api.example.com", "http://localhost:3000"]
    );
}

#[cfg(feature = "swagger-ui-embedded")]
mod embedded {
    use super::*;

    fn app(page_path: &str) -> App {
        App::rest()
            .openapi(
                OpenApi::new("T", "1")
                    .swagger_path(Some(page_path))
                    .swagger_ui(SwaggerUi::embedded()),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn the_app_serves_the_pinned_files_and_allows_only_itself() {
        let page = page(OpenApi::new("T", "1").swagger_ui(SwaggerUi::embedded()));
        check_common_policy(&page);
        assert_eq!(page.sources("script-src")[0], "'self'");
        assert_eq!(page.sources("script-src").len(), 2);
        assert_eq!(page.sources("style-src"), ["'self'"]);
        assert!(!page.html.contains("https://"), "{}", page.html);
        let app = app("/swagger");
        for name in FILES {
            let url = format!("swagger/5.17.14/{name}");
            let expected = sri(&vendored(name));
            assert_eq!(page.integrity_of(&url), Some(expected.as_str()), "{name}");
            let file = testing::call(&app, testing::rest().get(&format!("/{url}")));
            assert_eq!(file.status(), 200, "{name}");
            assert_eq!(file.body_bytes(), vendored(name), "{name}");
            let kind = if name.ends_with(".css") {
                "text/css"
            } else {
                "text/javascript"
            };
            assert!(file.header("content-type").unwrap().starts_with(kind));
            assert_eq!(
                file.header("cache-control"),
                Some("public, max-age=31536000, immutable")
            );
        }
    }

    #[test]
    fn files_follow_the_page_path_and_are_gzipped_when_accepted() {
        let app = app("/docs/ui");
        let page = testing::call(&app, testing::rest().get("/docs/ui"))
            .text()
            .into_owned();
        assert!(
            page.contains(r#"src="../docs/ui/5.17.14/swagger-ui-bundle.js""#),
            "{page}"
        );
        let gzipped = testing::call(
            &app,
            testing::rest()
                .get("/docs/ui/5.17.14/swagger-ui-bundle.js")
                .header("accept-encoding", "gzip"),
        );
        assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
        assert!(gzipped.body_bytes().len() < vendored("swagger-ui-bundle.js").len() / 2);
        assert_eq!(
            testing::call(&app, testing::rest().get("/swagger/5.17.14/swagger-ui.css")).status(),
            404
        );
    }
}
