// `Context` lends what a middleware stored: `Context<&Caller>`, not `Context<Caller>`.
use lambda_router::App;
use lambda_router::extract::Context;

#[derive(Clone)]
struct Caller(String);

fn hello(Context(caller): Context<Caller>) -> String {
    caller.0
}

fn main() {
    let _ = App::rest().get("/", hello).build();
}
