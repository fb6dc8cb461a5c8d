//! Arbitrary bytes as an event of each source: a typed `EventError` or a valid proxy
//! response, never a panic. The first byte picks the source.
#![no_main]

use std::sync::OnceLock;

use fuzz_support::{builder_for, check_envelope, check_event_error};
use lambda_router::{App, LambdaContext, Request, Response, Scratch};
use libfuzzer_sys::fuzz_target;

fn apps() -> &'static [App] {
    static APPS: OnceLock<Vec<App>> = OnceLock::new();
    APPS.get_or_init(|| {
        (0..4)
            .map(|source| {
                builder_for(source)
                    .get("/", |_: &Request<'_>| Response::text(200, "root"))
                    .any_route()
                    .build()
                    .expect("app builds")
            })
            .collect()
    })
}

/// A route per common shape, reading every accessor so the views are exercised.
trait AnyRoute {
    fn any_route(self) -> Self;
}

impl AnyRoute for lambda_router::AppBuilder {
    fn any_route(self) -> Self {
        self.route(
            [lambda_router::Method::GET, lambda_router::Method::POST],
            "/<a>/<b>",
            |req: &Request<'_>| {
                let mut n = req.headers().iter().count();
                n += req.query_params().iter().count();
                n += req.cookies().iter().count();
                n += req.body().ok().flatten().map_or(0, <[u8]>::len);
                n += usize::from(req.header("content-type").is_some());
                n += req.request_context().request_id().map_or(0, str::len);
                Response::text(200, n.to_string())
            },
        )
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, event)) = data.split_first() else {
        return;
    };
    let app = &apps()[usize::from(selector % 4)];
    let mut scratch = Scratch::new();
    match app.handle_blocking(&mut scratch, event, &LambdaContext::default()) {
        Ok(out) => {
            check_envelope(app.source(), out);
        }
        Err(error) => check_event_error(&error),
    }
});
