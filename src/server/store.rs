//! Every SQL statement the app runs, written once for both backends.
//!
//! Functions take `&mut AnyConnection` so callers decide the transaction
//! boundaries (a `Transaction` derefs to one).

use sqlx::{AnyConnection, Row};

use crate::domain::{Currency, Email, InvoiceId, TaxRate, Timestamp, TokenHash};

pub type DbResult<T> = Result<T, sqlx::Error>;

// ---------------------------------------------------------------- basket sessions

/// What the database knows about one basket session.
#[derive(Debug, Clone)]
pub struct BasketSessionRow {
    pub invoice_id: Option<i64>,
    pub completed_at: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
    pub registration_used_at: Option<Timestamp>,
}

pub async fn find_basket_session(conn: &mut AnyConnection, hash: &TokenHash) -> DbResult<Option<BasketSessionRow>> {
    let row = sqlx::query(
        "SELECT invoice_id, completed_at, expires_at, registration_used_at
         FROM basket_sessions WHERE token_hash = $1",
    )
    .bind(hash.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(BasketSessionRow {
            invoice_id: row.try_get(0)?,
            completed_at: row.try_get::<Option<i64>, _>(1)?.map(Timestamp::from_millis),
            expires_at: row.try_get::<Option<i64>, _>(2)?.map(Timestamp::from_millis),
            registration_used_at: row.try_get::<Option<i64>, _>(3)?.map(Timestamp::from_millis),
        })
    })
    .transpose()
}

