//! [`Cookie`]: a `Set-Cookie` value built like Powertools' `shared/cookies.py` `Cookie`.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use httpdate::HttpDate;
use smallvec::SmallVec;

use super::validate::{Fault, InvalidHeader, check_cookie};

/// The `SameSite` attribute of a cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=` with no value (Powertools' `DEFAULT_MODE`).
    Default,
    /// `SameSite=Lax`.
    Lax,
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=None`.
    None,
}

impl SameSite {
    /// The attribute value as sent (`""` for [`SameSite::Default`], as Powertools).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SameSite::Default => "",
            SameSite::Lax => "Lax",
            SameSite::Strict => "Strict",
            SameSite::None => "None",
        }
    }
}

/// A cookie sent with `Set-Cookie`.
///
/// The defaults are Powertools': `Secure` on, everything else off. The text form (its
/// [`Display`](fmt::Display)) has a fixed attribute order: `name=value`, `Path`, `Domain`,
/// `Expires`, `Max-Age`, `HttpOnly`, `Secure`, `SameSite`, then the custom attributes.
/// Nothing is escaped. Before a response is written the app checks every cookie (the name an
/// RFC 6265 token, the value `cookie-octet`s, attribute values free of `;` and control
/// bytes) and answers 500 instead of sending an invalid one; [`validate`](Self::validate)
/// and [`try_new`](Self::try_new) check up front.
///
/// ```
/// use lambda_router::{Cookie, SameSite};
///
/// assert_eq!(Cookie::new("a", "b").to_string(), "a=b; Secure");
///
/// let theme = Cookie::new("theme", "dark")
///     .http_only(true)
///     .same_site(SameSite::Strict)
///     .max_age(3600)
///     .path("/");
/// assert_eq!(
///     theme.to_string(),
///     "theme=dark; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cookie {
    name: Cow<'static, str>,
    value: Cow<'static, str>,
    path: Cow<'static, str>,
    domain: Cow<'static, str>,
    secure: bool,
    http_only: bool,
    max_age: Option<i64>,
    expires: Option<SystemTime>,
    same_site: Option<SameSite>,
    /// Raw attributes such as `Partitioned`; inline room for one so a single custom
    /// attribute does not touch the heap (and none never does).
    custom_attributes: SmallVec<[Cow<'static, str>; 1]>,
}

impl Cookie {
    /// A cookie with Powertools' defaults: `Secure`, no other attribute.
    pub fn new(name: impl Into<Cow<'static, str>>, value: impl Into<Cow<'static, str>>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            path: Cow::Borrowed(""),
            domain: Cow::Borrowed(""),
            secure: true,
            http_only: false,
            max_age: None,
            expires: None,
            same_site: None,
            custom_attributes: SmallVec::new(),
        }
    }

    /// [`new`](Self::new), checked: the name must be an RFC 6265 token and the value
    /// `cookie-octet`s (optionally in double quotes).
    ///
    /// # Errors
    /// The first byte that is not allowed.
    ///
    /// ```
    /// use lambda_router::Cookie;
    ///
    /// assert!(Cookie::try_new("theme", "dark").is_ok());
    /// assert!(Cookie::try_new("theme", "dark; Domain=evil.example").is_err());
    /// ```
    pub fn try_new(
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) -> Result<Self, InvalidHeader> {
        let cookie = Self::new(name, value);
        cookie.validate()?;
        Ok(cookie)
    }

    /// Checks the name, the value and every attribute value (`Path`, `Domain`, the raw
    /// attributes: no `;`, no control byte), as the app does before writing a response.
    ///
    /// # Errors
    /// The first byte that is not allowed.
    pub fn validate(&self) -> Result<(), InvalidHeader> {
        check_cookie(self).map_err(Fault::to_error)
    }

    /// `Path`, `Domain` and the raw attributes, for validation.
    pub(crate) fn attribute_values(&self) -> impl Iterator<Item = &str> {
        [self.path.as_ref(), self.domain.as_ref()]
            .into_iter()
            .chain(self.custom_attributes.iter().map(AsRef::as_ref))
    }

    /// The cookie's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cookie's value.
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// `Path=` (sent when not empty).
    #[must_use]
    pub fn path(mut self, path: impl Into<Cow<'static, str>>) -> Self {
        self.path = path.into();
        self
    }

    /// `Domain=` (sent when not empty).
    #[must_use]
    pub fn domain(mut self, domain: impl Into<Cow<'static, str>>) -> Self {
        self.domain = domain.into();
        self
    }

    /// `Secure` (on by default, as Powertools).
    #[must_use]
    pub fn secure(mut self, on: bool) -> Self {
        self.secure = on;
        self
    }

    /// `HttpOnly`.
    #[must_use]
    pub fn http_only(mut self, on: bool) -> Self {
        self.http_only = on;
        self
    }

    /// `Max-Age=` (seconds; 0 sends nothing, negative sends 0, as Powertools).
    #[must_use]
    pub fn max_age(mut self, seconds: i64) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// `Expires=`, sent as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    ///
    /// The format covers 1970 to 9999; a time outside is sent as the nearest end of that
    /// range, which means the same thing to a browser (already expired, or never).
    #[must_use]
    pub fn expires(mut self, at: SystemTime) -> Self {
        self.expires = Some(at);
        self
    }

    /// `SameSite=`.
    #[must_use]
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = Some(same_site);
        self
    }

    /// Adds a raw attribute, sent after the others as `; <attribute>` (`Partitioned`, say).
    #[must_use]
    pub fn attribute(mut self, attribute: impl Into<Cow<'static, str>>) -> Self {
        self.custom_attributes.push(attribute.into());
        self
    }

    /// Writes the `Set-Cookie` text to `w` (the response writer passes a JSON-escaping
    /// writer over its output buffer, so no `String` is built).
    pub(crate) fn write_to(&self, w: &mut impl fmt::Write) -> fmt::Result {
        w.write_str(&self.name)?;
        w.write_char('=')?;
        w.write_str(&self.value)?;
        if !self.path.is_empty() {
            w.write_str("; Path=")?;
            w.write_str(&self.path)?;
        }
        if !self.domain.is_empty() {
            w.write_str("; Domain=")?;
            w.write_str(&self.domain)?;
        }
        if let Some(at) = self.expires {
            write!(
                w,
                "; Expires={}",
                HttpDate::from(clamp_to_http_date_range(at))
            )?;
        }
        match self.max_age {
            Some(seconds) if seconds > 0 => write!(w, "; Max-Age={seconds}")?,
            // A negative age means "delete now"; Powertools sends it as 0.
            Some(seconds) if seconds < 0 => w.write_str("; Max-Age=0")?,
            // Powertools sends nothing for 0 (its check is `if self.max_age`).
            _ => {}
        }
        if self.http_only {
            w.write_str("; HttpOnly")?;
        }
        if self.secure {
            w.write_str("; Secure")?;
        }
        if let Some(same_site) = self.same_site {
            w.write_str("; SameSite=")?;
            w.write_str(same_site.as_str())?;
        }
        for attribute in &self.custom_attributes {
            w.write_str("; ")?;
            w.write_str(attribute)?;
        }
        Ok(())
    }
}

