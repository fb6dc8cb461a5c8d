//! An Amazon Bedrock agent's action group, defined by an OpenAPI schema: a shop's order
//! desk. The agent reads an order, lists a customer's orders and opens a return, sending
//! the values it took from the conversation; the app answers in the agent's envelope.
//! `cargo test --example bedrock_agent` tests it; deployed, Bedrock invokes it (see
//! `examples/sam/bedrock-agent.yaml` and the guide's Bedrock page, `guide::bedrock`).
//! `cargo run --example bedrock_agent -- openapi` prints the OpenAPI 3.0 document the
//! action group is made with.

use lambda_router::bedrock::AgentSession;
use lambda_router::extract::{Path, Query, Valid};
use lambda_router::openapi::{OpenApi, Operation};
use lambda_router::{App, BuildError, Json, Response, ServiceError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Serialize, JsonSchema, Clone, Copy)]
struct Order {
    id: u32,
    status: &'static str,
    total_cents: u32,
}

/// The shop's orders (a real app reads a table).
const ORDERS: [Order; 3] = [
    Order {
        id: 1001,
        status: "delivered",
        total_cents: 2599,
    },
    Order {
        id: 1002,
        status: "shipped",
        total_cents: 1250,
    },
    Order {
        id: 1003,
        status: "delivered",
        total_cents: 7400,
    },
];

#[derive(Deserialize, JsonSchema, garde::Validate)]
struct OrderId {
    /// The order's number.
    #[garde(range(min = 1000, max = 9999))]
    order_id: u32,
}

#[derive(Deserialize, JsonSchema, garde::Validate)]
struct Listing {
    /// Only the orders in this status.
    #[garde(skip)]
    status: Option<String>,
    /// How many orders at most.
    #[serde(default = "three")]
    #[garde(range(min = 1, max = 10))]
    limit: usize,
}

fn three() -> usize {
    3
}

/// What the agent sends to open a return: the request body's properties.
#[derive(Deserialize, JsonSchema, garde::Validate)]
struct NewReturn {
    /// Why the customer returns the order, in their words.
    #[garde(length(chars, min = 3, max = 200))]
    reason: String,
    /// Refund to the card paid with, rather than in store credit.
    #[serde(default)]
    #[garde(skip)]
    refund_to_card: bool,
}

lambda_router::rebind!(documented: OrderId, Listing, NewReturn);

fn find(id: u32) -> Result<Order, ServiceError> {
    ORDERS
        .iter()
        .find(|order| order.id == id)
        .copied()
        .ok_or_else(|| ServiceError::not_found(format!("order {id} not found")))
}

fn get_order(Valid(Path(path)): Valid<Path<OrderId>>) -> Result<Json<Order>, ServiceError> {
    find(path.order_id).map(Json)
}

fn list_orders(Valid(Query(listing)): Valid<Query<Listing>>) -> Json<Vec<Order>> {
    let wanted = listing.status.as_deref();
    let orders = ORDERS
        .iter()
        .filter(|order| wanted.is_none_or(|status| order.status == status))
        .take(listing.limit)
        .copied()
        .collect();
    Json(orders)
}

/// Opens a return, and tells the agent to remember it for the rest of the session.
fn open_return(
    Valid(Path(path)): Valid<Path<OrderId>>,
    Valid(Json(request)): Valid<Json<NewReturn>>,
    mut session: AgentSession,
) -> Result<Response<Json<serde_json::Value>>, ServiceError> {
    let order = find(path.order_id)?;
    if order.status != "delivered" {
        return Err(ServiceError::new(
            409,
            "only a delivered order can be returned",
        ));
    }
    let return_id = format!("RET-{}", order.id);
    session
        .session_attributes
        .insert("openReturn".to_owned(), return_id.clone());
    let answer = serde_json::json!({
        "returnId": return_id,
        "reason": request.reason,
        "refund": if request.refund_to_card { "card" } else { "store credit" },
    });
    Ok(Response::json(201, answer).agent_session(session))
}

/// A route's operation in the document: the agent reads its description to choose it.
fn operation(id: &str, description: &str) -> Operation {
    Operation::new().operation_id(id).description(description)
}

