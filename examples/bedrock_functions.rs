//! An Amazon Bedrock agent's action group defined by function details: a travel desk's
//! tools. The agent calls a tool by name with the arguments it took from the
//! conversation; the app answers with the text the agent reads.
//! `cargo run --example bedrock_functions -- schema` prints the function details to give
//! the action group (Bedrock's `functionSchema`); `cargo test --example bedrock_functions`
//! tests the tools; deployed, Bedrock invokes it (see the guide's Bedrock page,
//! `guide::bedrock`).

use lambda_router::bedrock::{AgentSession, Args, ResponseState, ToolsBuilder};
use lambda_router::{App, Response};
use serde::Deserialize;

/// A stay to book.
#[derive(Deserialize, schemars::JsonSchema)]
struct Trip {
    /// The city to stay in, as the user names it.
    destination: String,
    /// How many nights, 1 to 14.
    nights: u8,
}

/// Whose forecast.
#[derive(Deserialize, schemars::JsonSchema)]
struct Place {
    /// The city.
    city: String,
}

lambda_router::rebind!(documented: Trip, Place);

/// Books a stay and remembers it for the rest of the session; asks the agent to ask
/// again for a stay too long to book.
fn book_trip(Args(trip): Args<Trip>, mut session: AgentSession) -> Response {
    if !(1..=14).contains(&trip.nights) {
        return Response::text(200, "Ask the user for a stay of 1 to 14 nights")
            .agent_response_state(ResponseState::Reprompt);
    }
    let booking = format!("{} nights in {}", trip.nights, trip.destination);
    session
        .session_attributes
        .insert("lastBooking".to_owned(), booking.clone());
    Response::text(200, format!("Booked {booking}")).agent_session(session)
}

fn forecast(Args(place): Args<Place>) -> String {
    format!("Sunny in {} all week", place.city)
}

fn tools() -> ToolsBuilder {
    App::bedrock_agent_functions()
        .tool("book_trip", book_trip)
        .description("Books a hotel stay for the user")
        .tool("forecast", forecast)
        .description("The week's weather in a city")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().nth(1).as_deref() == Some("schema") {
        println!("{}", tools().function_schema()?);
        return Ok(());
    }
    Ok(lambda_router::run(tools().build()?)?)
}

#[cfg(test)]
mod tests {
    use lambda_router::{LambdaContext, Scratch};
    use serde_json::{Value, json};

    /// What the agent reads (the `TEXT` body) and the whole answer, for a call of
    /// `function` with these arguments (every value text, as the agent sends them).
    fn call(function: &str, arguments: &[(&str, &str, &str)]) -> (String, Value) {
        let parameters: Vec<Value> = arguments
            .iter()
            .map(|(name, kind, value)| json!({"name": name, "type": kind, "value": value}))
            .collect();
        let event = json!({
            "messageVersion": "1.0",
            "agent": {"name": "travel", "id": "AGENT1", "alias": "TSTALIASID", "version": "DRAFT"},
            "sessionId": "s-1",
            "sessionAttributes": {},
            "promptSessionAttributes": {},
            "inputText": "book me two nights in Porto",
            "actionGroup": "Travel",
            "function": function,
            "parameters": parameters,
        });
        let app = super::tools().build().unwrap();
        let mut scratch = Scratch::new();
        let bytes = serde_json::to_vec(&event).unwrap();
        let out = app
            .handle_blocking(&mut scratch, &bytes, &LambdaContext::default())
            .unwrap();
        let answer: Value = serde_json::from_slice(out).unwrap();
        let text = answer["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
            .as_str()
            .unwrap()
            .to_owned();
        (text, answer)
    }

    #[test]
    fn the_tools_answer_what_the_agent_reads() {
        let (text, answer) = call(
            "book_trip",
            &[
                ("destination", "string", "Porto"),
                ("nights", "integer", "2"),
            ],
        );
        assert_eq!(text, "Booked 2 nights in Porto");
        assert_eq!(
            answer["sessionAttributes"]["lastBooking"],
            "2 nights in Porto"
        );
        let (text, answer) = call(
            "book_trip",
            &[
                ("destination", "string", "Porto"),
                ("nights", "integer", "30"),
            ],
        );
        assert_eq!(text, "Ask the user for a stay of 1 to 14 nights");
        assert_eq!(
            answer["response"]["functionResponse"]["responseState"],
            "REPROMPT"
        );
        let (text, _) = call("forecast", &[("city", "string", "Lisbon")]);
        assert_eq!(text, "Sunny in Lisbon all week");
        // An error is what the agent reads too (a JSON string, as Powertools writes it).
        let (text, _) = call("forecast", &[]);
        assert_eq!(
            text,
            r#""Error: ArgumentError: missing required argument 'city'""#
        );
    }

    #[test]
    fn the_schema_lists_every_tool_the_app_answers() {
        let schema: Value =
            serde_json::from_str(&super::tools().function_schema().unwrap()).unwrap();
        let functions = schema["functions"].as_array().unwrap();
        let names: Vec<&str> = functions
            .iter()
            .filter_map(|f| f["name"].as_str())
            .collect();
        assert_eq!(names, ["book_trip", "forecast"]);
        let nights = &functions[0]["parameters"]["nights"];
        assert_eq!(
            *nights,
            json!({"type": "integer", "description": "How many nights, 1 to 14.", "required": true})
        );
        // Every function the schema lists is a tool the app answers (no UnknownTool).
        for name in names {
            let (text, _) = call(name, &[]);
            assert!(!text.contains("UnknownTool"), "{name}: {text}");
        }
    }
}