/// Marks a paid, unexpired, unused basket session of `invoice` as used for
/// registration. A single conditional UPDATE, so of any number of concurrent
/// callers exactly one sees `true` (on PostgreSQL the row lock makes the others
/// re-check the condition after the winner commits; SQLite serialises writers).
pub async fn consume_basket_for_registration(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    invoice: InvoiceId,
    now: Timestamp,
) -> DbResult<bool> {
    let result = sqlx::query(
        "UPDATE basket_sessions SET registration_used_at = $1
         WHERE token_hash = $2 AND invoice_id = $3
           AND completed_at IS NOT NULL AND registration_used_at IS NULL AND expires_at > $1",
    )
    .bind(now.millis())
    .bind(hash.as_str())
    .bind(invoice.get())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn insert_completed_basket_session(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    invoice: InvoiceId,
    created_at: Timestamp,
    completed_at: Timestamp,
    expires_at: Timestamp,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO basket_sessions (token_hash, invoice_id, created_at, completed_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash.as_str())
    .bind(invoice.get())
    .bind(created_at.millis())
    .bind(completed_at.millis())
    .bind(expires_at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- customers

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerLink {
    Created(i64),
    Linked(i64),
}

impl CustomerLink {
    pub fn id(self) -> i64 {
        match self {
            Self::Created(id) | Self::Linked(id) => id,
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Self::Created(_) => "created",
            Self::Linked(_) => "linked",
        }
    }
}

/// Creates the customer, or finds the one that already has this normalised
/// email. The unique constraint decides races: a conflicting insert becomes a link.
pub async fn create_or_link_customer(
    conn: &mut AnyConnection,
    full_name: &str,
    email: &Email,
    now: Timestamp,
) -> DbResult<CustomerLink> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO customers (full_name, email, email_normalized, created_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (email_normalized) DO NOTHING
         RETURNING id",
    )
    .bind(full_name)
    .bind(email.as_str())
    .bind(email.normalized())
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = inserted {
        return Ok(CustomerLink::Created(id));
    }
    let id: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE email_normalized = $1")
        .bind(email.normalized())
        .fetch_one(conn)
        .await?;
    Ok(CustomerLink::Linked(id))
}

/// Records that the customer may use the portal; the first grant is kept.
pub async fn grant_portal_access(conn: &mut AnyConnection, customer_id: i64, now: Timestamp) -> DbResult<()> {
    sqlx::query(
        "UPDATE customers SET portal_access_granted_at = $1
         WHERE id = $2 AND portal_access_granted_at IS NULL",
    )
    .bind(now.millis())
    .bind(customer_id)
    .execute(conn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- invoices

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillTo {
    pub name: String,
    pub email: Email,
    pub address: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: u32,
    pub unit_price_minor: i64,
    pub tax_rate: TaxRate,
    pub net_minor: i64,
    pub tax_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub id: InvoiceId,
    pub number: String,
    pub customer_id: Option<i64>,
    pub bill_to: BillTo,
    pub currency: Currency,
    pub subtotal_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub issued_at: Timestamp,
    pub paid_at: Option<Timestamp>,
    pub lines: Vec<InvoiceLine>,
}

/// Formats the human invoice number: `INV-000123`.
pub fn invoice_number(sequence: i64) -> String {
    format!("INV-{sequence:06}")
}

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
             issued_at, paid_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
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
                issued_at, paid_at
         FROM invoices WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let corrupt = |what: &str| sqlx::Error::Decode(format!("invoice {id}: stored {what} is invalid").into());
    let email: String = row.try_get(3)?;
    let currency: String = row.try_get(8)?;
    let mut invoice = Invoice {
        id,
        number: row.try_get(0)?,
        customer_id: row.try_get(1)?,
        bill_to: BillTo {
            name: row.try_get(2)?,
            email: email.parse().map_err(|_| corrupt("email"))?,
            address: row.try_get(4)?,
            city: row.try_get(5)?,
            postcode: row.try_get(6)?,
            country: row.try_get(7)?,
        },
        currency: currency.parse().map_err(|_| corrupt("currency"))?,
        subtotal_minor: row.try_get(9)?,
        tax_minor: row.try_get(10)?,
        total_minor: row.try_get(11)?,
        issued_at: Timestamp::from_millis(row.try_get(12)?),
        paid_at: row.try_get::<Option<i64>, _>(13)?.map(Timestamp::from_millis),
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
        let quantity: i64 = line.try_get(1)?;
        let rate: i64 = line.try_get(3)?;
        invoice.lines.push(InvoiceLine {
            description: line.try_get(0)?,
            quantity: u32::try_from(quantity).map_err(|_| corrupt("quantity"))?,
            unit_price_minor: line.try_get(2)?,
            tax_rate: u32::try_from(rate)
                .ok()
                .and_then(|bp| TaxRate::from_basis_points(bp).ok())
                .ok_or_else(|| corrupt("tax rate"))?,
            net_minor: line.try_get(4)?,
            tax_minor: line.try_get(5)?,
        });
    }
    Ok(Some(invoice))
}

/// The bill-to name and email of an invoice: what registration needs.
pub async fn find_invoice_bill_to_contact(conn: &mut AnyConnection, id: InvoiceId) -> DbResult<Option<(String, String)>> {
    let row = sqlx::query("SELECT bill_to_name, bill_to_email FROM invoices WHERE id = $1")
        .bind(id.get())
        .fetch_optional(conn)
        .await?;
    row.map(|row| Ok((row.try_get(0)?, row.try_get(1)?))).transpose()
}

pub async fn attach_invoice_to_customer(
    conn: &mut AnyConnection,
    invoice: InvoiceId,
    link: CustomerLink,
    now: Timestamp,
) -> DbResult<()> {
    sqlx::query("UPDATE invoices SET customer_id = $1, registration_kind = $2, registered_at = $3 WHERE id = $4")
        .bind(link.id())
        .bind(link.kind())
        .bind(now.millis())
        .bind(invoice.get())
        .execute(conn)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- invoice access tokens

pub async fn insert_invoice_access_token(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    invoice: InvoiceId,
    customer_id: i64,
    now: Timestamp,
    expires_at: Timestamp,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO invoice_access_tokens (token_hash, invoice_id, customer_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash.as_str())
    .bind(invoice.get())
    .bind(customer_id)
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
    row.map(|row| {
        let invoice: i64 = row.try_get(0)?;
        let invoice = InvoiceId::new(invoice).map_err(|e| sqlx::Error::Decode(e.into()))?;
        Ok((invoice, Timestamp::from_millis(row.try_get(1)?)))
    })
    .transpose()
}
