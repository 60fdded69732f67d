//! The web application: server-rendered pages for every role (`pages`) and a JSON API
//! (`api`), over the store. Every page and call asks core's access function, through the
//! store, for the signed-in actor; nothing here decides a rule.
//!
//! `serve` runs the application on a listener until `shutdown` resolves; `app` builds the
//! router (tests call it with a store of their own).

mod api;
mod assets;
mod auth;
mod error;
mod headers;
mod pages;
mod routes;
mod state;
mod throttle;
mod view;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

pub use api::openapi;
pub use routes::{routes, RouteSpec, Who};
pub use state::{AppState, Settings};

/// The router for a store and settings.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}

/// Serves the application on `listener` until `shutdown` resolves.
pub async fn serve(
    store: Arc<dyn zhenggai_store::Store>,
    settings: Settings,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(AppState::new(store, settings));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
