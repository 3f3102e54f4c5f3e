//! Criterion: rendering one typical invoice (five lines) to PDF, the limit
//! `scripts/bench` compares the PDF download over HTTP with.

use checkout_portal::server::config::Seller;
use checkout_portal::server::pdf::render_invoice;
use checkout_portal::server::services::purchase::demo_invoice;
use criterion::{criterion_group, criterion_main, Criterion};

fn render(c: &mut Criterion) {
    let (invoice, seller) = (demo_invoice(), Seller::default());
    c.bench_function("pdf_render", |b| b.iter(|| render_invoice(std::hint::black_box(&invoice), &seller).expect("renders")));
}

criterion_group!(benches, render);
criterion_main!(benches);
