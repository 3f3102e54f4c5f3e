//! `/account/invoices` (My invoices) and `/account/invoices/:id` (one invoice).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::pages::account::language::LanguageForm;
use crate::pages::account::{page_error, AccountBar};
use crate::api::portal::{invoice_detail, my_invoices, InvoiceRowView, MY_INVOICES};
use crate::t;

#[component]
pub fn MyInvoices() -> impl IntoView {
    let page = use_query_map().with_untracked(|q| q.get("page"));
    view! {
        <Title text=t!("portal-my-invoices")/>
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
            let language = list.account.language.clone();
            view! {
                <AccountBar account=list.account/>
                <h1>{t!("portal-my-invoices")}</h1>
                {if list.invoices.is_empty() {
                    view! { <section class="card"><p>{t!("portal-no-invoices-on-page")}</p></section> }.into_any()
                } else {
                    view! {
                        <section class="card">
                            <table class="invoices">
                                <caption class="visually-hidden">{t!("portal-invoices-caption")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t!("portal-column-invoice")}</th>
                                        <th scope="col">{t!("portal-column-date")}</th>
                                        <th scope="col" class="num">{t!("portal-column-total")}</th>
                                        <th scope="col">{t!("portal-column-status")}</th>
                                        <th scope="col"><span class="visually-hidden">{t!("portal-column-download")}</span></th>
                                    </tr>
                                </thead>
                                <tbody>{list.invoices.into_iter().map(|row| view! { <Row row/> }).collect_view()}</tbody>
                            </table>
                        </section>
                    }.into_any()
                }}
                <nav class="pager" aria-label=t!("portal-pages")>
                    {(page > 1).then(|| view! { <a class="button" href=format!("{MY_INVOICES}?page={}", page - 1)>{t!("portal-newer")}</a> })}
                    <span class="muted">{page_of(page, total_pages.max(1))}</span>
                    {(page < total_pages).then(|| view! { <a class="button" href=format!("{MY_INVOICES}?page={}", page + 1)>{t!("portal-older")}</a> })}
                </nav>
                <LanguageForm saved=language/>
            }.into_any()
        })}</Suspense>
    }
}

/// "Page 2 of 5": numbers only, which need no direction isolates.
fn page_of(page: u32, pages: u32) -> String {
    #[cfg(feature = "ssr")]
    let text = crate::tr_plain!(crate::pages::i18n::locale(), "portal-page-of", page = page, pages = pages);
    #[cfg(not(feature = "ssr"))]
    let text = {
        let _ = (page, pages);
        String::new()
    };
    text
}

#[component]
fn Row(row: InvoiceRowView) -> impl IntoView {
    let detail = format!("{MY_INVOICES}/{}", row.id);
    view! {
        <tr data-invoice=row.number.clone()>
            <th scope="row"><a href=detail>{row.number.clone()}</a></th>
            <td>{row.date}</td>
            <td class="num">{row.total}</td>
            <td>{if row.paid { t!("portal-status-paid") } else { t!("portal-status-open") }}</td>
            <td>
                <a href=row.pdf_url rel="noreferrer" download=format!("{}.pdf", row.number)>
                    {t!("portal-pdf")} <span class="visually-hidden">{format!(" {}", t!("portal-pdf-of-invoice", number = row.number.clone()))}</span>
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
            <Title text=t!("portal-invoice-heading", number = invoice.number.clone())/>
            <AccountBar account=invoice.account.clone()/>
            <p><a href=MY_INVOICES>{t!("portal-back-link")}</a></p>
            <section class="card invoice-detail">
                <h1>{t!("portal-invoice-heading", number = invoice.number.clone())}</h1>
                <p class="muted">
                    {t!("portal-issued-on", date = invoice.date.clone())}
                    {invoice.paid_on.clone().map(|paid| format!(" · {}", t!("portal-paid-on", date = paid)))}
                </p>
                <h2 class="small-heading">{t!("portal-billed-to")}</h2>
                <address>{invoice.bill_to.iter().map(|line| view! { {line.clone()}<br/> }).collect_view()}</address>
                <table class="basket">
                    <caption class="visually-hidden">{t!("portal-invoice-lines")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!("portal-column-description")}</th>
                            <th scope="col" class="num">{t!("portal-column-quantity")}</th>
                            <th scope="col" class="num">{t!("portal-column-unit-price")}</th>
                            <th scope="col" class="num">{t!("portal-column-tax")}</th>
                            <th scope="col" class="num">{t!("portal-column-amount")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {invoice.lines.iter().map(|line| view! {
                            <tr>
                                <td>{line.description.clone()}</td>
                                <td class="num">{line.quantity}</td>
                                <td class="num">{line.unit_price.clone()}</td>
                                <td class="num">{t!("portal-line-tax", amount = line.tax.clone(), rate = line.tax_rate.clone())}</td>
                                <td class="num">{line.net.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <dl class="totals">
                    <dt>{t!("portal-subtotal")}</dt><dd class="num">{invoice.subtotal.clone()}</dd>
                    <dt>{t!("portal-tax")}</dt><dd class="num">{invoice.tax.clone()}</dd>
                    <dt>{t!("portal-total")}</dt><dd class="num"><strong>{invoice.total.clone()}</strong></dd>
                </dl>
                <p>
                    <a class="button primary" href=invoice.pdf_url.clone() rel="noreferrer" download=format!("{}.pdf", invoice.number)>
                        {t!("portal-download-pdf")}
                    </a>
                </p>
            </section>
        }.into_any()
    });
    view! { <Suspense>{invoice}</Suspense> }
}
