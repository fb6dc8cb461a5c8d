//! What the two VPC Lattice event structures share: the path rule and the answer.

use crate::event::EventView;
use crate::wire::EnvelopeStyle;

use super::EnvelopeOptions;

/// The path to route: Lattice may put the query string in the path (`/echo?name=a`), and
/// the parameters are read from the query map, so everything from the first `?` is cut.
pub(super) fn route_path(path: &str) -> &str {
    path.split_once('?').map_or(path, |(path, _)| path)
}

/// A Lattice answer: `statusCode`, single-value `headers` (repeated values joined with
/// `", "`), `body` (`null` when none), `isBase64Encoded`. Lattice reads no `cookies` field:
/// a cookie goes out as a `Set-Cookie` header, one per answer (the last; the others are
/// logged).
pub(super) fn envelope(_: &EventView<'_>, _: &EnvelopeOptions) -> EnvelopeStyle {
    EnvelopeStyle::Lattice
}
