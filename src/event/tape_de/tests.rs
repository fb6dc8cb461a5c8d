//! The tape deserializer against serde_json as the oracle: the same documents through
//! `serde_json::from_str` and through a simd-json tape must give the same values and, where
//! both fail, the same messages (serde_json's " at line L column C" suffix aside).

// A failing test should stop loudly.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use proptest::prelude::*;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use serde_json::Value as Json;

use super::from_tape_value;

/// serde_json's error message without its position suffix.
fn strip_position(message: String) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

/// `$ty` from `$json` through serde_json and through the tape: `Ok` values equal, `Err`
/// messages equal. The type may borrow from the input.
macro_rules! same {
    ($ty:ty, $json:expr) => {{
        let json: &str = $json;
        let expected = serde_json::from_str::<$ty>(json).map_err(|e| strip_position(e.to_string()));
        let mut bytes = json.as_bytes().to_vec();
        let tape = simd_json::to_tape(&mut bytes).expect("test input is JSON");
        let got = from_tape_value::<$ty>(tape.as_value()).map_err(|e| e.to_string());
        assert_eq!(got, expected, "input: {json}");
    }};
}

/// Both reject `$json` as `$ty` (their messages differ; see the individual tests).
macro_rules! both_reject {
    ($ty:ty, $json:expr) => {{
        let json: &str = $json;
        let expected = serde_json::from_str::<$ty>(json);
        assert!(
            expected.is_err(),
            "serde_json accepted {json}: {expected:?}"
        );
        let got = tape_err::<$ty>(json);
        assert!(!got.is_empty());
    }};
}

/// The tape deserializer's error message for `json` as `T` (which must not borrow).
fn tape_err<T: for<'de> Deserialize<'de> + fmt::Debug>(json: &str) -> String {
    let mut bytes = json.as_bytes().to_vec();
    let tape = simd_json::to_tape(&mut bytes).expect("test input is JSON");
    match from_tape_value::<T>(tape.as_value()) {
        Ok(value) => panic!("accepted {json} as {value:?}"),
        Err(error) => error.to_string(),
    }
}

/// `json` as a `serde_json::Value` through the tape.
fn tape_json(json: &str) -> Json {
    let mut bytes = json.as_bytes().to_vec();
    let tape = simd_json::to_tape(&mut bytes).expect("test input is JSON");
    from_tape_value::<Json>(tape.as_value()).expect("any JSON is a serde_json::Value")
}

// ---- serde_json::Value (deserialize_any) ----

const DOCUMENTS: &[&str] = &[
    r#"{"a":1,"b":[1,2,{"c":null}],"d":{"e":{"f":[]}},"g":"h"}"#,
    r#"[null,true,false,0,1,-1,42,-42,9223372036854775807,9223372036854775808,18446744073709551615,-9223372036854775808]"#,
    r#"[1.5,-2.25e-10,1e300,-1e-300,0.1,3.0,2.5E+3,123456.789,5e-324,1.7976931348623157e308]"#,
    r#"{"uni":"héllo wörld ✓ 🎉","esc":"a\"b\\c\/d\b\f\n\r\t","u":"\u00e9\ud83c\udf89\u0000x","k\u00e9y":1,"":""}"#,
    r#"{}"#,
    r#"[]"#,
    r#""""#,
    r#"[[],{},"",[[]],{"":{}}]"#,
    r#"{"a":1,"a":2,"b":{"x":1,"x":[3]},"a":{"z":true}}"#,
    r#"42"#,
    r#"-7"#,
    r#""just a string""#,
    r#"null"#,
    r#"true"#,
    r#"-0.0"#,
    r#"1E2"#,
    "  {\n\t\"spaced\" : [ 1 , 2 ] ,\r\n \"x\" : { } }  ",
    r#"[[[[[[[[[[{"deep":[[[[["bottom"]]]]]}]]]]]]]]]]"#,
    r#"{"body":"{\"nested\":\"json\"}","isBase64Encoded":false,"headers":{"a":"b","c":"d"}}"#,
];

