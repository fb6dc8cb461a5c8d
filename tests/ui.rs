//! The compiler messages a user sees for a handler of the wrong shape, pinned: each case in
//! `tests/ui/` must fail to compile with the message in its `.stderr` file, which says what
//! to change (`TRYBUILD=overwrite cargo test --test ui` regenerates them on a new toolchain).

#[test]
fn wrong_handler_shapes_explain_themselves() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
