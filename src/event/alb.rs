//! Application Load Balancer target-group events (multi-value headers on or off).

use super::nodes::Nodes;
use super::rest_v1::parse_version_1_shape;
use super::{EventError, EventView, Source};

/// Reads an ALB event.
///
/// The shape is REST v1's, except that a target group sends EITHER `headers` +
/// `queryStringParameters` (multi-value headers off) OR `multiValueHeaders` +
/// `multiValueQueryStringParameters` (on), and that query keys and values stay URL-encoded.
/// Powertools answers in the style of the request, so the view records which one it got.
pub(crate) fn parse(root: Nodes<'_>) -> Result<EventView<'_>, EventError> {
    let mut view = parse_version_1_shape(Source::Alb, root)?;
    view.multi_value_headers = view.headers.has_multi_values();
    Ok(view)
}
