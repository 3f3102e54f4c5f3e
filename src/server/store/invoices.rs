//! Invoices: issuing them with their lines and gap-free numbers, reading them
//! back, attaching them to the customer who registered, the invoice-scoped
//! access tokens, and a customer's list.

use sqlx::{AnyConnection, Row};

use super::{decode_error, DbResult};
use crate::domain::invoice::invoice_number;
use crate::domain::invoice::InvoiceSummary;
use crate::domain::locale::Locale;
use crate::domain::{BillTo, Currency, CustomerId, Invoice, InvoiceId, InvoiceLine, RegistrationKind, TaxRate, Timestamp, TokenHash};

/// Takes the next invoice number. Must run inside the issuing transaction:
/// the row stays locked (PostgreSQL) or the database stays write-locked
/// (SQLite) until commit, so numbers are unique and a rollback leaves no gap.
pub async fn next_invoice_sequence(conn: &mut AnyConnection) -> DbResult<i64> {
    sqlx::query_scalar(
        "UPDATE invoice_number_sequence SET last_number = last_number + 1 WHERE id = 1 RETURNING last_number",
    )
    .fetch_one(conn)
    .await
}

/// Inserts an issued (and possibly paid) invoice with its lines; returns its id.
pub async fn insert_invoice(conn: &mut AnyConnection, sequence: i64, invoice: &NewInvoice<'_>) -> DbResult<InvoiceId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO invoices (sequence_number, invoice_number, bill_to_name, bill_to_email, bill_to_address,
             bill_to_city, bill_to_postcode, bill_to_country, currency, subtotal_minor, tax_minor, total_minor,
             issued_at, paid_at, letterhead_id, locale)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         RETURNING id",
    )
    .bind(sequence)
    .bind(invoice_number(sequence))
    .bind(&invoice.bill_to.name)
    .bind(invoice.bill_to.email.as_str())
    .bind(&invoice.bill_to.address)
    .bind(&invoice.bill_to.city)
    .bind(&invoice.bill_to.postcode)
    .bind(&invoice.bill_to.country)
    .bind(invoice.currency.code())
    .bind(invoice.subtotal_minor)
    .bind(invoice.tax_minor)
    .bind(invoice.total_minor)
    .bind(invoice.issued_at.millis())
    .bind(invoice.paid_at.map(Timestamp::millis))
    .bind(invoice.letterhead_id)
    .bind(invoice.locale.tag())
    .fetch_one(&mut *conn)
    .await?;
    for (position, line) in invoice.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price_minor,
                 tax_rate_bp, net_minor, tax_minor)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(&line.description)
        .bind(i64::from(line.quantity))
        .bind(line.unit_price_minor)
        .bind(i64::from(line.tax_rate.basis_points()))
        .bind(line.net_minor)
        .bind(line.tax_minor)
        .execute(&mut *conn)
        .await?;
    }
    Ok(InvoiceId::new(id).expect("database ids are positive"))
}

/// The data of an invoice about to be issued (it has no id or number yet).
#[derive(Debug, Clone)]
pub struct NewInvoice<'a> {
    pub bill_to: &'a BillTo,
    pub currency: Currency,
    pub letterhead_id: i64,
    pub locale: Locale,
    pub lines: &'a [InvoiceLine],
    pub subtotal_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub issued_at: Timestamp,
    pub paid_at: Option<Timestamp>,
}

