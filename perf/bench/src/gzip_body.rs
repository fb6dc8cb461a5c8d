//! The body every gzip figure compresses, and flate2 used the way its users do.

use std::io::Write;

/// About 10 KB of todos JSON, like a real list response.
pub fn body() -> Vec<u8> {
    let items: Vec<serde_json::Value> = (0..90)
        .map(|i| serde_json::json!({"userId": i % 7, "id": i, "title": format!("todo number {i} of the quarterly review"), "completed": i % 3 == 0, "tags": ["infra", "review"]}))
        .collect();
    serde_json::to_vec(&items).expect("serializes")
}

/// flate2 (miniz_oxide) at level 6, a new encoder per body as a response path would.
pub fn flate2_gzip(input: &[u8]) -> Vec<u8> {
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::with_capacity(input.len()), flate2::Compression::new(6));
    encoder.write_all(input).expect("in memory");
    encoder.finish().expect("in memory")
}
