//! `/account/invoices` (My invoices) and `/account/invoices/:id` (one invoice).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::pages::account::{page_error, AccountBar};
use crate::api::portal::{invoice_detail, my_invoices, InvoiceRowView, MY_INVOICES};

#[component]
pub fn MyInvoices() -> impl IntoView {
    let page = use_query_map().with_untracked(|q| q.get("page"));
    view! {
        <Title text="My invoices"/>
        // Rendered on the server only, once the list is read (the route is `SsrMode::Async`).
        <Suspense>{Suspend::new(async move {
            let here = match &page {
                Some(page) => format!("{MY_INVOICES}?page={page}"),
                None => MY_INVOICES.to_owned(),
            };
            let list = match my_invoices(page).await {
                Ok(list) => list,
                Err(error) => return page_error(error, here),
            };
            let (page, total_pages) = (list.page, list.total_pages);
            view! {
                <AccountBar account=list.account/>
                <h1>"My invoices"</h1>
                {if list.invoices.is_empty() {
                    view! { <section class="card"><p>"There are no invoices on this page."</p></section> }.into_any()
                } else {
                    view! {
                        <section class="card">
                            <table class="invoices">
                                <caption class="visually-hidden">"Your invoices, newest first"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Invoice"</th>
                                        <th scope="col">"Date"</th>
                                        <th scope="col" class="num">"Total"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col"><span class="visually-hidden">"Download"</span></th>
                                    </tr>
                                </thead>
                                <tbody>{list.invoices.into_iter().map(|row| view! { <Row row/> }).collect_view()}</tbody>
                            </table>
                        </section>
                    }.into_any()
                }}
                <nav class="pager" aria-label="Pages">
                    {(page > 1).then(|| view! { <a class="button" href=format!("{MY_INVOICES}?page={}", page - 1)>"Newer"</a> })}
                    <span class="muted">{format!("Page {page} of {}", total_pages.max(1))}</span>
                    {(page < total_pages).then(|| view! { <a class="button" href=format!("{MY_INVOICES}?page={}", page + 1)>"Older"</a> })}
                </nav>
            }.into_any()
        })}</Suspense>
    }
}

#[component]
fn Row(row: InvoiceRowView) -> impl IntoView {
    let detail = format!("{MY_INVOICES}/{}", row.id);
    view! {
        <tr data-invoice=row.number.clone()>
            <th scope="row"><a href=detail>{row.number.clone()}</a></th>
            <td>{row.date}</td>
            <td class="num">{row.total}</td>
            <td>{if row.paid { "Paid" } else { "Open" }}</td>
            <td>
                <a href=row.pdf_url rel="noreferrer" download=format!("{}.pdf", row.number)>
                    "PDF" <span class="visually-hidden">{format!(" of {}", row.number)}</span>
                </a>
            </td>
        </tr>
    }
}

#[component]
pub fn InvoiceDetail() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id"));
    // Rendered on the server only, once the invoice is read (the route is `SsrMode::Async`).
    let invoice = Suspend::new(async move {
        let here = format!("{MY_INVOICES}/{}", id.as_deref().unwrap_or_default());
        let invoice = match invoice_detail(id).await {
            Ok(invoice) => invoice,
            Err(error) => return page_error(error, here),
        };
        view! {
            <Title text=format!("Invoice {}", invoice.number)/>
            <AccountBar account=invoice.account.clone()/>
            <p><a href=MY_INVOICES>"← My invoices"</a></p>
            <section class="card invoice-detail">
                <h1>"Invoice " {invoice.number.clone()}</h1>
                <p class="muted">
                    "Issued " {invoice.date.clone()}
                    {invoice.paid_on.clone().map(|paid| format!(" · Paid {paid}"))}
                </p>
                <h2 class="small-heading">"Billed to"</h2>
                <address>{invoice.bill_to.iter().map(|line| view! { {line.clone()}<br/> }).collect_view()}</address>
                <table class="basket">
                    <caption class="visually-hidden">"Invoice lines"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Description"</th>
                            <th scope="col" class="num">"Qty"</th>
                            <th scope="col" class="num">"Unit price"</th>
                            <th scope="col" class="num">"Tax"</th>
                            <th scope="col" class="num">"Amount"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {invoice.lines.iter().map(|line| view! {
                            <tr>
                                <td>{line.description.clone()}</td>
                                <td class="num">{line.quantity}</td>
                                <td class="num">{line.unit_price.clone()}</td>
                                <td class="num">{format!("{} ({})", line.tax, line.tax_rate)}</td>
                                <td class="num">{line.net.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <dl class="totals">
                    <dt>"Subtotal"</dt><dd class="num">{invoice.subtotal.clone()}</dd>
                    <dt>"Tax"</dt><dd class="num">{invoice.tax.clone()}</dd>
                    <dt>"Total"</dt><dd class="num"><strong>{invoice.total.clone()}</strong></dd>
                </dl>
                <p>
                    <a class="button primary" href=invoice.pdf_url.clone() rel="noreferrer" download=format!("{}.pdf", invoice.number)>
                        "Download PDF"
                    </a>
                </p>
            </section>
        }.into_any()
    });
    view! { <Suspense>{invoice}</Suspense> }
}
