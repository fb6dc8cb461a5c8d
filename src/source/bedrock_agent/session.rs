//! The attributes an agent keeps for a session, which a route reads from the event and
//! may set on its answer.

use std::collections::BTreeMap;

use crate::event::JsonView;
use crate::extract::{Extract, FromRequest, Rejection};
use crate::request::Request;

/// An Amazon Bedrock agent's session: its id and the string attributes the agent keeps
/// for the whole session (`sessionAttributes`) and for this prompt
/// (`promptSessionAttributes`).
///
/// As a handler argument it is the event's (a missing or `null` map reads as empty).
/// Given to [`Response::agent_session`](crate::Response::agent_session), its attributes
/// go in the answer, and the agent keeps them; an answer without one carries none (the
/// event's are not passed through), as Powertools answers a plain result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentSession {
    /// `sessionId` (`None` if the event has none; never written in an answer).
    pub session_id: Option<String>,
    /// `sessionAttributes`.
    pub session_attributes: BTreeMap<String, String>,
    /// `promptSessionAttributes`.
    pub prompt_session_attributes: BTreeMap<String, String>,
}

impl AgentSession {
    /// The session of an agent's event: its id and its maps' string members.
    #[must_use]
    pub fn of_event(event: JsonView<'_>) -> Self {
        let map = |name: &str| -> BTreeMap<String, String> {
            event
                .get(name)
                .map(|map| {
                    map.entries()
                        .filter_map(|(key, value)| {
                            Some((key.to_owned(), value.as_str()?.to_owned()))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        Self {
            session_id: event
                .get("sessionId")
                .and_then(|id| id.as_str())
                .map(str::to_owned),
            session_attributes: map("sessionAttributes"),
            prompt_session_attributes: map("promptSessionAttributes"),
        }
    }
}

impl<'r> FromRequest<'r> for AgentSession {
    fn from_request(req: &'r Request<'r>) -> Result<Self, Rejection> {
        Ok(Self::of_event(req.event()))
    }
}

impl Extract for AgentSession {
    type At<'r> = AgentSession;
}
