//! The agent's `parameters` and body `properties` lists (`[{"name", "type", "value"}]`): the
//! parameters as the name/value string map the query view reads, the properties as a view
//! the `Json` extractor reads the body from.

use bumpalo::Bump;
use simd_json::StaticNode;
use simd_json::tape::Node;

use crate::event::{
    Elements, EventError, Members, Nodes, Query, array_body, is_null, last_member, object_body,
    string_of, type_name,
};
use crate::router::Params;

/// The list of `{name, value}` objects in `value` (absent or `null`: none) as the body of
/// a multi-value map, `name, [1], value, name, [1], value, …`, built in `arena`: each value
/// is one element, never split at commas as a single-value query map's would be.
///
/// A parameter's `type` is not read: the route's declared types convert the values.
pub(crate) fn as_value_lists<'a>(
    value: Option<Nodes<'a>>,
    field: &'static str,
    arena: &'a Bump,
) -> Result<Nodes<'a>, EventError> {
    let Some(list) = value.filter(|value| !is_null(value)) else {
        return Ok(&[]);
    };
    check_list(list, field)?;
    let count = Elements::of_value(list).count();
    let nodes = arena.alloc_slice_fill_copy(3 * count, Node::Static(StaticNode::Null));
    for (entry, element) in nodes.chunks_exact_mut(3).zip(Elements::of_value(list)) {
        if let ([name_slot, list_slot, value_slot], Some((name, value))) =
            (entry, name_and_value(element))
        {
            *name_slot = Node::String(name);
            *list_slot = Node::Array { len: 1, count: 1 };
            *value_slot = Node::String(value);
        }
    }
    Ok(nodes)
}

/// Checks that `list` is an array of objects with a string `name` and a string `value`.
pub(super) fn check_list(list: Nodes<'_>, field: &'static str) -> Result<(), EventError> {
    if array_body(list).is_none() {
        return Err(EventError::wrong_type(
            format_args!("{field}"),
            "array",
            type_name(list),
        ));
    }
    for (index, element) in Elements::of_value(list).enumerate() {
        let Some(body) = object_body(element) else {
            return Err(EventError::wrong_type(
                format_args!("{field}[{index}]"),
                "object",
                type_name(element),
            ));
        };
        for key in ["name", "value"] {
            match last_member(body, |name| name == key) {
                None => {
                    return Err(EventError::missing_field(format_args!(
                        "{field}[{index}].{key}"
                    )));
                }
                Some(member) if string_of(member).is_none() => {
                    return Err(EventError::wrong_type(
                        format_args!("{field}[{index}].{key}"),
                        "string",
                        type_name(member),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// The `name` and `value` of one checked entry.
fn name_and_value(element: Nodes<'_>) -> Option<(&str, &str)> {
    let body = object_body(element)?;
    let (mut name, mut value) = (None, None);
    for (key, member) in Members::of(body) {
        match key {
            "name" => name = string_of(member),
            "value" => value = string_of(member),
            _ => {}
        }
    }
    Some((name?, value?))
}

/// A checked `{name, value}` list: the body properties of an agent's request.
#[derive(Clone, Copy)]
pub(crate) struct NameValues<'a> {
    list: Nodes<'a>,
}

impl<'a> NameValues<'a> {
    /// Every `(name, value)`, in order.
    pub(crate) fn pairs(self) -> impl Iterator<Item = (&'a str, &'a str)> {
        Elements::of_value(self.list).filter_map(name_and_value)
    }

    /// The last value of `name`.
    pub(crate) fn last(self, name: &str) -> Option<&'a str> {
        self.pairs()
            .filter(|(key, _)| *key == name)
            .last()
            .map(|(_, value)| value)
    }
}

/// The `properties` of `requestBody.content["application/json"]` (that exact content
/// type) of the event `root`, checked when the event was read; `None` when the event has
/// no such body.
pub(crate) fn properties(root: Nodes<'_>) -> Option<NameValues<'_>> {
    let member = |value, key: &str| last_member(object_body(value)?, |name| name == key);
    let body = member(root, "requestBody")?;
    let content = member(body, "content")?;
    let json = member(content, "application/json")?;
    let list = member(json, "properties")?;
    array_body(list).map(|_| NameValues { list })
}

/// Checks the parts of `requestBody` the body is read from: an object (or absent or `null`:
/// no body) whose `content`, when present, is an object, whose `application/json` member
/// holds `properties`, a `{name, value}` list.
pub(super) fn check_request_body(value: Option<Nodes<'_>>) -> Result<(), EventError> {
    let Some(body) = value.filter(|value| !is_null(value)) else {
        return Ok(());
    };
    let Some(members) = object_body(body) else {
        return Err(EventError::wrong_type(
            format_args!("requestBody"),
            "object",
            type_name(body),
        ));
    };
    let Some(content) = last_member(members, |name| name == "content") else {
        return Ok(());
    };
    let Some(content) = object_body(content) else {
        return Err(EventError::wrong_type(
            format_args!("requestBody.content"),
            "object",
            type_name(content),
        ));
    };
    let Some(json) = last_member(content, |name| name == "application/json") else {
        return Ok(());
    };
    match object_body(json).and_then(|json| last_member(json, |name| name == "properties")) {
        Some(list) => check_list(list, "requestBody.content.application/json.properties"),
        None => Ok(()),
    }
}

/// Gives the route's path parameters the values of the `parameters` of the same names (the
/// segments of `apiPath` are the template's, `{todo_id}`, not values); a parameter the
/// agent did not send is left out, so its extractor reports it missing.
pub(crate) fn path_params_from_parameters<'a>(query: &Query<'a>, params: &mut Params<'a>) {
    let matched = std::mem::take(params);
    for (name, _) in matched.iter() {
        if let Some(value) = query.get(name) {
            params.push(name, value);
        }
    }
}