#[test]
fn json_values_match_serde_json() {
    for json in DOCUMENTS {
        same!(Json, json);
    }
}

#[test]
fn duplicate_keys_keep_the_last_like_serde_json() {
    let value = tape_json(r#"{"a":1,"a":2,"b":{"x":1,"x":[3]}}"#);
    assert_eq!(value, serde_json::json!({"a": 2, "b": {"x": [3]}}));
}

#[test]
fn number_kinds_are_kept() {
    let value = tape_json("[18446744073709551615,-9223372036854775808,1.0,7]");
    assert!(value[0].is_u64());
    assert!(value[1].is_i64());
    assert!(value[2].is_f64());
    assert!(value[3].is_u64());
}

#[test]
fn minus_zero_integer_is_the_tapes_integer_zero() {
    // simd-json reads `-0` as the integer 0; serde_json as the float -0.0.
    assert_eq!(tape_json("-0"), serde_json::json!(0));
    assert!(serde_json::from_str::<Json>("-0").unwrap().is_f64());
    // `-0.0` is a float on both sides.
    same!(Json, "-0.0");
}

// ---- derived types ----

#[derive(Debug, PartialEq, Deserialize)]
struct Inner<'a> {
    label: &'a str,
    #[serde(default)]
    weight: u32,
}

#[derive(Debug, PartialEq, Deserialize)]
enum Shape {
    Unit,
    Newtype(u32),
    Tuple(i8, i8),
    Struct { w: u16, h: u16 },
}

#[derive(Debug, PartialEq, Deserialize)]
struct UnitStruct;

#[derive(Debug, PartialEq, Deserialize)]
struct Newtype(u32);

#[derive(Debug, PartialEq, Deserialize)]
struct TupleStruct(u8, bool);

#[derive(Debug, PartialEq, Deserialize)]
struct Everything<'a> {
    name: &'a str,
    #[serde(borrow)]
    cow: Cow<'a, str>,
    id: u64,
    neg: i32,
    ratio: f64,
    int_as_float: f32,
    flag: bool,
    maybe: Option<u8>,
    null: Option<u8>,
    missing: Option<u8>,
    #[serde(default)]
    defaulted: Vec<u16>,
    #[serde(borrow)]
    nested: Inner<'a>,
    #[serde(borrow)]
    list: Vec<Inner<'a>>,
    map: HashMap<String, i64>,
    by_number: BTreeMap<i32, bool>,
    by_bool: BTreeMap<bool, u8>,
    shapes: Vec<Shape>,
    tuple: (u8, String, char),
    unit: (),
    unit_struct: UnitStruct,
    newtype: Newtype,
    tuple_struct: TupleStruct,
    byte_seq: Vec<u8>,
    raw_bytes: &'a [u8],
    big: u128,
    any: Json,
}

const EVERYTHING: &str = r#"{
    "name": "tape",
    "cow": "moo",
    "id": 18446744073709551615,
    "neg": -2147483648,
    "ratio": 0.25,
    "int_as_float": 3,
    "flag": true,
    "maybe": 7,
    "null": null,
    "unknown": {"ignored": [1, 2, {"deep": "x"}], "more": null},
    "nested": {"label": "in", "weight": 3, "extra": [true]},
    "list": [{"label": "a"}, {"label": "b", "weight": 1}],
    "map": {"x": -1, "y": 2},
    "by_number": {"-3": true, "10": false},
    "by_bool": {"true": 1, "false": 0},
    "shapes": ["Unit", {"Unit": null}, {"Newtype": 5}, {"Tuple": [-1, 1]}, {"Struct": {"w": 2, "h": 3}}, {"Struct": [4, 5]}],
    "tuple": [1, "two", "3"],
    "unit": null,
    "unit_struct": null,
    "newtype": 9,
    "tuple_struct": [8, false],
    "byte_seq": [0, 1, 255],
    "raw_bytes": "raw",
    "big": 18446744073709551615,
    "any": {"k": [1, "v", null, 2.5, {"z": false}]}
}"#;

