//! [`Rebind`]: the same type at another request lifetime, which lets a handler's arguments
//! borrow from the request (`Json<NewTodo<'_>>`, `Path<&str>`).
//!
//! A handler `fn create(Json(todo): Json<NewTodo<'_>>)` is one function for every request
//! lifetime. To call it with values borrowed from a request of lifetime `'r`, the library
//! must name its argument type at `'r`; the compiler can only infer the argument type at one
//! lifetime, so each argument type says what it is at any other: `NewTodo<'a>` is
//! `NewTodo<'r>` at `'r`, and an owned type is itself. [`rebind!`](crate::rebind) writes
//! this for your own types.
//!
//! Why a line per type, even an owned one: a function's argument types are parameters of
//! the `Fn` trait, not associated types, so "the argument type of `F` at `'r`" cannot be
//! asked of `F`; it has to be written as a function of `'r`, and replacing a lifetime inside
//! a type is something only an impl per type can say. Owned types cannot get theirs from
//! one blanket impl (`impl<T: DeserializeOwned> Rebind for T`): it would overlap the impls
//! of every borrowed type (`&str`, `Option<T>`, yours), as coherence ignores lifetimes and
//! stable Rust has no specialization.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::json;

/// A type at another request lifetime: `At<'r>` is `Self` with its borrowed lifetime
/// replaced by `'r` (`Self` itself for an owned type). Write it with
/// [`rebind!`](crate::rebind) for the types your handlers extract.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is read by a handler argument but has no `Rebind`",
    label = "add `lambda_router::rebind!({Self});` beside the type",
    note = "write `lambda_router::rebind!(NewTodo<'a>)` for a type with a lifetime, `lambda_router::rebind!(documented: ..)` to give its schema to the OpenAPI document"
)]
pub trait Rebind {
    /// This type with its lifetime replaced by `'r`.
    type At<'r>;

    /// This type's JSON Schema for the OpenAPI document, or `None` when the type is not
    /// documented (the default). [`rebind!`](crate::rebind)`(documented: ..)` gives the
    /// type's [`JsonSchema`]; the library's own types (numbers, strings, `Option`, `Vec`,
    /// maps, tuples) give theirs when their inner types do.
    ///
    /// Called only when the document is built, never while answering a request.
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        let _ = generator;
        None
    }
}

/// The schema of `T` (a reference to `#/components/schemas/..` for named types).
#[doc(hidden)]
pub fn documented_schema<T: JsonSchema + ?Sized>(
    generator: &mut SchemaGenerator,
) -> Option<Schema> {
    Some(generator.subschema_for::<T>())
}

/// A schema written out as JSON (always an object here, so never the `true` fallback).
fn schema_value(value: serde_json::Value) -> Schema {
    Schema::try_from(value).unwrap_or_default()
}

