//! The extractors of the request's parts besides its body (path parameters, query and
//! headers, all text) and of the app state.

use serde::Deserialize;

use super::Inputs;
use super::declared::declared_fields;
use super::fields_de::{FieldsDeserializer, HeaderLookup, Lookup};
use super::location::Location;
use super::rejection::{FieldError, Loc, Rejection, ValidationError};
use super::text_de::TextError;
use super::{Extract, FromRequest, Rebind};
use crate::error::Error;
use crate::request::Request;

/// Path parameters: one (`Path<u32>` on `/todos/<id>`), several as a tuple in path order
/// (`Path<(&str, u32)>`), or a struct whose fields are named after them. Values are the
/// raw text, never percent-decoded; numbers and booleans are parsed as pydantic's lax
/// mode reads them (as Powertools validates): `yes`, `on`, `1`, `t`, `y` and their
/// opposites in any case are booleans, an integer may have surrounding whitespace, single
/// `_` between digits and a fraction of zeros (`3.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Path<T>(pub T);

/// Query parameters as a struct (or a map): a field reads its parameter's value, a
/// `Vec` field every value of a repeated key, an `Option` field may be absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query<T>(pub T);

/// Request headers as a struct (or a map): field `x_api_key` reads header `X-Api-Key`
/// (case-insensitive, `_` read as `-`); a `Vec` field reads every value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headers<T>(pub T);

/// The app's state, given to [`AppBuilder::state`](crate::AppBuilder::state): take
/// `State<&S>`, borrowed for the invocation (nothing is cloned).
#[derive(Debug, Clone, Copy)]
pub struct State<S>(pub S);

/// Reads `T` from a text source; an error is located under `location`. When a field
/// fails, every other field is still read, as pydantic reads a model: the 422 lists each
/// failed field, in declaration order.
pub(super) fn read<'de, T: Deserialize<'de>, L: Lookup<'de>>(
    source: L,
    location: Location,
) -> Result<T, Rejection> {
    let standing_in = &[];
    T::deserialize(FieldsDeserializer {
        source,
        standing_in,
    })
    .map_err(|first| every_error::<T, L>(source, location, first).into())
}

/// Reads `T` from a text source with the fields `standing_in` read as stand-ins (see
/// [`StandIn`](super::stand_in::StandIn)): a value to check the other fields of, or `None`
/// when another field fails or nothing stands in for a failed one.
pub(super) fn read_standing_in<'de, T: Deserialize<'de>, L: Lookup<'de>>(
    source: L,
    standing_in: &[&'static str],
) -> Option<T> {
    T::deserialize(FieldsDeserializer {
        source,
        standing_in,
    })
    .ok()
}

/// The errors of every field of `T` in `source`, from the `first` one found: each failed
/// field is read as a stand-in and the rest read again, until the rest reads (at most once
/// per declared field, so the request cannot prolong it).
#[cold]
fn every_error<'de, T: Deserialize<'de>, L: Lookup<'de>>(
    source: L,
    location: Location,
    first: TextError,
) -> ValidationError {
    let fields = declared_fields::<T>();
    let mut standing_in: Vec<&'static str> = Vec::new();
    let mut errors = ValidationError::default();
    let mut error = first;
    loop {
        let field = error
            .field
            .as_deref()
            .and_then(|name| fields.iter().find(|field| **field == name));
        match field {
            // A stand-in that does not read: its field's own error is listed already.
            Some(field) if standing_in.contains(field) => break,
            Some(field) => {
                standing_in.push(field);
                errors.push(located(location, error));
            }
            None => {
                errors.push(located(location, error));
                break;
            }
        }
        match T::deserialize(FieldsDeserializer {
            source,
            standing_in: &standing_in,
        }) {
            Ok(_) => break,
            Err(next) => error = next,
        }
    }
    errors.sort_by_fields(fields);
    errors
}

#[cold]
fn located(location: Location, error: TextError) -> FieldError {
    let mut located = FieldError::at(location, error.kind, error.msg);
    located.loc.extend(error.field.map(Loc::Key));
    located.loc.extend(error.index.map(Loc::Index));
    located
}

impl<'r, T: Deserialize<'r>> FromRequest<'r> for Path<T> {
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        read(req.params(), Location::Path).map(Path)
    }
}

impl<'r, T: Deserialize<'r>> FromRequest<'r> for Query<T> {
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        read(req.query_params(), Location::Query).map(Query)
    }
}

impl<'r, T: Deserialize<'r>> FromRequest<'r> for Headers<T> {
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        read(HeaderLookup(req.headers()), Location::Header).map(Headers)
    }
}

/// The app was built without a state of the type a handler asks for.
#[derive(Debug)]
pub(crate) struct MissingState {
    type_name: &'static str,
}

impl std::fmt::Display for MissingState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a handler takes `State<&{}>` but the app has no state of that type \
             (give it with `AppBuilder::state`)",
            self.type_name
        )
    }
}

impl std::error::Error for MissingState {}

impl<'r, S: Send + Sync + 'static> FromRequest<'r> for State<&'r S> {
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        match req.state.and_then(|state| state.downcast_ref::<S>()) {
            Some(state) => Ok(State(state)),
            None => Err(Rejection::Failed(Error::new(MissingState {
                type_name: std::any::type_name::<S>(),
            }))),
        }
    }
}

macro_rules! text_extractors {
    ($($name:ident => $describe:ident)*) => {$(
        impl<T: Rebind> Extract for $name<T>
        where
            for<'r> T::At<'r>: Deserialize<'r>,
        {
            type At<'r> = $name<T::At<'r>>;

            fn describe(inputs: &mut Inputs<'_>) {
                inputs.$describe::<T>();
            }
        }
    )*};
}

text_extractors!(Path => path Query => query Headers => headers);

impl<S: Send + Sync + 'static> Extract for State<&S> {
    type At<'r> = State<&'r S>;

    fn describe(inputs: &mut Inputs<'_>) {
        inputs.state::<S>();
    }
}
