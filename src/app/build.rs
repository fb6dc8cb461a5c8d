//! `AppBuilder::build`: compiles rules into the route table and precomputes what every
//! invocation would otherwise recompute (CORS header values, the pre-flight method list).

use std::sync::Arc;

use http::Method;
use smallvec::{SmallVec, smallvec};

use super::{App, AppBuilder, CompiledRoute, Finishing};
use crate::cors::{CompiledCors, Cors};
use crate::middleware::classify;
use crate::response::invalid_field_value_byte;
use crate::router::{BuildError, RouteTable, TrailingSlash};

pub(super) fn build(mut builder: AppBuilder) -> Result<App, BuildError> {
    // Before the document's own routes are added: those are not the user's routes.
    let route_middlewares = std::mem::take(&mut builder.route_middlewares);
    if !route_middlewares.is_empty() {
        for route in &mut builder.routes {
            let own = std::mem::take(&mut route.middlewares);
            route.middlewares = route_middlewares.iter().cloned().chain(own).collect();
        }
    }
    let openapi = builder
        .openapi
        .take()
        .map(|installer| installer.install(&mut builder));
    // An app for any source matches exactly; REST events are then routed without their
    // trailing slashes (see `dispatch`).
    let trailing_slash = builder
        .accepts
        .one()
        .map_or(TrailingSlash::Exact, |source| source.def().trailing_slash);
    let app_cors = match &builder.cors {
        Some(cors) => Some(Arc::new(cors.compile()?)),
        None => None,
    };
    // Compiled only when a route asks for CORS in an app without a configuration.
    let mut default_cors: Option<Arc<CompiledCors>> = None;
    let mut table = RouteTable::builder(trailing_slash, builder.routes.len());
    let mut routes = Vec::with_capacity(builder.routes.len());
    // A sync middleware around an async part: the app then needs a multi-thread runtime.
    let mut sync_waits_for_async = false;
    let mut preflight_methods: SmallVec<[Method; 8]> = smallvec![Method::OPTIONS];
    // The methods a missed path is tried under for a 405 (none when 405s are off).
    let mut allow_candidates: Vec<Method> = Vec::new();

    for (id, route) in builder.routes.into_iter().enumerate() {
        // Inline: a route has one or two methods, and this runs once per route at cold start.
        let methods: SmallVec<[Method; 4]> = route
            .methods
            .iter()
            .map(upper_case)
            .collect::<Result<_, _>>()?;
        table.insert(&route.rule, &methods, id)?;
        if builder.method_not_allowed {
            allow_candidates.extend(methods.iter().cloned());
        }
        check_state(
            route.describe,
            builder.state.as_deref(),
            &methods,
            &route.rule,
        )?;
        if let Some(value) = &route.cache_control {
            check_cache_control(value, &methods, &route.rule)?;
        }
        let cors = match (route.cors, &app_cors) {
            (Some(false), _) => None,
            (Some(true) | None, Some(app_cors)) => Some(Arc::clone(app_cors)),
            (None, None) => None,
            (Some(true), None) => Some(match &default_cors {
                Some(cors) => Arc::clone(cors),
                None => Arc::clone(default_cors.insert(Arc::new(Cors::new().compile()?))),
            }),
        };
        if cors.is_some() {
            preflight_methods.extend(methods.iter().cloned());
        }
        let layers = builder
            .middlewares
            .iter()
            .chain(&route.middlewares)
            .cloned();
        let (chain, waits) = classify(layers, route.handler.is_async());
        sync_waits_for_async |= waits;
        routes.push(CompiledRoute {
            chain,
            handler: route.handler,
            middlewares: route.middlewares,
            finishing: Finishing {
                route: route_name(&methods, &route.rule),
                cors,
                compress: route.compress,
                cache_control: route.cache_control,
                deadline_margin: route.deadline_guard.unwrap_or(builder.deadline_guard),
            },
        });
    }
    allow_candidates.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    allow_candidates.dedup();

    let (not_found_chain, waits) = classify(builder.middlewares.iter().cloned(), false);
    sync_waits_for_async |= waits;
    Ok(App {
        not_found_chain,
        sync_waits_for_async,
        accepts: builder.accepts,
        table: table.build()?,
        routes,
        middlewares: builder.middlewares,
        strip_prefixes: builder.strip_prefixes,
        error_handlers: builder.error_handlers,
        not_found: builder.not_found,
        not_found_finishing: Finishing {
            route: "(no route)".into(),
            cors: app_cors.clone(),
            compress: false,
            cache_control: None,
            deadline_margin: None,
        },
        has_cors: app_cors.is_some(),
        preflight_methods: join_sorted(preflight_methods),
        serializer: builder.serializer,
        debug: builder.debug.unwrap_or_else(debug_from_env),
        vary: builder.vary,
        alb_join_repeated_headers: builder.alb_join_repeated_headers,
        response_limit: builder.response_limit,
        state: builder.state,
        allow_candidates,
        openapi,
    })
}

