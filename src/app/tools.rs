//! [`ToolsBuilder`]: an app answering an Amazon Bedrock agent's function-details action
//! group, one tool per function name.

use serde_json::{Map, Value};

use crate::extract::Inputs;
use crate::handler::Handler;
use crate::openapi::{Operation, Target};
use crate::router::BuildError;

use super::{App, AppBuilder, Route};
use crate::source::{Accepts, Source};

/// The most groups (a letter or digit, then at most one `_` or `-`) a function or
/// parameter name of Bedrock's has.
const MAX_NAME: usize = 100;
/// The longest description Bedrock takes for a function, and for a parameter.
const MAX_FUNCTION_DESCRIPTION: usize = 1200;
const MAX_PARAMETER_DESCRIPTION: usize = 500;

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

    /// Describes the tool registered last, for the agent: the `description` of its
    /// function in [`function_schema`](Self::function_schema).
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.app = self.app.doc(Operation::new().description(text));
        self
    }

    /// The function details of the action group (what Bedrock's `functionSchema` takes:
    /// `{"functions": [..]}`), from the tools' declarations: each tool's name, its
    /// [`description`](Self::description), and a parameter per field of its
    /// [`Args<T>`](crate::bedrock::Args) with its type (`string`, `number`, `integer`,
    /// `boolean` or `array`), its doc comment as description, and whether it is required
    /// (unless an `Option` or `#[serde(default)]`). `T` gives its schema with
    /// `#[derive(schemars::JsonSchema)]` and [`rebind!`](crate::rebind)`(documented: T)`.
    ///
    /// ```
    /// use lambda_router::App;
    /// use lambda_router::bedrock::Args;
    ///
    /// #[derive(serde::Deserialize, schemars::JsonSchema)]
    /// struct Trip {
    ///     /// Where to, a city name.
    ///     destination: String,
    ///     nights: Option<u8>,
    /// }
    /// lambda_router::rebind!(documented: Trip);
    ///
    /// let tools = App::bedrock_agent_functions()
    ///     .tool("book_trip", |Args(trip): Args<Trip>| trip.destination)
    ///     .description("Books a trip for the user");
    /// let schema: serde_json::Value = serde_json::from_str(&tools.function_schema()?)?;
    /// let function = &schema["functions"][0];
    /// assert_eq!(function["name"], "book_trip");
    /// assert_eq!(function["description"], "Books a trip for the user");
    /// assert_eq!(function["parameters"]["destination"]["type"], "string");
    /// assert_eq!(function["parameters"]["destination"]["description"], "Where to, a city name.");
    /// assert_eq!(function["parameters"]["destination"]["required"], true);
    /// assert_eq!(function["parameters"]["nights"]["type"], "integer");
    /// assert_eq!(function["parameters"]["nights"]["required"], false);
    /// let app = tools.build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// A tool whose arguments' type has no schema (not `documented`), a field of a type
    /// Bedrock cannot declare (an object) or named as Bedrock does not take it, or a
    /// description over Bedrock's length (1,200 characters for a tool, 500 for a field).
    pub fn function_schema(&self) -> Result<String, BuildError> {
        let mut generator = Target::BedrockAgent.generator();
        let mut functions = Vec::with_capacity(self.names.len());
        for (name, route) in self.names.iter().zip(&self.app.routes) {
            let mut inputs = Inputs::new(Some(&mut generator), &[]);
            (route.describe)(&mut inputs);
            if let Some(type_name) = inputs.undocumented_arguments {
                return Err(BuildError::config(format!(
                    "tool `{name}` reads its arguments as `{type_name}`, which has no schema \
                     to list them from: derive `schemars::JsonSchema` for it and write \
                     `lambda_router::rebind!(documented: ..)`"
                )));
            }
            let arguments = std::mem::take(&mut inputs.arguments);
            // With the target's forms (an enum's values told in its description).
            let definitions = generator.take_definitions(true);
            let mut parameters = Map::new();
            for argument in arguments {
                let schema = resolved(argument.schema.as_value(), &definitions);
                let kind = schema.get("type").and_then(Value::as_str);
                let Some(kind) = kind.filter(|kind| PARAMETER_TYPES.contains(kind)) else {
                    return Err(BuildError::config(format!(
                        "argument `{}` of tool `{name}` is not a string, number, integer, \
                         boolean or array, the types a Bedrock function's parameter has",
                        argument.name
                    )));
                };
                if !is_bedrock_name(&argument.name) {
                    return Err(BuildError::config(format!(
                        "argument `{}` of tool `{name}` is not a Bedrock parameter name (1 to \
                         {MAX_NAME} ASCII letters or digits, each followed by at most one `_` \
                         or `-`): rename the field, or `#[serde(rename)]` it",
                        argument.name
                    )));
                }
                let mut detail = Map::new();
                detail.insert("type".into(), kind.into());
                // The field's doc comment, then its type's (an enum's tells its values).
                let own = argument.description.as_deref();
                let of_type = schema.get("description").and_then(Value::as_str);
                let description = match (own, of_type) {
                    (Some(own), Some(of_type)) if own != of_type => {
                        Some(format!("{own}\n\n{of_type}"))
                    }
                    (own, of_type) => own.or(of_type).map(str::to_owned),
                };
                if let Some(description) = description.filter(|text| !text.is_empty()) {
                    let what = format!("argument `{}` of tool `{name}`", argument.name);
                    check_length(&what, &description, MAX_PARAMETER_DESCRIPTION)?;
                    detail.insert("description".into(), description.into());
                }
                detail.insert("required".into(), argument.required.into());
                parameters.insert(argument.name, Value::Object(detail));
            }
            let mut function = Map::new();
            function.insert("name".into(), name.as_str().into());
            let described = route
                .doc
                .as_ref()
                .and_then(|doc| doc.description.as_deref());
            if let Some(description) = described.filter(|text| !text.is_empty()) {
                let what = format!("tool `{name}`");
                check_length(&what, description, MAX_FUNCTION_DESCRIPTION)?;
                function.insert("description".into(), description.into());
            }
            function.insert("parameters".into(), Value::Object(parameters));
            functions.push(Value::Object(function));
        }
        let schema = serde_json::json!({ "functions": functions });
        Ok(schema.to_string())
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
    /// A name Bedrock does not accept for a function (1 to 100 ASCII letters or digits,
    /// each followed by at most one `_` or `-`), a name registered twice, or a tool taking
    /// a [`State`](crate::extract::State) the app was not given.
    pub fn build(self) -> Result<App, BuildError> {
        for (index, name) in self.names.iter().enumerate() {
            if !is_bedrock_name(name) {
                return Err(BuildError::config(format!(
                    "tool name `{name}` is not a Bedrock function name (1 to {MAX_NAME} ASCII \
                     letters or digits, each followed by at most one `_` or `-`)"
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

/// The types a Bedrock function's parameter may be declared with.
const PARAMETER_TYPES: [&str; 5] = ["string", "number", "integer", "boolean", "array"];

/// Refuses a description longer than Bedrock takes for `what`.
fn check_length(what: &str, description: &str, limit: usize) -> Result<(), BuildError> {
    let length = description.chars().count();
    if length > limit {
        return Err(BuildError::config(format!(
            "the description of {what} has {length} characters; Bedrock takes at most {limit}"
        )));
    }
    Ok(())
}

/// A schema, or the definition it refers to.
fn resolved<'s>(schema: &'s Value, definitions: &'s Map<String, Value>) -> &'s Value {
    let reference = schema.get("$ref").and_then(Value::as_str);
    let definition = reference
        .and_then(|reference| reference.rsplit('/').next())
        .and_then(|name| definitions.get(name));
    definition.unwrap_or(schema)
}

/// Whether `name` is a name Bedrock accepts for a function or a parameter: it matches
/// `([0-9a-zA-Z][_-]?){1,100}` whole (letters and digits, each followed by at most one `_`
/// or `-`: so no leading, doubled or more than 100 groups); then it is also one literal
/// segment of a route rule.
fn is_bedrock_name(name: &str) -> bool {
    let mut bytes = name.bytes().peekable();
    let mut groups = 0;
    while let Some(byte) = bytes.next() {
        if !byte.is_ascii_alphanumeric() {
            return false;
        }
        groups += 1;
        bytes.next_if(|&next| next == b'_' || next == b'-');
    }
    (1..=MAX_NAME).contains(&groups)
}
