//! [`Rebind`]: the same type at another request lifetime, which lets a handler's arguments
//! borrow from the request (`Json<NewTodo<'_>>`, `Path<&str>`).
//!
//! A handler `fn create(Json(todo): Json<NewTodo<'_>>)` is one function for every request
//! lifetime. To call it with values borrowed from a request of lifetime `'r`, the library
//! must name its argument type at `'r`; the compiler can only infer the argument type at one
//! lifetime, so each argument type says what it is at any other: `NewTodo<'a>` is
//! `NewTodo<'r>` at `'r`, and an owned type is itself. [`rebind!`](crate::rebind) writes
//! this for your own types.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// A type at another request lifetime: `At<'r>` is `Self` with its borrowed lifetime
/// replaced by `'r` (`Self` itself for an owned type). Write it with
/// [`rebind!`](crate::rebind) for the types your handlers extract.
pub trait Rebind {
    /// This type with its lifetime replaced by `'r`.
    type At<'r>;
}

/// Implements [`Rebind`](crate::extract::Rebind) for your request types: `rebind!(Filter,
/// NewTodo<'a>)` for an owned `Filter` and a `NewTodo<'a>` that borrows from the request
/// (one lifetime parameter and no type parameters; write the impl by hand for others).
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
#[macro_export]
macro_rules! rebind {
    ($($name:ident $(<$lifetime:lifetime>)?),+ $(,)?) => {
        $($crate::rebind!(@one $name $(<$lifetime>)?);)+
    };
    (@one $name:ident <$lifetime:lifetime>) => {
        impl<$lifetime> $crate::extract::Rebind for $name<$lifetime> {
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
        })*
    };
}

owned! {
    bool, char, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64,
    String, Box<str>, (), serde_json::Value,
}

impl Rebind for &str {
    type At<'r> = &'r str;
}

impl Rebind for Cow<'_, str> {
    type At<'r> = Cow<'r, str>;
}

impl<T: Rebind> Rebind for Option<T> {
    type At<'r> = Option<T::At<'r>>;
}

impl<T: Rebind> Rebind for Vec<T> {
    type At<'r> = Vec<T::At<'r>>;
}

impl<K: Rebind, V: Rebind, S: 'static> Rebind for HashMap<K, V, S> {
    type At<'r> = HashMap<K::At<'r>, V::At<'r>, S>;
}

impl<K: Rebind, V: Rebind> Rebind for BTreeMap<K, V> {
    type At<'r> = BTreeMap<K::At<'r>, V::At<'r>>;
}

macro_rules! tuples {
    ($(($($t:ident),+))*) => {
        $(impl<$($t: Rebind),+> Rebind for ($($t,)+) {
            type At<'r> = ($($t::At<'r>,)+);
        })*
    };
}

tuples! {
    (A)
    (A, B)
    (A, B, C)
    (A, B, C, D)
}
