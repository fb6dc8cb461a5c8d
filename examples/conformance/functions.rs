//! App 2 of the kit's `bedrock/APP.md`: a travel agent's function-details action group,
//! on `App::bedrock_agent_functions()`. The Python tools take whatever Powertools'
//! conversion gives them and check it themselves, so these take `ArgValue`s.

use lambda_router::bedrock::{AgentSession, ArgValue, Args, ResponseState};
use lambda_router::{App, Json, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Python's `ValueError` (the agent reads `Error: ValueError: <message>`).
#[derive(Debug)]
struct ValueError(&'static str);

/// Python's `RuntimeError`.
#[derive(Debug)]
struct RuntimeError(&'static str);

macro_rules! python_error {
    ($($name:ident)*) => {$(
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0)
            }
        }
        impl std::error::Error for $name {}
    )*};
}

python_error!(ValueError RuntimeError);

/// Python's `str(value)`.
fn text(value: &ArgValue) -> String {
    match value {
        ArgValue::Integer(n) => n.to_string(),
        ArgValue::Number(x) if x.fract() == 0.0 => format!("{x:.1}"),
        ArgValue::Number(x) => x.to_string(),
        ArgValue::Boolean(true) => "True".to_owned(),
        ArgValue::Boolean(false) => "False".to_owned(),
        ArgValue::Text(text) => text.clone(),
    }
}

/// T1's arguments.
#[derive(Deserialize)]
struct Weather {
    city: ArgValue,
    days: Option<ArgValue>,
    units: Option<ArgValue>,
}

/// T1's answer.
#[derive(Serialize)]
struct Forecast {
    city: ArgValue,
    days: ArgValue,
    units: ArgValue,
    forecast: &'static str,
}

fn get_weather(Args(args): Args<Weather>) -> Result<Json<Forecast>, ValueError> {
    let days = args.days.unwrap_or(ArgValue::Integer(1));
    if !matches!(days, ArgValue::Integer(1..=7)) {
        return Err(ValueError("days must be an integer between 1 and 7"));
    }
    Ok(Json(Forecast {
        city: args.city,
        days,
        units: args.units.unwrap_or(ArgValue::Text("metric".to_owned())),
        forecast: "sunny",
    }))
}

/// T2's arguments.
#[derive(Deserialize)]
struct Greeting {
    name: Option<ArgValue>,
    formal: Option<ArgValue>,
}

fn greet(Args(args): Args<Greeting>) -> Json<String> {
    let name = args.name.as_ref().map_or_else(|| "world".to_owned(), text);
    Json(match args.formal {
        Some(ArgValue::Boolean(true)) => format!("Good day, {name}."),
        _ => format!("Hello, {name}!"),
    })
}

/// T3's arguments, answered as received.
#[derive(Deserialize, Serialize)]
struct Echo {
    text: Option<ArgValue>,
    count: Option<ArgValue>,
    ratio: Option<ArgValue>,
    flag: Option<ArgValue>,
    items: Option<ArgValue>,
    extra: Option<ArgValue>,
}

fn echo_params(Args(args): Args<Echo>) -> Json<Echo> {
    Json(args)
}

/// T4's arguments.
#[derive(Deserialize)]
struct Trip {
    destination: ArgValue,
    nights: Option<ArgValue>,
}

fn book_trip(
    Args(trip): Args<Trip>,
    session: AgentSession,
) -> Result<Response<Json<Value>>, ValueError> {
    let destination = text(&trip.destination);
    if destination == "Atlantis" {
        let body = json!("Unknown destination: Atlantis");
        return Ok(Response::json(200, body).agent_response_state(ResponseState::Failure));
    }
    let nights = match trip.nights.unwrap_or(ArgValue::Integer(1)) {
        ArgValue::Integer(nights) if nights >= 1 => nights,
        _ => return Err(ValueError("nights must be a positive integer")),
    };
    if nights > 14 {
        let body = json!("Stays are limited to 14 nights; ask the user for a shorter stay");
        return Ok(Response::json(200, body).agent_response_state(ResponseState::Reprompt));
    }
    let mut session = session;
    session
        .session_attributes
        .insert("lastBooking".to_owned(), destination);
    session
        .prompt_session_attributes
        .insert("bookingState".to_owned(), "confirmed".to_owned());
    let body = json!({
        "destination": text(&trip.destination), "nights": i64::try_from(nights).unwrap_or(14),
        "confirmation": format!("BK-{nights}"),
    });
    Ok(Response::json(200, body).agent_session(session))
}

/// T5's arguments.
#[derive(Deserialize)]
struct Stock {
    sku: ArgValue,
}

fn check_stock(Args(stock): Args<Stock>) -> Result<Json<i64>, RuntimeError> {
    if stock.sku == ArgValue::Text("ERR-500".to_owned()) {
        return Err(RuntimeError("stock backend unavailable"));
    }
    Ok(Json(7))
}

lambda_router::rebind!(Weather, Greeting, Echo, Trip, Stock);

/// The app.
pub(crate) fn app() -> Result<App, lambda_router::BuildError> {
    App::bedrock_agent_functions()
        .tool("get_weather", get_weather)
        .tool("greet", greet)
        .tool("echo_params", echo_params)
        .tool("book_trip", book_trip)
        .tool("check_stock", check_stock)
        // T6: Python registers its `healthcheck_tool` under this name; returns None.
        .tool("ping", || Json(""))
        .build()
}
