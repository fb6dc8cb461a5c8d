//! The body of an Amazon Bedrock agent's request: not JSON text but a list of named string
//! values (`requestBody.content["application/json"].properties`), read into the `Json`
//! extractor's type field by field, each value converted by the field's type as path and
//! query text is.

use serde::Deserialize;

use super::Location;
use super::fields_de::Lookup;
use super::parts::{read as read_text, read_standing_in as read_text_standing_in};
use super::rejection::{ErrorType, FieldError, Rejection};
use crate::request::Request;
use crate::source::bedrock_agent::{NameValues, properties};

/// Reads `T` from the agent's body properties; a request without them has no body.
pub(super) fn read<'r, T: Deserialize<'r>>(req: &'r Request<'r>) -> Result<T, Rejection> {
    match properties(req.event.root.nodes()) {
        Some(properties) => read_text(properties, Location::Body),
        None => Err(FieldError::at(Location::Body, ErrorType::Missing, "Field required").into()),
    }
}

/// Reads `T` from the agent's body properties with the fields `standing_in` stood in for
/// (see [`parts::read_standing_in`](super::parts::read_standing_in)).
pub(super) fn read_standing_in<'r, T: Deserialize<'r>>(
    req: &'r Request<'r>,
    standing_in: &[&'static str],
) -> Option<T> {
    read_text_standing_in(properties(req.event.root.nodes())?, standing_in)
}

impl<'de> Lookup<'de> for NameValues<'de> {
    fn one(&self, name: &str) -> Option<&'de str> {
        self.last(name)
    }
    fn all(&self, name: &str) -> impl Iterator<Item = &'de str> {
        // One value per name, as for the query: the last one sent.
        self.last(name).into_iter()
    }
    fn pairs(&self) -> impl Iterator<Item = (&'de str, &'de str)> {
        NameValues::pairs(*self)
    }
}
