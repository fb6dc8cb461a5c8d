//! The five bench events, as the compact bytes Lambda delivers.

use lambda_router::Source;

pub struct BenchEvent {
    pub name: &'static str,
    pub source: Source,
    pub bytes: Vec<u8>,
}

/// One event of `fixtures/bench/`, embedded: paths relative to this file hold both in the
/// bench package and in `tests/alloc.rs`, which includes this file.
macro_rules! bench_event {
    ($name:literal, $source:ident) => {
        BenchEvent {
            name: $name,
            source: Source::$source,
            bytes: include_bytes!(concat!("../../../fixtures/bench/", $name, ".json"))
                .trim_ascii_end()
                .to_vec(),
        }
    };
}

/// The VPC Lattice events (V1, V2): not in [`all`], whose five events every figure of
/// `perf/RESULTS.md` uses (and lambda_http reads only V2).
pub fn lattice() -> Vec<BenchEvent> {
    vec![
        bench_event!("lattice_v1_get_todo", VpcLattice),
        bench_event!("lattice_v2_get_todo", VpcLatticeV2),
    ]
}

pub fn all() -> Vec<BenchEvent> {
    vec![
        bench_event!("rest_v1_get_todo", RestV1),
        bench_event!("rest_v1_post_todo", RestV1),
        bench_event!("http_v2_get_todo", HttpV2),
        bench_event!("alb_get_todo", Alb),
        bench_event!("furl_get_todo", FunctionUrl),
    ]
}
