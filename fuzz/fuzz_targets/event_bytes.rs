//! Arbitrary bytes as an event of each source: a typed `EventError` or a valid proxy
//! response, never a panic. The first byte picks the app: one per source, or the app for
//! any source, whose answer must be the one the app of some source gives.
#![no_main]

use std::sync::OnceLock;

use fuzz_support::{KINDS, builder_for, check_envelope, check_event_error, source_answering};
use lambda_router::{App, LambdaContext, Request, Response, Scratch};
use libfuzzer_sys::fuzz_target;

fn apps() -> &'static [App] {
    static APPS: OnceLock<Vec<App>> = OnceLock::new();
    APPS.get_or_init(|| {
        (0..KINDS)
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
    let app = &apps()[usize::from(selector % KINDS)];
    let mut scratch = Scratch::new();
    match app.handle_blocking(&mut scratch, event, &LambdaContext::default()) {
        Ok(out) => {
            let source = app
                .source()
                .unwrap_or_else(|| source_answering(apps(), event, out, Scratch::new));
            check_envelope(source, out);
        }
        Err(error) => check_event_error(app.source(), &error),
    }
});