/// A typed handler borrowing a state the app was not given would fail every request:
/// refused now, naming the route and the type.
fn check_state(
    describe: crate::extract::DescribeInputs,
    state: Option<&(dyn std::any::Any + Send + Sync)>,
    methods: &[Method],
    rule: &str,
) -> Result<(), BuildError> {
    let mut inputs = crate::extract::Inputs::new(None, &[]);
    describe(&mut inputs);
    let given = state.map(|state| state.type_id());
    match inputs.states.iter().find(|(id, _)| Some(*id) != given) {
        None => Ok(()),
        Some((_, name)) => Err(BuildError::config(format!(
            "route `{} {rule}`: its handler takes `State<&{name}>` but the app has no state \
             of that type (give it with `AppBuilder::state`)",
            join_methods(methods)
        ))),
    }
}

/// A route's `cache_control` is written as a header value on every 200 of the route: a
/// byte not allowed there would break each of them, so it is refused now.
fn check_cache_control(value: &str, methods: &[Method], rule: &str) -> Result<(), BuildError> {
    match invalid_field_value_byte(value) {
        None => Ok(()),
        Some((index, byte)) => Err(BuildError::config(format!(
            "route `{} {rule}`: cache_control `{}`: byte {byte:#04x} at index {index} is not \
             allowed in a header value",
            join_methods(methods),
            value.escape_debug()
        ))),
    }
}

/// Route methods are compared upper-case (Powertools upper-cases both sides).
fn upper_case(method: &Method) -> Result<Method, BuildError> {
    let name = method.as_str();
    if name.bytes().all(|b| !b.is_ascii_lowercase()) {
        return Ok(method.clone());
    }
    Method::from_bytes(name.to_ascii_uppercase().as_bytes())
        .map_err(|_| BuildError::config(format!("invalid method `{name}`")))
}

/// `GET,HEAD /todos/<id>`: how logs and errors name a route.
fn route_name(methods: &[Method], rule: &str) -> Box<str> {
    let mut name = String::with_capacity(methods_len(methods) + 1 + rule.len());
    push_methods(&mut name, methods);
    name.push(' ');
    name.push_str(rule);
    name.into_boxed_str()
}

/// The pre-flight's `Access-Control-Allow-Methods`: each method once, sorted.
fn join_sorted(mut methods: SmallVec<[Method; 8]>) -> String {
    methods.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    methods.dedup();
    join_methods(&methods)
}

/// `GET,HEAD`: the methods, comma-separated.
fn join_methods(methods: &[Method]) -> String {
    let mut joined = String::with_capacity(methods_len(methods));
    push_methods(&mut joined, methods);
    joined
}

/// The length of `methods` joined with commas.
fn methods_len(methods: &[Method]) -> usize {
    let names: usize = methods.iter().map(|m| m.as_str().len()).sum();
    names + methods.len().saturating_sub(1)
}

fn push_methods(out: &mut String, methods: &[Method]) {
    for (index, method) in methods.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(method.as_str());
    }
}

/// Powertools' `POWERTOOLS_DEV` switch.
fn debug_from_env() -> bool {
    std::env::var("POWERTOOLS_DEV").is_ok_and(|value| is_truthy(&value))
}

/// Powertools' truthy strings: `1`, `y`, `yes`, `t`, `true`, `on`, in any case.
fn is_truthy(value: &str) -> bool {
    ["1", "y", "yes", "t", "true", "on"]
        .iter()
        .any(|truthy| value.trim().eq_ignore_ascii_case(truthy))
}

#[cfg(test)]
mod tests {
    use super::is_truthy;

    #[test]
    fn powertools_dev_values() {
        for on in ["1", "y", "YES", "t", "True", "on", " on "] {
            assert!(is_truthy(on), "{on}");
        }
        for off in ["", "0", "no", "false", "off", "enable", "yess"] {
            assert!(!is_truthy(off), "{off}");
        }
    }
}