pub async fn find_invoice(conn: &mut AnyConnection, id: InvoiceId) -> DbResult<Option<Invoice>> {
    let Some(row) = sqlx::query(
        "SELECT invoice_number, customer_id, bill_to_name, bill_to_email, bill_to_address, bill_to_city,
                bill_to_postcode, bill_to_country, currency, subtotal_minor, tax_minor, total_minor,
                issued_at, paid_at, letterhead_id, locale
         FROM invoices WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let corrupt = |what: &str| decode_error(format_args!("{what} of invoice {id}"));
    let email: String = row.try_get("bill_to_email")?;
    let currency: String = row.try_get("currency")?;
    let mut invoice = Invoice {
        id,
        number: row.try_get("invoice_number")?,
        customer_id: row.try_get::<Option<i64>, _>("customer_id")?.map(CustomerId::from_row),
        bill_to: BillTo {
            name: row.try_get("bill_to_name")?,
            email: email.parse().map_err(|_| corrupt("email"))?,
            address: row.try_get("bill_to_address")?,
            city: row.try_get("bill_to_city")?,
            postcode: row.try_get("bill_to_postcode")?,
            country: row.try_get("bill_to_country")?,
        },
        currency: currency.parse().map_err(|_| corrupt("currency"))?,
        letterhead_id: row.try_get("letterhead_id")?,
        locale: Locale::from_stored(&row.try_get::<String, _>("locale")?),
        subtotal_minor: row.try_get("subtotal_minor")?,
        tax_minor: row.try_get("tax_minor")?,
        total_minor: row.try_get("total_minor")?,
        issued_at: Timestamp::from_millis(row.try_get("issued_at")?),
        paid_at: row.try_get::<Option<i64>, _>("paid_at")?.map(Timestamp::from_millis),
        lines: Vec::new(),
    };
    let lines = sqlx::query(
        "SELECT description, quantity, unit_price_minor, tax_rate_bp, net_minor, tax_minor
         FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
    )
    .bind(id.get())
    .fetch_all(conn)
    .await?;
    for line in lines {
        let quantity: i64 = line.try_get("quantity")?;
        let rate: i64 = line.try_get("tax_rate_bp")?;
        invoice.lines.push(InvoiceLine {
            description: line.try_get("description")?,
            quantity: u32::try_from(quantity).map_err(|_| corrupt("line quantity"))?,
            unit_price_minor: line.try_get("unit_price_minor")?,
            tax_rate: TaxRate::from_stored(rate).ok_or_else(|| corrupt("line tax rate"))?,
            net_minor: line.try_get("net_minor")?,
            tax_minor: line.try_get("tax_minor")?,
        });
    }
    Ok(Some(invoice))
}

/// What registration needs of an invoice: its bill-to contact and number.
#[derive(Debug, Clone)]
pub struct InvoiceContact {
    pub name: String,
    pub email: String,
    pub number: String,
    /// The invoice's language: a customer created for it speaks it too.
    pub locale: Locale,
}

pub const FIND_INVOICE_CONTACT: &str = "SELECT bill_to_name, bill_to_email, invoice_number, locale FROM invoices WHERE id = $1";

pub async fn find_invoice_contact(conn: &mut AnyConnection, id: InvoiceId) -> DbResult<Option<InvoiceContact>> {
    let row = sqlx::query(FIND_INVOICE_CONTACT)
        .bind(id.get())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(contact_from_row).transpose()
}

/// An `InvoiceContact` from a row with the invoice's `bill_to_name`, `bill_to_email`, `invoice_number` and `locale`.
pub(crate) fn contact_from_row(row: &sqlx::any::AnyRow) -> DbResult<InvoiceContact> {
    Ok(InvoiceContact {
        name: row.try_get("bill_to_name")?,
        email: row.try_get("bill_to_email")?,
        number: row.try_get("invoice_number")?,
        locale: Locale::from_stored(&row.try_get::<String, _>("locale")?),
    })
}

pub const ATTACH_INVOICE_TO_CUSTOMER: &str =
    "UPDATE invoices SET customer_id = $1, registration_kind = $2, registered_at = $3 WHERE id = $4";

pub async fn attach_invoice_to_customer(
    conn: &mut AnyConnection,
    invoice: InvoiceId,
    customer: CustomerId,
    kind: RegistrationKind,
    now: Timestamp,
) -> DbResult<()> {
    sqlx::query(ATTACH_INVOICE_TO_CUSTOMER)
        .bind(customer.get())
        .bind(kind.as_str())
        .bind(now.millis())
        .bind(invoice.get())
        .execute(conn)
        .await?;
    Ok(())
}

pub const INSERT_INVOICE_ACCESS_TOKEN: &str =
    "INSERT INTO invoice_access_tokens (token_hash, invoice_id, customer_id, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5)";

pub async fn insert_invoice_access_token(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    invoice: InvoiceId,
    customer: CustomerId,
    now: Timestamp,
    expires_at: Timestamp,
) -> DbResult<()> {
    sqlx::query(INSERT_INVOICE_ACCESS_TOKEN)
    .bind(hash.as_str())
    .bind(invoice.get())
    .bind(customer.get())
    .bind(now.millis())
    .bind(expires_at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The invoice an access token opens, and until when.
pub async fn find_invoice_access_token(conn: &mut AnyConnection, hash: &TokenHash) -> DbResult<Option<(InvoiceId, Timestamp)>> {
    let row = sqlx::query("SELECT invoice_id, expires_at FROM invoice_access_tokens WHERE token_hash = $1")
        .bind(hash.as_str())
        .fetch_optional(conn)
        .await?;
    row.map(|row| Ok((stored_invoice_id(row.try_get("invoice_id")?)?, Timestamp::from_millis(row.try_get("expires_at")?))))
        .transpose()
}

pub async fn count_customer_invoices(conn: &mut AnyConnection, customer: CustomerId) -> DbResult<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM invoices WHERE customer_id = $1")
        .bind(customer.get())
        .fetch_one(conn)
        .await
}

/// A page of the customer's invoices, newest first.
pub async fn list_customer_invoices(conn: &mut AnyConnection, customer: CustomerId, limit: i64, offset: i64) -> DbResult<Vec<InvoiceSummary>> {
    let rows = sqlx::query(
        "SELECT id, invoice_number, currency, total_minor, issued_at, paid_at FROM invoices
         WHERE customer_id = $1 ORDER BY issued_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(customer.get())
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let currency: String = row.try_get("currency")?;
            Ok(InvoiceSummary {
                id: stored_invoice_id(row.try_get("id")?)?,
                number: row.try_get("invoice_number")?,
                currency: currency.parse().map_err(|_| decode_error(format_args!("currency {currency:?}")))?,
                total_minor: row.try_get("total_minor")?,
                issued_at: Timestamp::from_millis(row.try_get("issued_at")?),
                paid_at: row.try_get::<Option<i64>, _>("paid_at")?.map(Timestamp::from_millis),
            })
        })
        .collect()
}

/// How registration attached an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRegistration {
    pub customer_id: CustomerId,
    pub kind: RegistrationKind,
    pub registered_at: Timestamp,
}

pub async fn find_invoice_registration(conn: &mut AnyConnection, invoice: InvoiceId) -> DbResult<Option<InvoiceRegistration>> {
    let row = sqlx::query(
        "SELECT customer_id, registration_kind, registered_at FROM invoices
         WHERE id = $1 AND customer_id IS NOT NULL AND registration_kind IS NOT NULL AND registered_at IS NOT NULL",
    )
    .bind(invoice.get())
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(InvoiceRegistration {
            customer_id: CustomerId::from_row(row.try_get("customer_id")?),
            kind: RegistrationKind::from_stored(&row.try_get::<String, _>("registration_kind")?)
                .ok_or_else(|| decode_error(format_args!("registration kind of invoice {invoice}")))?,
            registered_at: Timestamp::from_millis(row.try_get("registered_at")?),
        })
    })
    .transpose()
}

/// An invoice id read from a row (ids are positive by construction).
pub(crate) fn stored_invoice_id(raw: i64) -> DbResult<InvoiceId> {
    InvoiceId::new(raw).map_err(|_| decode_error(format_args!("invoice id {raw}")))
}
