//! A signed-in customer's own invoices, for the portal pages and the REST API.
//! Anyone else's invoice is "not found", never "forbidden", so ids reveal nothing.

use crate::api::portal::{FieldName, FieldProblem, PortalError};
use crate::domain::{CustomerId, Invoice, InvoiceId};
use crate::server::db::Db;
use crate::server::services::unavailable;
use crate::domain::invoice::InvoiceSummary;
use crate::server::store::invoices;

pub const DEFAULT_PAGE_SIZE: u32 = 25;
pub const MAX_PAGE_SIZE: u32 = 100;
/// The highest page number asked for (any page past the end is empty).
pub const MAX_PAGE: u32 = 1_000_000;

#[derive(Clone)]
pub struct MyInvoices {
    db: Db,
}

/// One page of a customer's invoices.
#[derive(Debug, Clone)]
pub struct InvoicePage {
    pub invoices: Vec<InvoiceSummary>,
    /// 1-based.
    pub page: u32,
    pub size: u32,
    pub total_items: u64,
}

impl InvoicePage {
    pub fn total_pages(&self) -> u32 {
        u32::try_from(self.total_items.div_ceil(u64::from(self.size))).unwrap_or(u32::MAX)
    }
}

/// Reads `page` and `size` parameters: absent means the first page of the default size.
pub fn parse_paging(page: Option<&str>, size: Option<&str>) -> Result<(u32, u32), PortalError> {
    let number = |raw: Option<&str>, default: u32, max: u32, field: FieldName| -> Result<u32, PortalError> {
        match raw.map(str::trim).filter(|r| !r.is_empty()) {
            None => Ok(default),
            Some(raw) => match raw.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                Ok(_) => Err(PortalError::field_error(field, FieldProblem::OutOfRange)),
                Err(_) => Err(PortalError::field_error(field, FieldProblem::Malformed)),
            },
        }
    };
    Ok((number(page, 1, MAX_PAGE, FieldName::Page)?, number(size, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, FieldName::Size)?))
}

impl MyInvoices {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Newest first. A page past the end is empty, not an error.
    pub async fn page(&self, customer: CustomerId, page: u32, size: u32) -> Result<InvoicePage, PortalError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        let total = invoices::count_customer_invoices(&mut conn, customer).await.map_err(unavailable)?;
        let offset = i64::from(page - 1) * i64::from(size);
        let invoices = invoices::list_customer_invoices(&mut conn, customer, i64::from(size), offset)
            .await
            .map_err(unavailable)?;
        Ok(InvoicePage { invoices, page, size, total_items: u64::try_from(total).unwrap_or(0) })
    }

    /// One of the customer's invoices; `NotFound` for any other.
    pub async fn invoice(&self, customer: CustomerId, id: InvoiceId) -> Result<Invoice, PortalError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        invoices::find_invoice(&mut conn, id)
            .await
            .map_err(unavailable)?
            .filter(|invoice| invoice.customer_id == Some(customer))
            .ok_or(PortalError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_defaults_and_bounds() {
        assert_eq!(parse_paging(None, None).unwrap(), (1, DEFAULT_PAGE_SIZE));
        assert_eq!(parse_paging(Some("3"), Some("10")).unwrap(), (3, 10));
        for (page, size) in [(Some("0"), None), (Some("-1"), None), (Some("x"), None), (None, Some("101")), (None, Some("0"))] {
            assert!(parse_paging(page, size).is_err(), "{page:?} {size:?}");
        }
    }

    #[test]
    fn paging_messages_state_the_bounds() {
        let message = |page, size| match parse_paging(page, size) {
            Err(PortalError::Invalid(fields)) => crate::api::portal::FieldError::summary(&fields),
            other => panic!("{other:?}"),
        };
        assert_eq!(message(Some("0"), None), format!("page: must be a whole number from 1 to {MAX_PAGE}"));
        assert_eq!(message(Some("x"), None), format!("page: must be a whole number from 1 to {MAX_PAGE}"));
        assert_eq!(message(None, Some("101")), format!("size: must be a whole number from 1 to {MAX_PAGE_SIZE}"));
    }

    #[test]
    fn total_pages_rounds_up() {
        let page = |total| InvoicePage { invoices: vec![], page: 1, size: 10, total_items: total };
        assert_eq!(page(0).total_pages(), 0);
        assert_eq!(page(10).total_pages(), 1);
        assert_eq!(page(11).total_pages(), 2);
    }
}