impl fmt::Display for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

/// The last second `HttpDate` can format: 9999-12-31T23:59:59Z.
const LAST_HTTP_DATE_SECS: u64 = 253_402_300_799;

/// Brings `at` into the range `HttpDate` formats (it panics outside 1970..=9999).
fn clamp_to_http_date_range(at: SystemTime) -> SystemTime {
    let latest = UNIX_EPOCH + Duration::from_secs(LAST_HTTP_DATE_SECS);
    at.clamp(UNIX_EPOCH, latest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_secure_only() {
        assert_eq!(Cookie::new("a", "b").to_string(), "a=b; Secure");
    }

    #[test]
    fn negative_max_age_is_sent_as_zero_and_zero_is_not_sent() {
        assert_eq!(
            Cookie::new("a", "b").max_age(-5).to_string(),
            "a=b; Max-Age=0; Secure"
        );
        assert_eq!(Cookie::new("a", "b").max_age(0).to_string(), "a=b; Secure");
        assert_eq!(
            Cookie::new("a", "b").max_age(60).to_string(),
            "a=b; Max-Age=60; Secure"
        );
    }

    #[test]
    fn powertools_conformance_cookie() {
        let cookie = Cookie::new("theme", "dark")
            .http_only(true)
            .same_site(SameSite::Strict)
            .max_age(3600)
            .path("/");
        assert_eq!(
            cookie.to_string(),
            "theme=dark; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict"
        );
        assert_eq!(
            Cookie::new("session_id", "12345").to_string(),
            "session_id=12345; Secure"
        );
    }

    #[test]
    fn every_attribute_in_the_fixed_order() {
        // Sun, 06 Nov 1994 08:49:37 GMT, the example date of RFC 9110.
        let expires = UNIX_EPOCH + Duration::from_secs(784_111_777);
        let cookie = Cookie::new("id", "a3fWa")
            .attribute("Partitioned")
            .same_site(SameSite::None)
            .secure(true)
            .http_only(true)
            .max_age(10)
            .expires(expires)
            .domain("example.com")
            .path("/docs")
            .attribute("Priority=High");
        assert_eq!(
            cookie.to_string(),
            "id=a3fWa; Path=/docs; Domain=example.com; Expires=Sun, 06 Nov 1994 08:49:37 GMT; \
             Max-Age=10; HttpOnly; Secure; SameSite=None; Partitioned; Priority=High"
        );
    }

    #[test]
    fn same_site_values() {
        let with = |same_site| {
            Cookie::new("a", "b")
                .secure(false)
                .same_site(same_site)
                .to_string()
        };
        assert_eq!(with(SameSite::Default), "a=b; SameSite=");
        assert_eq!(with(SameSite::Lax), "a=b; SameSite=Lax");
        assert_eq!(with(SameSite::Strict), "a=b; SameSite=Strict");
        assert_eq!(with(SameSite::None), "a=b; SameSite=None");
    }

    #[test]
    fn secure_can_be_turned_off_and_empty_path_domain_are_skipped() {
        let cookie = Cookie::new("a", "b").secure(false).path("").domain("");
        assert_eq!(cookie.to_string(), "a=b");
    }

    #[test]
    fn expires_outside_the_http_date_range_is_clamped() {
        let before_epoch = UNIX_EPOCH - Duration::from_secs(10);
        assert_eq!(
            Cookie::new("a", "b")
                .secure(false)
                .expires(before_epoch)
                .to_string(),
            "a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        );
        let far_future = UNIX_EPOCH + Duration::from_secs(LAST_HTTP_DATE_SECS * 2);
        assert_eq!(
            Cookie::new("a", "b")
                .secure(false)
                .expires(far_future)
                .to_string(),
            "a=b; Expires=Fri, 31 Dec 9999 23:59:59 GMT"
        );
    }

    #[test]
    fn getters_and_owned_parts() {
        let cookie = Cookie::new(String::from("name"), format!("v{}", 1));
        assert_eq!(cookie.name(), "name");
        assert_eq!(cookie.value(), "v1");
        assert_eq!(cookie.to_string(), "name=v1; Secure");
    }

    #[test]
    fn nothing_is_escaped_in_the_text_form() {
        assert_eq!(
            Cookie::new("q", "a\"b;c").secure(false).to_string(),
            "q=a\"b;c"
        );
    }
}
