//! Generates the non-ASCII part of Powertools' parameter class for regex rules.
//!
//! Regex rules are compiled by `regex-lite`, whose `\w` is ASCII. Powertools' class has
//! Python's Unicode `\w`, which the trie's parameters check with `char::is_alphanumeric`
//! (`router::segment::param_segment`). This script lists the non-ASCII characters for
//! which that function holds, as ranges in class syntax, with the same compiler (so the
//! same Unicode version) that builds the library: both kinds of rule then accept the same
//! parameter characters.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let mut ranges: Vec<(char, char)> = Vec::new();
    for c in ('\u{80}'..=char::MAX).filter(|c| c.is_alphanumeric()) {
        match ranges.last_mut() {
            Some((_, end)) if u32::from(*end) + 1 == u32::from(c) => *end = c,
            _ => ranges.push((c, c)),
        }
    }
    let mut class = String::new();
    for (start, end) in ranges {
        // Every character is non-ASCII, so none is class syntax; escapes keep the
        // generated file readable.
        let _ = write!(class, "\\x{{{:X}}}", u32::from(start));
        if end != start {
            let _ = write!(class, "-\\x{{{:X}}}", u32::from(end));
        }
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let code = format!(
        "/// The non-ASCII characters for which `char::is_alphanumeric` holds, as ranges \
         in regex class syntax.\npub(crate) const NON_ASCII_ALPHANUMERIC: &str = {class:?};\n"
    );
    if let Err(error) = std::fs::write(out.join("non_ascii_alphanumeric.rs"), code) {
        println!("cargo::error=cannot write the parameter class: {error}");
    }
    println!("cargo::rerun-if-changed=build.rs");
}
