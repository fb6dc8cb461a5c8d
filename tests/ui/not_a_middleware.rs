// A middleware must take the request and the rest of the chain.
use lambda_router::{App, Request, Response};

fn log(req: &mut Request<'_>) -> Response {
    Response::text(200, req.path().to_owned())
}

fn main() {
    let _ = App::rest().middleware(log).build();
}
