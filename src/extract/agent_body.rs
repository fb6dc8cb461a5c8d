//! The body of an Amazon Bedrock agent's request: not JSON text but a list of named string
//! values (`requestBody.content["application/json"].properties`), read into the `Json`
//! extractor's type field by field, each value converted by the field's type as path and
//! query text is.

use serde::Deserialize;

use super::Location;
use super::fields_de::Lookup;
use super::parts::read as read_text;
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
