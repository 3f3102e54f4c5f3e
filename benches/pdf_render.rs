//! Criterion: rendering one typical invoice (five lines) to PDF, the limit
//! `scripts/bench` compares the PDF download over HTTP with; and the same
//! invoice in German and in Arabic (right to left, every line through the
//! bidi split), to see what a language costs.

use checkout_portal::domain::shop::Letterhead;
use checkout_portal::server::pdf::render_invoice;
use checkout_portal::server::services::purchase::demo_invoice;
use checkout_portal::server::services::shop::PrintedLetterhead;
use criterion::{criterion_group, criterion_main, Criterion};

fn render(c: &mut Criterion) {
    let letterhead = PrintedLetterhead { letterhead: Letterhead::default(), logo: None };
    let invoice = demo_invoice();
    c.bench_function("pdf_render", |b| b.iter(|| render_invoice(std::hint::black_box(&invoice), &letterhead).expect("renders")));
    for tag in ["de", "ar"] {
        let invoice = checkout_portal::domain::Invoice { locale: tag.parse().expect("a supported locale"), ..demo_invoice() };
        c.bench_function(&format!("pdf_render_{tag}"), |b| {
            b.iter(|| render_invoice(std::hint::black_box(&invoice), &letterhead).expect("renders"))
        });
    }
}

criterion_group!(benches, render);
criterion_main!(benches);
