//! The HTTP side: the router and its middleware, the app state handed to
//! handlers, the adapters behind the pages' `#[server]` functions, the REST
//! API, health probes, security headers, cookies and static files.

pub mod client_addr;
pub mod cookies;
pub mod health;
pub mod i18n;
pub mod islands_boot;
pub mod payments;
pub mod rest;
pub mod router;
pub mod security;
pub mod server_fns;
pub mod shop;
pub mod state;
pub mod static_files;