fn app() -> Result<App, BuildError> {
    App::bedrock_agent()
        .get("/orders", list_orders)
        .doc(
            operation("listOrders", "List the customer's orders, newest first")
                .returns::<Vec<Order>>(200, "The orders"),
        )
        .get("/orders/<order_id>", get_order)
        .doc(
            operation("getOrder", "Get one order: its status and total")
                .returns::<Order>(200, "The order")
                .error(404, "No order has this number"),
        )
        .post("/orders/<order_id>/returns", open_return)
        .doc(
            operation(
                "openReturn",
                "Open a return of a delivered order, refunded to the card or in store credit",
            )
            .returns_content(
                201,
                "application/json",
                "The return: its id, reason and refund",
            )
            .error(404, "No order has this number")
            .error(409, "The order is not delivered yet"),
        )
        .openapi(OpenApi::new("Order desk", "1.0"))
        .build()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app = app()?;
    if std::env::args().nth(1).as_deref() == Some("openapi") {
        let document = app.openapi_json().ok_or("the app has no document")?;
        println!("{document}");
        return Ok(());
    }
    Ok(lambda_router::run(app)?)
}

#[cfg(test)]
mod tests {
    use lambda_router::{LambdaContext, Scratch};
    use serde_json::{Value, json};

    /// The event Bedrock sends for `method api_path`, with these parameters and body
    /// properties (every value a string, as the agent sends them).
    fn event(
        method: &str,
        api_path: &str,
        parameters: &[(&str, &str)],
        body: &[(&str, &str)],
    ) -> Value {
        let named = |pairs: &[(&str, &str)]| -> Vec<Value> {
            let entry = |(name, value): &(&str, &str)| json!({"name": name, "type": "string", "value": value});
            pairs.iter().map(entry).collect()
        };
        let mut event = json!({
            "messageVersion": "1.0",
            "agent": {"name": "shop", "id": "AGENT1", "alias": "TSTALIASID", "version": "DRAFT"},
            "sessionId": "s-1",
            "sessionAttributes": {"customer": "c-7"},
            "promptSessionAttributes": {},
            "inputText": "I want to return order 1001",
            "actionGroup": "Orders",
            "httpMethod": method,
            "apiPath": api_path,
            "parameters": named(parameters),
        });
        if !body.is_empty() {
            event["requestBody"] =
                json!({"content": {"application/json": {"properties": named(body)}}});
        }
        event
    }

    /// The answer: its status, its body parsed, and the whole envelope.
    fn answer(event: &Value) -> (u64, Value, Value) {
        let app = super::app().unwrap();
        let mut scratch = Scratch::new();
        let bytes = serde_json::to_vec(event).unwrap();
        let out = app
            .handle_blocking(&mut scratch, &bytes, &LambdaContext::default())
            .unwrap();
        let envelope: Value = serde_json::from_slice(out).unwrap();
        let response = &envelope["response"];
        let body = response["responseBody"]["application/json"]["body"]
            .as_str()
            .unwrap();
        let status = response["httpStatusCode"].as_u64().unwrap();
        (status, serde_json::from_str(body).unwrap(), envelope)
    }

    #[test]
    fn the_agent_reads_and_lists_orders() {
        let (status, body, envelope) = answer(&event(
            "GET",
            "/orders/{order_id}",
            &[("order_id", "1002")],
            &[],
        ));
        assert_eq!(
            (status, body),
            (
                200,
                json!({"id": 1002, "status": "shipped", "total_cents": 1250})
            )
        );
        assert_eq!(envelope["response"]["apiPath"], "/orders/{order_id}");
        // A plain answer leaves the agent's session as it is: none is sent back.
        assert!(envelope.get("sessionAttributes").is_none());

        let (status, body, _) = answer(&event(
            "GET",
            "/orders",
            &[("status", "delivered"), ("limit", "1")],
            &[],
        ));
        assert_eq!(
            (status, body),
            (
                200,
                json!([{"id": 1001, "status": "delivered", "total_cents": 2599}])
            )
        );

        let (status, body, _) = answer(&event(
            "GET",
            "/orders/{order_id}",
            &[("order_id", "4242")],
            &[],
        ));
        assert_eq!(
            (status, body),
            (
                404,
                json!({"statusCode": 404, "message": "order 4242 not found"})
            )
        );
    }