#[test]
fn derived_struct_matches_serde_json() {
    same!(Everything<'_>, EVERYTHING);
}

#[test]
fn strings_and_cows_are_borrowed_from_the_input() {
    let mut bytes = EVERYTHING.as_bytes().to_vec();
    let range = bytes.as_ptr_range();
    let tape = simd_json::to_tape(&mut bytes).unwrap();
    let value: Everything<'_> = from_tape_value(tape.as_value()).unwrap();
    assert!(range.contains(&value.name.as_ptr()));
    assert!(matches!(value.cow, Cow::Borrowed(s) if range.contains(&s.as_ptr())));
    assert!(range.contains(&value.nested.label.as_ptr()));
    assert!(range.contains(&value.raw_bytes.as_ptr()));
}

#[test]
fn escaped_strings_still_borrow() {
    // simd-json unescapes in place, so even a string with escapes is borrowed; serde_json
    // cannot hand out a `&str` for it (a deliberate difference: we accept more).
    let json = r#"{"label":"tab\there \u00e9"}"#;
    assert!(serde_json::from_str::<Inner<'_>>(json).is_err());
    let mut bytes = json.as_bytes().to_vec();
    let tape = simd_json::to_tape(&mut bytes).unwrap();
    let inner: Inner<'_> = from_tape_value(tape.as_value()).unwrap();
    assert_eq!(inner.label, "tab\there é");
    #[derive(Deserialize)]
    struct C<'a> {
        #[serde(borrow)]
        label: Cow<'a, str>,
    }
    let c: C<'_> = from_tape_value(tape.as_value()).unwrap();
    assert!(matches!(c.label, Cow::Borrowed("tab\there é")));
}

#[test]
fn enums_of_each_variant_kind() {
    same!(Shape, r#""Unit""#);
    same!(Shape, r#"{"Unit":null}"#);
    same!(Shape, r#"{"Newtype":1}"#);
    same!(Shape, r#"{"Tuple":[1,2]}"#);
    same!(Shape, r#"{"Struct":{"w":1,"h":2}}"#);
    same!(Shape, r#"{"Struct":{"h":2,"w":1,"extra":0}}"#);
    same!(Shape, r#""Nope""#);
    same!(Shape, r#"{"Nope":1}"#);
    same!(Shape, r#"{"Newtype":"x"}"#);
    same!(Shape, r#"{"Struct":{"w":1}}"#);
    same!(Vec<Shape>, r#"["Unit","Unit"]"#);
    // serde_json words these differently (it reports the token it stopped at).
    both_reject!(Shape, r#""Newtype""#);
    both_reject!(Shape, r#""Tuple""#);
    both_reject!(Shape, r#""Struct""#);
    both_reject!(Shape, r#"{"Unit":1}"#);
    both_reject!(Shape, r#"{}"#);
    both_reject!(Shape, r#"{"Unit":null,"Newtype":1}"#);
    both_reject!(Shape, r#"7"#);
    both_reject!(Shape, r#"{"Tuple":[1]}"#);
    both_reject!(Shape, r#"{"Tuple":[1,2,3]}"#);
    both_reject!(Shape, r#"{"Tuple":5}"#);
    assert_eq!(
        tape_err::<Shape>("{}"),
        "invalid value: map, expected map with a single key"
    );
    assert_eq!(
        tape_err::<Shape>("7"),
        "invalid type: integer `7`, expected string or map"
    );
    assert_eq!(
        tape_err::<Shape>(r#""Newtype""#),
        "invalid type: unit variant, expected newtype variant"
    );
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(tag = "type")]
enum Tagged {
    A { x: u8 },
    B(Inner2),
}

#[derive(Debug, PartialEq, Deserialize)]
struct Inner2 {
    y: String,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
enum Untagged {
    Num(u8),
    Text(String),
    Pair(u8, u8),
    Obj { z: bool },
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Lower {
    FirstOne,
    SecondOne,
}

#[test]
fn tagged_untagged_and_renamed_enums() {
    same!(Tagged, r#"{"type":"A","x":1}"#);
    same!(Tagged, r#"{"x":1,"type":"A"}"#);
    same!(Tagged, r#"{"type":"B","y":"why"}"#);
    same!(Tagged, r#"{"type":"C"}"#);
    same!(Vec<Untagged>, r#"[1, "t", [1, 2], {"z": true}]"#);
    same!(Untagged, r#"{"q": 1}"#);
    same!(Vec<Lower>, r#"["first_one", "second_one"]"#);
    same!(BTreeMap<Lower, u8>, r#"{"first_one": 1}"#);
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Strict {
    a: u8,
    #[serde(default)]
    b: Option<bool>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Defaults {
    #[serde(default)]
    n: u32,
    #[serde(default = "seven")]
    s: u32,
    #[serde(default)]
    v: Vec<String>,
}

fn seven() -> u32 {
    7
}

#[derive(Debug, PartialEq, Deserialize)]
struct Flattened<'a> {
    id: u8,
    #[serde(flatten, borrow)]
    inner: Inner<'a>,
    #[serde(flatten)]
    rest: BTreeMap<String, Json>,
}

#[test]
fn attributes() {
    same!(Strict, r#"{"a":1}"#);
    same!(Strict, r#"{"a":1,"b":true}"#);
    same!(Strict, r#"{"a":1,"c":2}"#);
    same!(Strict, r#"{"b":null}"#);
    same!(Defaults, r#"{}"#);
    same!(Defaults, r#"{"n":1,"s":2,"v":["x"]}"#);
    same!(
        Flattened<'_>,
        r#"{"id":1,"label":"l","weight":2,"other":[1,{"a":null}],"more":"m"}"#
    );
    same!(Flattened<'_>, r#"{"label":"l"}"#);
    assert_eq!(
        tape_err::<Strict>(r#"{"a":1,"c":2}"#),
        "unknown field `c`, expected `a` or `b`"
    );
}

#[test]
fn wrong_types_and_values_are_errors_worded_like_serde_json() {
    same!(u8, "300");
    same!(u8, "-1");
    same!(i8, "-129");
    same!(u64, r#""x""#);
    same!(u64, "1.5");
    same!(i64, "18446744073709551615");
    same!(String, "null");
    same!(bool, "1");
    same!(Vec<u8>, "{}");
    same!(Vec<u8>, "[1,256]");
    same!(BTreeMap<String, u8>, "[]");
    same!(Option<u8>, "null");
    same!(Option<u8>, "5");
    same!(Option<u8>, r#""5""#);
    same!(char, r#""x""#);
    same!(char, r#""xy""#);
    same!(char, r#""""#);
    same!(char, "1");
    same!((), "null");
    same!((), "0");
    same!(UnitStruct, "null");
    same!(UnitStruct, "{}");
    same!(Newtype, "5");
    same!(TupleStruct, "[1,true]");
    same!(TupleStruct, "[1]");
    same!(TupleStruct, "{}");
    same!(Inner<'_>, r#"{"weight":1}"#);
    same!(Inner<'_>, r#"{"label":"a","label":"b"}"#);
    same!(Inner<'_>, r#"["positional", 2]"#);
    same!(Inner<'_>, "3");
    same!(Strict, r#"{"a":"1"}"#);
    same!(BTreeMap<u32, u8>, r#"{"x":1}"#);
    same!(BTreeMap<u32, u8>, r#"{"1.5":1}"#);
    same!(BTreeMap<u8, u8>, r#"{"300":1}"#);
    // serde_json quotes the key without its first letter ("es"); we quote it whole.
    both_reject!(BTreeMap<bool, u8>, r#"{"yes":1}"#);
    same!(BTreeMap<bool, u8>, r#"{"true":1,"false":0}"#);
    same!(f64, "5");
    same!(f32, "-5");
    same!(i128, "-9223372036854775808");
    same!(&str, r#""plain""#);
    same!(&[u8], r#""bytes""#);
    assert_eq!(
        tape_err::<u64>(r#""x""#),
        r#"invalid type: string "x", expected u64"#
    );
    assert_eq!(
        tape_err::<u8>("300"),
        "invalid value: integer `300`, expected u8"
    );
    assert_eq!(
        tape_err::<String>("null"),
        "invalid type: null, expected a string"
    );
    // serde_json stops at the extra element instead ("trailing characters").
    both_reject!((u8, u8), "[1,2,3]");
    assert_eq!(
        tape_err::<(u8, u8)>("[1,2,3]"),
        "invalid length 3, expected fewer elements in array"
    );
}

/// A value that insists on being skipped: only `visit_unit` is accepted, so a deserializer
/// that walked it (`visit_map`, `visit_seq`, ...) would fail.
#[derive(Debug)]
struct MustBeSkipped;

impl<'de> Deserialize<'de> for MustBeSkipped {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UnitOnly;
        impl Visitor<'_> for UnitOnly {
            type Value = MustBeSkipped;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("to be skipped")
            }
            fn visit_unit<E: de::Error>(self) -> Result<MustBeSkipped, E> {
                Ok(MustBeSkipped)
            }
        }
        deserializer.deserialize_ignored_any(UnitOnly)
    }
}

#[test]
fn ignored_values_are_not_visited() {
    let mut bytes = br#"{"a":{"x":[1,2,{"y":"z"}]},"b":[[],[{}]],"c":"s","d":1.5}"#.to_vec();
    let tape = simd_json::to_tape(&mut bytes).unwrap();
    let skipped: BTreeMap<&str, MustBeSkipped> = from_tape_value(tape.as_value()).unwrap();
    assert_eq!(skipped.len(), 4);
    let _: IgnoredAny = from_tape_value(tape.as_value()).unwrap();
}

#[test]
fn errors_render_lowercase() {
    use serde::de::Error as _;
    let error = super::TapeDeError::custom("something went wrong");
    assert_eq!(error.to_string(), "something went wrong");
    let boxed: Box<dyn std::error::Error> = Box::new(error);
    assert_eq!(format!("{boxed}"), "something went wrong");
}

// ---- property: random documents round-trip like serde_json ----

fn arb_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Json::from),
        any::<String>().prop_map(Json::String),
        "[a-z\\\\\"/\u{0}-\u{1f}é🎉]{0,8}".prop_map(Json::String),
    ];
    // Depth ≤ 4 (the leaves are level 0).
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Json::Array),
            prop::collection::vec((any::<String>(), inner), 0..8)
                .prop_map(|entries| Json::Object(entries.into_iter().collect())),
        ]
    })
}

/// `a == b`, except that floats may differ by a few units in the last place.
fn same_up_to_a_few_ulps(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) if x.is_f64() && y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x.signum() == y.signum() && x.to_bits().abs_diff(y.to_bits()) <= 4)
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_up_to_a_few_ulps(x, y))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, x)| y.get(k).is_some_and(|y| same_up_to_a_few_ulps(x, y)))
        }
        _ => a == b,
    }
}

#[test]
fn floats_are_exact_where_serde_json_is_not() {
    // serde_json without `float_roundtrip` reads both of these a few ULPs off.
    for text in ["1.1366826437478735e-113", "1.1090273136698481e+77"] {
        let exact: f64 = text.parse().unwrap();
        assert_eq!(tape_json(text).as_f64(), Some(exact));
    }
}

proptest! {
    #[test]
    fn random_documents_round_trip(value in arb_json(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        let through_tape = tape_json(&text);
        prop_assert_eq!(&through_tape, &value);
        // serde_json's default float parsing may land a few ULPs off (without its
        // `float_roundtrip` feature); simd-json's is exact, so floats get that slack here.
        let through_serde_json: Json = serde_json::from_str(&text).unwrap();
        prop_assert!(
            same_up_to_a_few_ulps(&through_tape, &through_serde_json),
            "{through_tape} != {through_serde_json}"
        );
    }
}
