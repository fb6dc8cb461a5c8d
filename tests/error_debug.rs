//! `fn main() -> Result<(), E>` prints `Error: {e:?}`: the library's public errors must
//! print a sentence there (their `Display`, then any deeper causes), not a structure dump.
//! `{:#?}` keeps the structure for whoever wants it.

use std::fmt;

use lambda_router::{App, Error, EventError, LambdaContext, Request, Scratch};

#[derive(Debug)]
struct Outer(Inner);

#[derive(Debug)]
struct Inner;

impl fmt::Display for Outer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("could not save the todo")
    }
}

impl fmt::Display for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the table is full")
    }
}

impl std::error::Error for Outer {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl std::error::Error for Inner {}

fn ok(_: &Request<'_>) -> &'static str {
    "ok"
}

#[test]
fn build_error_debug_is_its_message() {
    let built = App::rest()
        .get("/todos/<id>", ok)
        .get("/todos/<todo_id>", ok)
        .build();
    let error = built.expect_err("two routes of one shape must not build");
    assert_eq!(
        format!("{error:?}"),
        "route `GET /todos/<todo_id>` conflicts with `GET /todos/<id>` registered earlier"
    );
    assert!(format!("{error:#?}").contains("kind: Conflict"));
}

#[test]
fn event_error_debug_is_its_sentence() {
    let app = App::rest().get("/", ok).build().expect("one route builds");
    let mut scratch = Scratch::new();
    let handled = app.handle_blocking(&mut scratch, b"{}", &LambdaContext::default());
    let error: EventError = handled.expect_err("an event without a method is refused");
    assert_eq!(format!("{error:?}"), error.to_string());
    assert!(format!("{error:?}").starts_with("event.missing_field: "));
    assert!(format!("{error:#?}").contains("code: \"event.missing_field\""));
}

#[test]
fn error_debug_is_its_sentence_then_its_causes() {
    let error = Error::from(Outer(Inner));
    assert_eq!(
        format!("{error:?}"),
        "could not save the todo\n\nCaused by:\n    0: the table is full"
    );
    assert_eq!(format!("{:?}", Error::from(Inner)), "the table is full");
    assert!(format!("{error:#?}").contains("Outer(\n"));
}

#[cfg(feature = "runtime")]
mod run_error {
    use std::io;

    use lambda_router::RunError;

    use super::{Inner, Outer};

    #[test]
    fn io_error_reads_as_a_sentence() {
        let error = RunError::from(io::Error::from(io::ErrorKind::AddrInUse));
        assert_eq!(format!("{error:?}"), "i/o error: address in use");
        assert!(format!("{error:#?}").starts_with("Io("));
    }

    #[test]
    fn causes_the_sentence_does_not_quote_follow_it() {
        // The sentence quotes the io::Error; the io::Error's own cause comes after it.
        let error = RunError::from(io::Error::other(Outer(Inner)));
        assert_eq!(
            format!("{error:?}"),
            "i/o error: could not save the todo\n\nCaused by:\n    0: the table is full"
        );
    }

    #[test]
    fn environment_error_names_the_variable() {
        let error = RunError::Environment {
            variable: "AWS_LAMBDA_FUNCTION_NAME",
            problem: "missing",
        };
        assert_eq!(
            format!("{error:?}"),
            "lambda environment variable AWS_LAMBDA_FUNCTION_NAME is missing"
        );
    }
}
