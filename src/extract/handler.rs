//! Handlers: every function of up to eight [`FromRequest`] arguments is a
//! [`Handler`](crate::Handler), sync or async; `&Request` is one such argument.
//!
//! The argument types are inferred from the function at one lifetime, then named at the
//! request's lifetime through [`Extract`], so the function is called with values borrowed
//! from the request. Every argument is read before any error is answered, so a 422 lists
//! the errors of all of them.

use std::future::Future;
use std::marker::PhantomData;

use super::{DescribeInputs, Extract, FromRequest, Rejections};
use crate::handler::{ErasedHandler, HandlerKind};
use crate::response::HandlerOutput;

/// The shape of a handler: how many arguments, and whether it is async, settled without
/// looking at the argument types (see [`Handler`](crate::Handler)'s impl for why).
#[doc(hidden)]
pub trait Signature<M> {}

/// A handler shape (`Typed`, `AsyncTyped`) whose arguments can all be read: erases a
/// function `F` of that shape into what a route calls. Implemented on the shape rather than
/// the function so that, while the shape is unknown, the compiler waits instead of
/// reporting every shape's failure.
#[doc(hidden)]
pub trait Erase<F> {
    /// Erases the handler's type.
    fn erase(handler: F) -> ErasedHandler;

    /// What the handler's arguments read.
    fn describe_inputs() -> DescribeInputs;
}

/// Marks a sync handler of typed arguments (inferred; never written).
#[doc(hidden)]
#[derive(Debug)]
pub struct Typed<Args, R>(PhantomData<fn(Args) -> R>);

/// Marks an async handler of typed arguments (inferred; never written).
#[doc(hidden)]
#[derive(Debug)]
pub struct AsyncTyped<Args, R>(PhantomData<fn(Args) -> R>);

/// A sync function of typed arguments at request lifetime `'r`: its output may borrow
/// them.
#[doc(hidden)]
pub trait TypedSyncFn<'r, Args> {
    /// What the function returns.
    type Output: HandlerOutput;
    /// Calls the function.
    fn call_with(&self, args: Args) -> Self::Output;
}

/// An async function of typed arguments at request lifetime `'r`: its future may borrow
/// them.
#[doc(hidden)]
pub trait TypedAsyncFn<'r, Args, R> {
    /// The future the function returns.
    type Future: Future<Output = R> + Send + 'r;
    /// Calls the function.
    fn call_with(&self, args: Args) -> Self::Future;
}

macro_rules! typed_handlers {
    ($(($($arg:ident),*);)*) => {$(
        impl<F, R, $($arg,)*> Signature<Typed<($($arg,)*), R>> for F
        where
            F: Fn($($arg),*) -> R,
            R: HandlerOutput,
        {
        }

        impl<F, Fut, $($arg,)*> Signature<AsyncTyped<($($arg,)*), Fut::Output>> for F
        where
            F: Fn($($arg),*) -> Fut,
            Fut: Future,
        {
        }

        impl<'r, F, Fut, R, $($arg,)*> TypedAsyncFn<'r, ($($arg,)*), R> for F
        where
            F: Fn($($arg),*) -> Fut,
            Fut: Future<Output = R> + Send + 'r,
        {
            type Future = Fut;
            #[allow(non_snake_case)]
            fn call_with(&self, ($($arg,)*): ($($arg,)*)) -> Fut {
                self($($arg),*)
            }
        }

        impl<'r, F, R, $($arg,)*> TypedSyncFn<'r, ($($arg,)*)> for F
        where
            F: Fn($($arg),*) -> R,
            R: HandlerOutput,
        {
            type Output = R;
            #[allow(non_snake_case)]
            fn call_with(&self, ($($arg,)*): ($($arg,)*)) -> R {
                self($($arg),*)
            }
        }

        impl<F, R, $($arg,)*> Erase<F> for Typed<($($arg,)*), R>
        where
            F: Fn($($arg),*) -> R + Send + Sync + 'static,
            F: for<'r> TypedSyncFn<'r, ($($arg::At<'r>,)*)>,
            $($arg: Extract,)*
        {
            fn describe_inputs() -> DescribeInputs {
                |_inputs| { $(<$arg as Extract>::describe(_inputs);)* }
            }

            #[allow(non_snake_case, unused_mut, unused_variables)]
            fn erase(handler: F) -> ErasedHandler {
                ErasedHandler(HandlerKind::Sync(Box::new(move |req, cx| {
                    let mut rejections = Rejections::default();
                    $(let $arg = rejections.keep(<$arg::At<'_>>::from_request(req));)*
                    match ($($arg,)*) {
                        ($(Some($arg),)*) => {
                            TypedSyncFn::call_with(&handler, ($($arg,)*)).into_outcome(cx)
                        }
                        #[allow(unreachable_patterns)]
                        _ => Err(rejections.into_error()),
                    }
                })))
            }
        }

        impl<F, Fut, R, $($arg,)*> Erase<F> for AsyncTyped<($($arg,)*), R>
        where
            // `R` is named only through the higher-ranked bound, as the compiler cannot
            // settle it there while choosing the impl: an async handler with the wrong
            // output then gets the message of `HandlerOutput`, not the vaguer "not a
            // handler" of a sync one.
            F: Fn($($arg),*) -> Fut + Send + Sync + 'static,
            F: for<'r> TypedAsyncFn<'r, ($($arg::At<'r>,)*), R>,
            R: HandlerOutput + 'static,
            $($arg: Extract,)*
        {
            fn describe_inputs() -> DescribeInputs {
                |_inputs| { $(<$arg as Extract>::describe(_inputs);)* }
            }

            #[allow(non_snake_case, unused_mut, unused_variables)]
            fn erase(handler: F) -> ErasedHandler {
                ErasedHandler(HandlerKind::Async(Box::new(move |req, cx, home| {
                    let mut rejections = Rejections::default();
                    $(let $arg = rejections.keep(<$arg::At<'_>>::from_request(req));)*
                    match ($($arg,)*) {
                        ($(Some($arg),)*) => {
                            let future = TypedAsyncFn::call_with(&handler, ($($arg,)*));
                            home.pin(async move { future.await.into_outcome(&cx) })
                        }
                        #[allow(unreachable_patterns)]
                        _ => {
                            let error = rejections.into_error();
                            home.pin(async move { Err(error) })
                        }
                    }
                })))
            }
        }
    )*};
}

typed_handlers! {
    ();
    (A1);
    (A1, A2);
    (A1, A2, A3);
    (A1, A2, A3, A4);
    (A1, A2, A3, A4, A5);
    (A1, A2, A3, A4, A5, A6);
    (A1, A2, A3, A4, A5, A6, A7);
    (A1, A2, A3, A4, A5, A6, A7, A8);
}