    #[test]
    fn a_return_is_opened_and_remembered_or_refused_with_every_reason() {
        let open = event(
            "POST",
            "/orders/{order_id}/returns",
            &[("order_id", "1001")],
            &[("reason", "too small"), ("refund_to_card", "yes")],
        );
        let (status, body, envelope) = answer(&open);
        assert_eq!(
            (status, body),
            (
                201,
                json!({"returnId": "RET-1001", "reason": "too small", "refund": "card"})
            )
        );
        assert_eq!(
            envelope["sessionAttributes"],
            json!({"customer": "c-7", "openReturn": "RET-1001"})
        );

        let shipped = event(
            "POST",
            "/orders/{order_id}/returns",
            &[("order_id", "1002")],
            &[("reason", "late")],
        );
        assert_eq!(answer(&shipped).0, 409);

        let invalid = event(
            "POST",
            "/orders/{order_id}/returns",
            &[("order_id", "12")],
            &[("reason", "no"), ("refund_to_card", "maybe")],
        );
        let (status, body, _) = answer(&invalid);
        let detail = json!([
            {"loc": ["path", "order_id"], "type": "greater_than_equal"},
            {"loc": ["body", "reason"], "type": "string_too_short"},
            {"loc": ["body", "refund_to_card"], "type": "bool_parsing"},
        ]);
        assert_eq!(
            (status, body),
            (422, json!({"statusCode": 422, "detail": detail}))
        );
    }

    /// The document the action group is made with: OpenAPI 3.0.0, each route's operation
    /// with its inputs, and no operation the app does not answer.
    #[test]
    fn the_document_lists_what_the_agent_may_call() {
        let app = super::app().unwrap();
        let document: Value = serde_json::from_str(app.openapi_json().unwrap()).unwrap();
        assert_eq!(document["openapi"], "3.0.0");

        let mut operations = Vec::new();
        for (path, methods) in document["paths"].as_object().unwrap() {
            for (method, operation) in methods.as_object().unwrap() {
                let mut inputs: Vec<String> = operation["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|parameter| {
                        format!(
                            "{}.{}",
                            parameter["in"].as_str().unwrap(),
                            parameter["name"].as_str().unwrap()
                        )
                    })
                    .collect();
                if operation.get("requestBody").is_some() {
                    inputs.push("body".to_owned());
                }
                // Compared as a set: the order of the parameters follows serde_json's maps
                // (sorted, or in declaration order with its `preserve_order` feature).
                inputs.sort();
                let mut statuses: Vec<&String> =
                    operation["responses"].as_object().unwrap().keys().collect();
                statuses.sort();
                operations.push(json!([operation["operationId"], inputs, statuses]));

                // Bedrock sends the document's path template as `apiPath`: the app has
                // a route for each operation (a 404 here would be an operation it lacks).
                let event = event(&method.to_uppercase(), path, &[], &[]);
                assert_ne!(answer_status(&app, &event), 404, "{method} {path}");
            }
        }
        operations.sort_by_key(|operation| operation[0].to_string());
        assert_eq!(
            operations,
            [
                json!(["getOrder", ["path.order_id"], ["200", "404", "422"]]),
                json!([
                    "listOrders",
                    ["query.limit", "query.status"],
                    ["200", "422"]
                ]),
                json!([
                    "openReturn",
                    ["body", "path.order_id"],
                    ["201", "404", "409", "422"]
                ]),
            ]
        );
    }

    /// The status the app answers `event` with.
    fn answer_status(app: &lambda_router::App, event: &Value) -> u64 {
        let mut scratch = Scratch::new();
        let bytes = serde_json::to_vec(event).unwrap();
        let out = app
            .handle_blocking(&mut scratch, &bytes, &LambdaContext::default())
            .unwrap();
        let envelope: Value = serde_json::from_slice(out).unwrap();
        envelope["response"]["httpStatusCode"].as_u64().unwrap()
    }
}
