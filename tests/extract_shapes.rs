//! A single value of `Path`, `Query` or `Headers` takes every serde shape a struct's field
//! takes (enums, newtypes, `Option`, `char`, unit structs), and its errors are located at
//! the value's key (`["path", "todo_id"]`), as pydantic locates them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lambda_router::extract::{Headers, Path, Query};
use lambda_router::testing::{self, EventBuilder};
use lambda_router::{App, AppBuilder};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, Debug)]
#[serde(rename_all = "lowercase")]
enum Order {
    Asc,
    Desc,
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)] // read through `Debug`
struct Id(u32);

#[derive(Deserialize, Debug)]
#[allow(dead_code)] // read through `Debug`
struct Holder<'a>(&'a str);

lambda_router::rebind!(Order, Id, Holder<'a>);

/// Registers, for one extractor, a route per type: `/<location>/<type>/<v>`.
macro_rules! routes {
    ($builder:expr, $prefix:literal, $extractor:ident, [$($name:literal => $ty:ty),* $(,)?]) => {
        $builder
        $(
            .get(
                concat!("/", $prefix, "/", $name, "/<v>"),
                |$extractor(value): $extractor<$ty>| format!("{value:?}"),
            )
            .get(
                concat!("/", $prefix, "/", $name),
                |$extractor(value): $extractor<$ty>| format!("{value:?}"),
            )
        )*
    };
}

macro_rules! every_shape {
    ($builder:expr, $prefix:literal, $extractor:ident) => {
        routes!($builder, $prefix, $extractor, [
            "enum" => Order,
            "newtype" => Id,
            "borrowed_newtype" => Holder<'_>,
            "option" => Option<u32>,
            "option_enum" => Option<Order>,
            "char" => char,
            "bool" => bool,
            "u64" => u64,
            "i8" => i8,
            "f64" => f64,
            "str" => &str,
            "string" => String,
            "tuple" => (Order,),
        ])
    };
}

fn app() -> App {
    let builder: AppBuilder = App::function_url();
    let builder = every_shape!(builder, "path", Path);
    let builder = every_shape!(builder, "query", Query);
    let builder = every_shape!(builder, "header", Headers);
    builder.debug(false).build().unwrap()
}

/// The event giving `value` (or nothing) to the route of `ty` in `location`.
fn event(location: &str, ty: &str, value: Option<&str>) -> EventBuilder {
    match (location, value) {
        ("path", Some(value)) => testing::function_url().get(&format!("/path/{ty}/{value}")),
        ("path", None) => testing::function_url().get(&format!("/path/{ty}")),
        ("query", Some(value)) => testing::function_url()
            .get(&format!("/query/{ty}"))
            .query("v", value),
        ("header", Some(value)) => testing::function_url()
            .get(&format!("/header/{ty}"))
            .header("v", value),
        (_, None) => testing::function_url().get(&format!("/{location}/{ty}")),
        _ => unreachable!(),
    }
}

/// `(type, value sent, Ok(what the handler saw) or Err((type, msg)))`.
type Case = (
    &'static str,
    &'static str,
    Result<&'static str, (&'static str, &'static str)>,
);

const CASES: &[Case] = &[
    ("enum", "asc", Ok("Asc")),
    ("enum", "desc", Ok("Desc")),
    (
        "enum",
        "up",
        Err(("enum", "Input should be 'asc' or 'desc'")),
    ),
    ("newtype", "7", Ok("Id(7)")),
    (
        "newtype",
        "x",
        Err(("int_parsing", "Input should be a valid integer")),
    ),
    ("borrowed_newtype", "ana", Ok("Holder(\"ana\")")),
    ("option", "3", Ok("Some(3)")),
    (
        "option",
        "x",
        Err(("int_parsing", "Input should be a valid integer")),
    ),
    ("option_enum", "desc", Ok("Some(Desc)")),
    (
        "option_enum",
        "sideways",
        Err(("enum", "Input should be 'asc' or 'desc'")),
    ),
    ("char", "é", Ok("'é'")),
    (
        "char",
        "ab",
        Err(("value_error", "Input should be a single character")),
    ),
    ("bool", "true", Ok("true")),
    (
        "bool",
        "maybe",
        Err(("bool_parsing", "Input should be a valid boolean")),
    ),
    ("u64", "18446744073709551615", Ok("18446744073709551615")),
    (
        "u64",
        "-1",
        Err((
            "greater_than_equal",
            "Input should be greater than or equal to 0",
        )),
    ),
    (
        "u64",
        "99999999999999999999999",
        Err((
            "less_than_equal",
            "Input should be less than or equal to 18446744073709551615",
        )),
    ),
    ("i8", "-128", Ok("-128")),
    (
        "i8",
        "128",
        Err((
            "less_than_equal",
            "Input should be less than or equal to 127",
        )),
    ),
    ("f64", "1.5", Ok("1.5")),
    (
        "f64",
        "high",
        Err(("float_parsing", "Input should be a valid number")),
    ),
    ("str", "ana", Ok("\"ana\"")),
    ("string", "ana", Ok("\"ana\"")),
    ("tuple", "asc", Ok("(Asc,)")),
    (
        "tuple",
        "up",
        Err(("enum", "Input should be 'asc' or 'desc'")),
    ),
];

#[test]
fn single_values_take_every_shape_in_every_location() {
    let app = app();
    for location in ["path", "query", "header"] {
        for &(ty, value, expected) in CASES {
            let response = testing::call(&app, event(location, ty, Some(value)));
            let what = format!("{location} {ty} {value:?}: {}", response.text());
            match expected {
                Ok(seen) => {
                    assert_eq!(
                        (response.status(), &*response.text()),
                        (200, seen),
                        "{what}"
                    );
                }
                Err((kind, msg)) => {
                    assert_eq!(response.status(), 422, "{what}");
                    let body: Value = response.json().unwrap();
                    assert_eq!(
                        body["detail"],
                        json!([{ "loc": [location, "v"], "type": kind, "msg": msg }]),
                        "{what}"
                    );
                }
            }
        }
    }
}

#[test]
fn an_absent_single_value_is_missing_or_none() {
    let app = app();
    for location in ["query", "header"] {
        let none = testing::call(&app, event(location, "option", None));
        assert_eq!((none.status(), &*none.text()), (200, "None"), "{location}");
        for ty in ["enum", "u64", "newtype", "char"] {
            let response = testing::call(&app, event(location, ty, None));
            assert_eq!(response.status(), 422, "{location} {ty}");
            let body: Value = response.json().unwrap();
            assert_eq!(
                body["detail"],
                json!([{ "loc": [location], "type": "missing", "msg": "Field required" }]),
                "{location} {ty}"
            );
        }
    }
}
