// `from_fn`'s closure returns its future boxed: `Box::pin(async move { .. })`.
use lambda_router::App;
use lambda_router::middleware::from_fn;

fn main() {
    let _ = App::rest()
        .middleware(from_fn(|req, next| async move { next.run(req).await }))
        .build();
}
