//! The integration tests: the real router (or the real binary) on a real
//! database, most of them on both backends (`on_both_backends!`), the
//! registration tests also on every registration path
//! (`on_every_registration_path!`). One test
//! binary, so the whole dependency tree is linked once.

#[macro_use]
mod common;

mod complete_page;
mod email;
mod faults;
mod guest_checkout;
mod health;
mod hot_reads;
mod housekeeping;
mod i18n_checkout;
mod i18n_email;
mod i18n_pdf;
mod i18n_portal;
mod i18n_shop;
mod invoice_numbering;
mod invoices_api;
mod metrics;
mod multi_instance;
mod payment_receipt;
mod payments;
mod payments_review;
mod payments_review2;
mod pdf_by_token;
mod portal;
mod register_by_token;
mod registration_paths;
mod request_limits;
mod security;
mod security_races;
mod security_headers;
mod shop_file;
mod shutdown;
mod static_assets;
mod stripe_payments;
mod stripe_fake_smoke;