/// Implements [`Rebind`](crate::extract::Rebind) for your request types: `rebind!(Filter,
/// NewTodo<'a>)` for an owned `Filter` and a `NewTodo<'a>` that borrows from the request
/// (one lifetime parameter, of any name or `'_`, and no type parameters; write the impl by
/// hand for others). A handler whose argument lacks its line does not compile, and the
/// error names the type and the line to write.
///
/// ```
/// use lambda_router::extract::{Json, Query};
///
/// #[derive(serde::Deserialize)]
/// struct NewTodo<'a> { title: &'a str }
/// #[derive(serde::Deserialize)]
/// struct Page { limit: Option<u32> }
/// lambda_router::rebind!(NewTodo<'a>, Page);
///
/// fn create(Json(todo): Json<NewTodo<'_>>, Query(page): Query<Page>) -> String {
///     format!("{} {:?}", todo.title, page.limit)
/// }
/// let app = lambda_router::App::rest().post("/todos", create).build();
/// assert!(app.is_ok());
/// ```
///
/// `rebind!(documented: ..)` also gives each type's
/// [`JsonSchema`](schemars::JsonSchema) (derive it with `schemars`) to the app's
/// [OpenAPI document](crate::openapi): the fields of a `Query` or `Headers` struct become
/// its parameters, a `Json` body its request body, with the constraints schemars reads
/// (`#[garde(length(..))]`, `#[schemars(..)]`, ...). Types given without it are still
/// read; the document only says less about them.
///
/// ```
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct NewTodo<'a> { title: &'a str }
/// lambda_router::rebind!(documented: NewTodo<'a>);
///
/// // As the compiler's error prints it, with `'_`, the line works too.
/// #[derive(serde::Deserialize)]
/// struct Note<'a> { text: &'a str }
/// lambda_router::rebind!(Note<'_>);
/// ```
#[macro_export]
macro_rules! rebind {
    (documented: $($name:ident $(<$lifetime:lifetime>)?),+ $(,)?) => {
        $($crate::rebind!(@documented $name $(<$lifetime>)?);)+
    };
    ($($name:ident $(<$lifetime:lifetime>)?),+ $(,)?) => {
        $($crate::rebind!(@one $name $(<$lifetime>)?);)+
    };
    // The lifetime's name is not used, so that `NewTodo<'_>` (as the compiler prints the
    // type) works as well as `NewTodo<'a>`.
    (@documented $name:ident <$lifetime:lifetime>) => {
        impl<'__a> $crate::extract::Rebind for $name<'__a> {
            type At<'__r> = $name<'__r>;
            fn schema(
                generator: &mut $crate::openapi::SchemaGenerator,
            ) -> ::core::option::Option<$crate::openapi::Schema> {
                $crate::extract::documented_schema::<Self>(generator)
            }
        }
    };
    (@documented $name:ident) => {
        impl $crate::extract::Rebind for $name {
            type At<'__r> = $name;
            fn schema(
                generator: &mut $crate::openapi::SchemaGenerator,
            ) -> ::core::option::Option<$crate::openapi::Schema> {
                $crate::extract::documented_schema::<Self>(generator)
            }
        }
    };
    (@one $name:ident <$lifetime:lifetime>) => {
        impl<'__a> $crate::extract::Rebind for $name<'__a> {
            type At<'__r> = $name<'__r>;
        }
    };
    (@one $name:ident) => {
        impl $crate::extract::Rebind for $name {
            type At<'__r> = $name;
        }
    };
}

macro_rules! owned {
    ($($ty:ty),* $(,)?) => {
        $(impl Rebind for $ty {
            type At<'r> = $ty;
            fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
                documented_schema::<$ty>(generator)
            }
        })*
    };
}

owned! {
    bool, char, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64,
    String, Box<str>, (), serde_json::Value,
}

impl Rebind for &str {
    type At<'r> = &'r str;
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        documented_schema::<str>(generator)
    }
}

impl Rebind for Cow<'_, str> {
    type At<'r> = Cow<'r, str>;
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        documented_schema::<str>(generator)
    }
}

impl<T: Rebind> Rebind for Option<T> {
    type At<'r> = Option<T::At<'r>>;
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        let inner = T::schema(generator)?;
        Some(schema_value(
            json!({ "anyOf": [inner, { "type": "null" }] }),
        ))
    }
}

impl<T: Rebind> Rebind for Vec<T> {
    type At<'r> = Vec<T::At<'r>>;
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        let items = T::schema(generator)?;
        Some(schema_value(json!({ "type": "array", "items": items })))
    }
}

/// A map's schema: an object whose values are `V` (JSON keys are strings).
fn map_schema<V: Rebind>(generator: &mut SchemaGenerator) -> Option<Schema> {
    let values = V::schema(generator)?;
    Some(schema_value(
        json!({ "type": "object", "additionalProperties": values }),
    ))
}

impl<K: Rebind, V: Rebind, S: 'static> Rebind for HashMap<K, V, S> {
    type At<'r> = HashMap<K::At<'r>, V::At<'r>, S>;
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        map_schema::<V>(generator)
    }
}

impl<K: Rebind, V: Rebind> Rebind for BTreeMap<K, V> {
    type At<'r> = BTreeMap<K::At<'r>, V::At<'r>>;
    fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
        map_schema::<V>(generator)
    }
}

macro_rules! tuples {
    ($(($($t:ident),+))*) => {
        $(impl<$($t: Rebind),+> Rebind for ($($t,)+) {
            type At<'r> = ($($t::At<'r>,)+);
            fn schema(generator: &mut SchemaGenerator) -> Option<Schema> {
                let items = [$($t::schema(generator)?),+];
                let len = items.len();
                Some(schema_value(json!({
                    "type": "array",
                    "prefixItems": items,
                    "minItems": len,
                    "maxItems": len,
                })))
            }
        })*
    };
}

tuples! {
    (A)
    (A, B)
    (A, B, C)
    (A, B, C, D)
}
