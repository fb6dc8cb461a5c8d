//! [`TestResponse`]: a proxy response of any source, read back.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::TestError;

/// A proxy response read back: status, headers (from `headers` and `multiValueHeaders`),
/// cookies (payload 2.0's `cookies` or `Set-Cookie` headers) and the decoded body.
#[derive(Debug, Clone)]
pub struct TestResponse {
    status: u16,
    headers: Vec<(String, String)>,
    cookies: Vec<String>,
    body: Vec<u8>,
    base64: bool,
    raw: Value,
}

impl TestResponse {
    /// Reads a proxy response of any source.
    ///
    /// # Errors
    /// [`TestError::Response`] when `bytes` is not a JSON object with a numeric
    /// `statusCode`, or a base64 body does not decode.
    pub fn parse(bytes: &[u8]) -> Result<Self, TestError> {
        let bad = |why: &str| TestError::Response(why.to_owned());
        let raw: Value = serde_json::from_slice(bytes).map_err(|e| bad(&e.to_string()))?;
        let status = raw
            .get("statusCode")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .ok_or_else(|| bad("no numeric statusCode"))?;
        let base64 = raw.get("isBase64Encoded") == Some(&Value::Bool(true));
        let body = match raw.get("body").and_then(Value::as_str) {
            None => Vec::new(),
            Some(text) if base64 => base64_simd::STANDARD
                .decode_to_vec(text)
                .map_err(|e| bad(&format!("body is not base64: {e}")))?,
            Some(text) => text.as_bytes().to_vec(),
        };
        let mut headers = Vec::new();
        let multi = raw.get("multiValueHeaders").and_then(Value::as_object);
        for (name, values) in multi.into_iter().flatten() {
            for value in values.as_array().into_iter().flatten() {
                headers.push((name.clone(), value.as_str().unwrap_or_default().to_owned()));
            }
        }
        if let Some(single) = raw.get("headers").and_then(Value::as_object) {
            for (name, value) in single {
                if !multi.is_some_and(|m| m.contains_key(name)) {
                    headers.push((name.clone(), value.as_str().unwrap_or_default().to_owned()));
                }
            }
        }
        let mut cookies: Vec<String> = raw
            .get("cookies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect();
        cookies.extend(
            headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
                .map(|(_, v)| v.clone()),
        );
        Ok(Self {
            status,
            headers,
            cookies,
            body,
            base64,
            raw,
        })
    }

    /// The status code.
    #[must_use]
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The first value of a header, by case-insensitive name.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers(name).into_iter().next()
    }

    /// Every value of a header, by case-insensitive name.
    #[must_use]
    pub fn headers(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The cookies set, as `Set-Cookie` values (`name=value; Path=/; ...`).
    #[must_use]
    pub fn cookies(&self) -> Vec<&str> {
        self.cookies.iter().map(String::as_str).collect()
    }

    /// Whether the body was sent base64-encoded (binary or gzipped).
    #[must_use]
    pub fn is_base64_encoded(&self) -> bool {
        self.base64
    }

    /// The body bytes, base64-decoded (still gzipped if `Content-Encoding: gzip`).
    #[must_use]
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    #[must_use]
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body parsed as JSON.
    ///
    /// # Errors
    /// The body is not JSON shaped like `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The whole proxy response as JSON.
    #[must_use]
    pub fn raw(&self) -> &Value {
        &self.raw
    }
}
