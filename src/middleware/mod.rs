//! Middleware: layers around a route's handler, in onion order (the app's, in registration
//! order, then the router's, then the route's own), that may change the request's shared
//! context, short-circuit, or change the response before it is written.
//!
//! A layer is async ([`from_fn`] of a closure, or an [`AsyncMiddleware`]) or sync
//! ([`Middleware`], a plain function); either wraps every route, sync or async. A chain
//! of sync layers around a sync handler runs without a future. A sync layer around an
//! async part waits for it on its thread (see `wait.rs`), which a multi-thread runtime
//! allows: `run` makes one for an app that needs it.

mod async_chain;
mod from_fn;
mod sync_chain;
mod wait;

use std::sync::Arc;

#[cfg(any(feature = "runtime", feature = "dev-server"))]
pub(crate) use wait::runtime_for;

pub(crate) use async_chain::ChainEnd;
pub use async_chain::{AsyncMiddleware, AsyncNext};
pub use from_fn::{FromFn, from_fn};
pub use sync_chain::{Middleware, Next};

/// One middleware of a chain.
#[doc(hidden)]
#[derive(Clone)]
pub enum Layer {
    Sync(Arc<dyn Middleware>),
    Async(Arc<dyn AsyncMiddleware>),
}

impl std::fmt::Debug for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Layer::Sync(_) => "Layer::Sync",
            Layer::Async(_) => "Layer::Async",
        })
    }
}

/// What `middleware(..)` takes: a sync [`Middleware`] function, or an async middleware
/// ([`from_fn`], an [`AsyncMiddleware`]). `K` only tells the two apart; it is inferred.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a middleware",
    label = "not a middleware",
    note = "an async middleware, which wraps every route: `lambda_router::middleware::from_fn(|req, next| Box::pin(async move {{ next.run(req).await }}))`",
    note = "or a sync one: `fn(&mut Request<'_>, Next<'_>) -> Result<Response, Error>`"
)]
pub trait IntoMiddleware<K> {
    /// The middleware as a chain layer.
    #[doc(hidden)]
    fn into_layer(self) -> Layer;
}

#[doc(hidden)]
#[derive(Debug)]
pub struct SyncKind;

#[doc(hidden)]
#[derive(Debug)]
pub struct AsyncKind;

impl<M: Middleware> IntoMiddleware<SyncKind> for M {
    fn into_layer(self) -> Layer {
        Layer::Sync(Arc::new(self))
    }
}

impl<M: AsyncMiddleware> IntoMiddleware<AsyncKind> for M {
    fn into_layer(self) -> Layer {
        Layer::Async(Arc::new(self))
    }
}

/// A list of middleware, shared between the routes it applies to.
pub(crate) type MiddlewareList = Vec<Layer>;

/// The layers still to run: the app's (outer), then the route's (inner).
#[derive(Clone, Copy)]
pub(crate) struct Remaining<'n> {
    outer: &'n [Layer],
    inner: &'n [Layer],
}

impl<'n> Remaining<'n> {
    pub(crate) fn new(outer: &'n [Layer], inner: &'n [Layer]) -> Self {
        Self { outer, inner }
    }

    /// The next layer and what remains after it.
    pub(crate) fn split_first(self) -> Option<(&'n Layer, Self)> {
        match self.outer.split_first() {
            Some((first, outer)) => Some((first, Self { outer, ..self })),
            None => {
                let (first, inner) = self.inner.split_first()?;
                Some((first, Self { inner, ..self }))
            }
        }
    }

    pub(crate) fn len(self) -> usize {
        self.outer.len() + self.inner.len()
    }
}

/// `middleware` and `middleware_async` for the builders that hold a `middlewares` list.
macro_rules! layer_methods {
    ($scope:literal) => {
        #[doc = concat!("A middleware ", $scope, ", in registration order: async ([`from_fn`](crate::middleware::from_fn), an [`AsyncMiddleware`](crate::AsyncMiddleware)) or a sync [`Middleware`](crate::Middleware) function.")]
        #[must_use]
        pub fn middleware<K>(
            mut self,
            middleware: impl $crate::middleware::IntoMiddleware<K>,
        ) -> Self {
            self.middlewares.push(middleware.into_layer());
            self
        }

        #[doc = concat!("An async middleware ", $scope, " (what [`middleware`](Self::middleware) does with one).")]
        #[must_use]
        pub fn middleware_async(mut self, middleware: impl $crate::AsyncMiddleware) -> Self {
            self.middlewares
                .push($crate::middleware::Layer::Async(std::sync::Arc::new(middleware)));
            self
        }
    };
}
pub(crate) use layer_methods;

/// How a route's chain (app layers, route layers, handler) can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChainKind {
    /// Everything is sync: run without a future.
    Sync,
    /// Something is async: run as a future. A sync layer outside an async part waits
    /// for it on its thread.
    Async,
}

/// A chain's kind, and whether a sync layer in it waits for an async part inside it.
pub(crate) fn classify(
    layers: impl DoubleEndedIterator<Item = Layer>,
    handler_is_async: bool,
) -> (ChainKind, bool) {
    let mut inner_is_async = handler_is_async;
    let mut waits = false;
    for layer in layers.rev() {
        match layer {
            Layer::Async(_) => inner_is_async = true,
            Layer::Sync(_) => waits |= inner_is_async,
        }
    }
    let kind = if inner_is_async {
        ChainKind::Async
    } else {
        ChainKind::Sync
    };
    (kind, waits)
}
