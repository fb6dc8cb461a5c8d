//! The app's JSON serializer: serde_json compact by default, or the user's own.

/// A value that can be serialized through a [`JsonSerializer`] (an erased `serde::Serialize`).
pub type SerializeValue<'a> = dyn erased_serde::Serialize + 'a;

/// Writes JSON bodies for an app (Powertools' `serializer=`).
///
/// Any `Fn(&SerializeValue, &mut Vec<u8>) -> serde_json::Result<()>` is one; e.g. pretty
/// printing with two-space indents:
///
/// ```
/// use lambda_router::App;
///
/// let app = App::rest()
///     .serializer(|value, out| serde_json::to_writer_pretty(out, value))
///     .build();
/// assert!(app.is_ok());
/// ```
pub trait JsonSerializer: Send + Sync + 'static {
    /// Appends the JSON form of `value` to `out`.
    ///
    /// # Errors
    /// When the value cannot be represented as JSON (the response becomes a 500).
    fn serialize(&self, value: &SerializeValue<'_>, out: &mut Vec<u8>) -> serde_json::Result<()>;
}

impl<F> JsonSerializer for F
where
    F: Fn(&SerializeValue<'_>, &mut Vec<u8>) -> serde_json::Result<()> + Send + Sync + 'static,
{
    fn serialize(&self, value: &SerializeValue<'_>, out: &mut Vec<u8>) -> serde_json::Result<()> {
        self(value, out)
    }
}
