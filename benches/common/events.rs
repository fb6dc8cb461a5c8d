//! The five bench events, as the compact bytes Lambda delivers.

use lambda_router::Source;

pub struct BenchEvent {
    pub name: &'static str,
    pub source: Source,
    pub bytes: Vec<u8>,
}

pub fn all() -> Vec<BenchEvent> {
    [
        ("rest_v1_get_todo", Source::RestV1),
        ("rest_v1_post_todo", Source::RestV1),
        ("http_v2_get_todo", Source::HttpV2),
        ("alb_get_todo", Source::Alb),
        ("furl_get_todo", Source::FunctionUrl),
    ]
    .into_iter()
    .map(|(name, source)| {
        let path = format!(
            "{}/../shared/fixtures/bench/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        BenchEvent {
            name,
            source,
            bytes: bytes.trim_ascii_end().to_vec(),
        }
    })
    .collect()
}
