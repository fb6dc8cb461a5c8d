//! [`ToolsBuilder`]: an app answering an Amazon Bedrock agent's function-details action
//! group, one tool per function name.

use crate::handler::Handler;
use crate::router::BuildError;

use super::{App, AppBuilder, Route};
use crate::source::{Accepts, Source};

/// The longest function name Bedrock accepts in an action group's function details.
const MAX_NAME: usize = 100;

/// Builds an [`App`] for an Amazon Bedrock agent's action group defined by function
/// details (Powertools' `BedrockAgentFunctionResolver`): start from
/// [`App::bedrock_agent_functions`], register each [`tool`](Self::tool) under the name
/// the agent calls it by, then [`build`](Self::build) and run the app as any other.
///
/// A tool is a handler, sync or async, as a route's: its arguments are read from the
/// event ([`Args<T>`](crate::bedrock::Args) for the agent's arguments,
/// [`AgentSession`](crate::bedrock::AgentSession), [`State`](crate::extract::State),
/// `&Request`, `&LambdaContext`), and what it returns is the text the agent reads:
///
/// | the tool returns | the agent reads (`TEXT` body) |
/// |---|---|
/// | `Json(value)` | `value` as JSON text (a string JSON-quoted: `"Hello"`), as Powertools writes every result |
/// | `String`, `&'static str`, [`Response::text`](crate::Response::text) | the text as is |
/// | `()` | `null` (as a route answers it; Powertools writes a Python `None` as `""`) |
/// | a [`Response`](crate::Response) with [`agent_session`](crate::Response::agent_session) / [`agent_response_state`](crate::Response::agent_response_state) | its body, and the session attributes it sets or the state it asks for |
/// | `Err(e)` | `"Error: <type of e>: <e>"` (a JSON string), as Powertools answers a tool that raised |
///
/// An error is the agent's to read, never a failed invocation: an unknown tool
/// (`Error: UnknownTool: …`), arguments that do not read as the tool's types
/// (`Error: ArgumentError: …`) and the tool's own error all answer so; a panic answers
/// `Error: Panic: the tool failed` (its message is logged, not sent). Every answer carries
/// the session attributes: the tool's, if its response sets them (an empty map included),
/// else the event's. The status and headers of a tool's response are not sent (the
/// function envelope has no place for them).
///
/// ```
/// use lambda_router::bedrock::{AgentSession, Args, ResponseState};
/// use lambda_router::{App, Json, LambdaContext, Response, Scratch};
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Trip {
///     destination: String,
///     #[serde(default = "one")]
///     nights: u32,
/// }
/// fn one() -> u32 { 1 }
/// lambda_router::rebind!(Trip);
///
/// #[derive(Debug)]
/// struct ValueError(&'static str);
/// impl std::fmt::Display for ValueError {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.0) }
/// }
/// impl std::error::Error for ValueError {}
///
/// fn book_trip(Args(trip): Args<Trip>, session: AgentSession) -> Result<Response, ValueError> {
///     if trip.nights == 0 {
///         return Err(ValueError("nights must be a positive integer"));
///     }
///     if trip.nights > 14 {
///         return Ok(Response::text(200, "Ask the user for a shorter stay")
///             .agent_response_state(ResponseState::Reprompt));
///     }
///     let mut session = session;
///     session.session_attributes.insert("lastBooking".into(), trip.destination.clone());
///     Ok(Response::text(200, format!("Booked {} nights in {}", trip.nights, trip.destination))
///         .agent_session(session))
/// }
///
/// let app = App::bedrock_agent_functions()
///     .tool("book_trip", book_trip)
///     .tool("ping", || Json("pong"))
///     .build()?;
///
/// let event = br#"{"actionGroup": "Travel", "function": "book_trip",
///     "parameters": [{"name": "destination", "type": "string", "value": "Lisbon"},
///                    {"name": "nights", "type": "integer", "value": "3"}]}"#;
/// let mut scratch = Scratch::new();
/// let answer = app.handle_blocking(&mut scratch, event, &LambdaContext::default())?;
/// let answer: serde_json::Value = serde_json::from_slice(answer)?;
/// let tool = &answer["response"]["functionResponse"];
/// assert_eq!(tool["responseBody"]["TEXT"]["body"], "Booked 3 nights in Lisbon");
/// assert_eq!(answer["sessionAttributes"]["lastBooking"], "Lisbon");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ToolsBuilder {
    app: AppBuilder,
    /// The names registered, checked by `build`.
    names: Vec<String>,
}

impl App {
    /// An app for an Amazon Bedrock agent's action group defined by function details: a
    /// tool per function name, with typed arguments (see [`ToolsBuilder`]). An action
    /// group defined by an OpenAPI schema is [`App::bedrock_agent`]'s.
    #[must_use]
    pub fn bedrock_agent_functions() -> ToolsBuilder {
        ToolsBuilder {
            app: AppBuilder::new(Accepts::One(Source::BedrockAgentFunction))
                .method_not_allowed(false),
            names: Vec::new(),
        }
    }
}

impl ToolsBuilder {
    /// Registers `handler` as the tool the agent calls `name` (the function name of the
    /// action group's function details, case-sensitive).
    #[must_use]
    pub fn tool<M>(mut self, name: &str, handler: impl Handler<M>) -> Self {
        self.app = self.app.add_route(Route::post(format!("/{name}"), handler));
        self.names.push(name.to_owned());
        self
    }

    /// The app's state, which tools take as [`State<&S>`](crate::extract::State) (see
    /// [`AppBuilder::state`]).
    #[must_use]
    pub fn state<S: Send + Sync + 'static>(mut self, state: S) -> Self {
        self.app = self.app.state(state);
        self
    }

    /// Debug mode: events and answers are logged (see [`AppBuilder::debug`]).
    #[must_use]
    pub fn debug(mut self, debug: bool) -> Self {
        self.app = self.app.debug(debug);
        self
    }

    /// Builds the app.
    ///
    /// # Errors
    /// A name Bedrock does not accept for a function (1 to 100 ASCII letters, digits, `_`
    /// and `-`, starting with a letter or digit), a name registered twice, or a tool
    /// taking a [`State`](crate::extract::State) the app was not given.
    pub fn build(self) -> Result<App, BuildError> {
        for (index, name) in self.names.iter().enumerate() {
            if !is_function_name(name) {
                return Err(BuildError::config(format!(
                    "tool name `{name}` is not a Bedrock function name (1 to {MAX_NAME} ASCII \
                     letters, digits, `_` and `-`, starting with a letter or digit)"
                )));
            }
            if self.names[..index].contains(name) {
                return Err(BuildError::config(format!(
                    "tool `{name}` is registered twice"
                )));
            }
        }
        self.app.build()
    }
}

/// Whether Bedrock accepts `name` as a function name (`([0-9a-zA-Z][_-]?){1,100}`, read
/// as: letters, digits, `_` and `-`, starting with a letter or digit): then it is also one
/// literal segment of a route rule.
fn is_function_name(name: &str) -> bool {
    name.len() <= MAX_NAME
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
