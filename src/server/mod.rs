//! Everything that runs only on the server, in layers:
//! `http` (routes, server-function adapters, REST) calls `services`, which
//! own the transactions and call `store` (all SQL). Beside them the
//! infrastructure: `db`, `config`, `mail`, `pdf`, `payment`, `passwords`,
//! `rate_limit`, `metrics`, `housekeeping`, `recent` (reads kept for a
//! second, for probes and scrapes); `startup` wires them together.

pub mod config;
pub mod db;
pub mod housekeeping;
pub mod http;
pub mod i18n;
pub mod mail;
pub mod metrics;
pub mod passwords;
pub mod payments;
pub mod pdf;
pub mod rate_limit;
pub mod recent;
pub mod services;
pub mod sqlite_reader;
pub mod shop;
pub mod sqlite_writer;
pub mod startup;
pub mod store;
