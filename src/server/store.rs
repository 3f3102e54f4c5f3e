//! Every SQL statement the app runs, written once for both backends.
//!
//! Functions take `&mut AnyConnection` so callers decide the transaction
//! boundaries (a `Transaction` derefs to one).

use sqlx::{AnyConnection, Row};

pub mod accounts;
pub mod outbox;
pub mod rate_limits;

use crate::checkout::GuestDetails;
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

/// Marks a paid basket session of `invoice` as used, if it is not already,
/// whether or not it has expired: its purchase is being registered through
/// the mailbox (see `GuestAccess::email_sign_in_link`), so the link can no
/// longer register it in a browser. Written first, like
/// `consume_basket_for_registration`, so that of the two only one attaches
/// the invoice. `false` when no paid session of `invoice` has this hash.
pub async fn retire_basket_registration(conn: &mut AnyConnection, hash: &TokenHash, invoice: InvoiceId, now: Timestamp) -> DbResult<bool> {
    let result = sqlx::query(
        "UPDATE basket_sessions SET registration_used_at = COALESCE(registration_used_at, $1)
         WHERE token_hash = $2 AND invoice_id = $3 AND completed_at IS NOT NULL",
    )
    .bind(now.millis())
    .bind(hash.as_str())
    .bind(invoice.get())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
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

/// Creates the customer with portal access, or gives portal access to the
/// one that already has this normalised email (its first grant is kept).
/// The unique constraint decides races: a conflicting insert becomes a link.
/// A created customer may set a first password on the checkout-complete page
/// (see `store::accounts::set_inline_password`).
pub async fn create_or_link_customer(
    conn: &mut AnyConnection,
    full_name: &str,
    email: &Email,
    now: Timestamp,
) -> DbResult<CustomerLink> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO customers (full_name, email, email_normalized, created_at, portal_access_granted_at, inline_password_allowed)
         VALUES ($1, $2, $3, $4, $4, 1)
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
    let id: i64 = sqlx::query_scalar(
        "UPDATE customers SET portal_access_granted_at = COALESCE(portal_access_granted_at, $2)
         WHERE email_normalized = $1
         RETURNING id",
    )
    .bind(email.normalized())
    .bind(now.millis())
    .fetch_one(conn)
    .await?;
    Ok(CustomerLink::Linked(id))
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

/// What registration needs of an invoice: its bill-to contact and number.
#[derive(Debug, Clone)]
pub struct InvoiceContact {
    pub name: String,
    pub email: String,
    pub number: String,
}

pub async fn find_invoice_contact(conn: &mut AnyConnection, id: InvoiceId) -> DbResult<Option<InvoiceContact>> {
    let row = sqlx::query("SELECT bill_to_name, bill_to_email, invoice_number FROM invoices WHERE id = $1")
        .bind(id.get())
        .fetch_optional(conn)
        .await?;
    row.map(|row| Ok(InvoiceContact { name: row.try_get(0)?, email: row.try_get(1)?, number: row.try_get(2)? }))
        .transpose()
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

// ---------------------------------------------------------------- catalogue

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub unit_price_minor: i64,
    pub tax_rate: TaxRate,
}

fn product_from_row(row: &sqlx::any::AnyRow) -> DbResult<Product> {
    let rate: i64 = row.try_get("tax_rate_bp")?;
    Ok(Product {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        unit_price_minor: row.try_get("unit_price_minor")?,
        tax_rate: u32::try_from(rate)
            .ok()
            .and_then(|bp| TaxRate::from_basis_points(bp).ok())
            .ok_or_else(|| sqlx::Error::Decode(format!("product tax rate {rate} is invalid").into()))?,
    })
}

pub async fn list_products(conn: &mut AnyConnection) -> DbResult<Vec<Product>> {
    let rows = sqlx::query(
        "SELECT id, name, description, unit_price_minor, tax_rate_bp FROM products WHERE active = 1 ORDER BY position, id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter().map(product_from_row).collect()
}

// ---------------------------------------------------------------- open baskets

/// A basket session that is still being filled (not paid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenBasket {
    pub id: i64,
    pub details: GuestDetails,
}

/// What a basket cookie points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BasketState {
    Open(OpenBasket),
    /// Paid: the invoice it produced.
    Completed(InvoiceId),
}

pub async fn find_basket_state(conn: &mut AnyConnection, hash: &TokenHash) -> DbResult<Option<BasketState>> {
    let row = sqlx::query(
        "SELECT id, invoice_id, completed_at, guest_name, guest_email, guest_address, guest_city, guest_postcode, guest_country
         FROM basket_sessions WHERE token_hash = $1",
    )
    .bind(hash.as_str())
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let completed: Option<i64> = row.try_get("completed_at")?;
    let invoice: Option<i64> = row.try_get("invoice_id")?;
    if let (Some(_), Some(invoice)) = (completed, invoice) {
        let invoice = InvoiceId::new(invoice).map_err(|e| sqlx::Error::Decode(e.into()))?;
        return Ok(Some(BasketState::Completed(invoice)));
    }
    let text = |column: &str| -> DbResult<String> { Ok(row.try_get::<Option<String>, _>(column)?.unwrap_or_default()) };
    Ok(Some(BasketState::Open(OpenBasket {
        id: row.try_get("id")?,
        details: GuestDetails {
            name: text("guest_name")?,
            email: text("guest_email")?,
            address: text("guest_address")?,
            city: text("guest_city")?,
            postcode: text("guest_postcode")?,
            country: text("guest_country")?,
        },
    })))
}

pub async fn insert_open_basket(conn: &mut AnyConnection, hash: &TokenHash, now: Timestamp) -> DbResult<i64> {
    sqlx::query_scalar("INSERT INTO basket_sessions (token_hash, created_at) VALUES ($1, $2) RETURNING id")
        .bind(hash.as_str())
        .bind(now.millis())
        .fetch_one(conn)
        .await
}

/// Locks an unpaid basket for a change (the row lock on PostgreSQL, the write
/// lock on SQLite) and tells whether it is still unpaid. Every change to a
/// basket starts with this, so nothing slips in while it is being paid.
pub async fn lock_open_basket(conn: &mut AnyConnection, basket_id: i64) -> DbResult<bool> {
    let result = sqlx::query("UPDATE basket_sessions SET created_at = created_at WHERE id = $1 AND completed_at IS NULL")
        .bind(basket_id)
        .execute(conn)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Adds `quantity` of a product, capped at `max_quantity` per line.
/// Returns false when the product does not exist or is not for sale.
pub async fn add_basket_item(
    conn: &mut AnyConnection,
    basket_id: i64,
    product_id: i64,
    quantity: u32,
    max_quantity: u32,
) -> DbResult<bool> {
    let result = sqlx::query(
        "INSERT INTO basket_items (basket_session_id, product_id, quantity)
         SELECT $1, id, $3 FROM products WHERE id = $2 AND active = 1
         ON CONFLICT (basket_session_id, product_id) DO UPDATE SET quantity =
             CASE WHEN basket_items.quantity + excluded.quantity > $4 THEN $4
                  ELSE basket_items.quantity + excluded.quantity END",
    )
    .bind(basket_id)
    .bind(product_id)
    .bind(i64::from(quantity))
    .bind(i64::from(max_quantity))
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Sets a line's quantity (0 removes it). Returns false if the line did not exist.
pub async fn set_basket_item_quantity(conn: &mut AnyConnection, basket_id: i64, product_id: i64, quantity: u32) -> DbResult<bool> {
    let result = if quantity == 0 {
        sqlx::query("DELETE FROM basket_items WHERE basket_session_id = $1 AND product_id = $2")
            .bind(basket_id)
            .bind(product_id)
            .execute(conn)
            .await?
    } else {
        sqlx::query("UPDATE basket_items SET quantity = $3 WHERE basket_session_id = $1 AND product_id = $2")
            .bind(basket_id)
            .bind(product_id)
            .bind(i64::from(quantity))
            .execute(conn)
            .await?
    };
    Ok(result.rows_affected() == 1)
}

/// The basket's lines with their products' current prices, in catalogue order.
pub async fn basket_lines(conn: &mut AnyConnection, basket_id: i64) -> DbResult<Vec<(Product, u32)>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.description, p.unit_price_minor, p.tax_rate_bp, i.quantity
         FROM basket_items i JOIN products p ON p.id = i.product_id
         WHERE i.basket_session_id = $1 ORDER BY p.position, p.id",
    )
    .bind(basket_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let quantity: i64 = row.try_get("quantity")?;
            let quantity = u32::try_from(quantity).map_err(|e| sqlx::Error::Decode(e.into()))?;
            Ok((product_from_row(row)?, quantity))
        })
        .collect()
}

pub async fn save_guest_details(conn: &mut AnyConnection, basket_id: i64, details: &GuestDetails) -> DbResult<()> {
    sqlx::query(
        "UPDATE basket_sessions SET guest_name = $2, guest_email = $3, guest_address = $4, guest_city = $5,
             guest_postcode = $6, guest_country = $7
         WHERE id = $1 AND completed_at IS NULL",
    )
    .bind(basket_id)
    .bind(&details.name)
    .bind(&details.email)
    .bind(&details.address)
    .bind(&details.city)
    .bind(&details.postcode)
    .bind(&details.country)
    .execute(conn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- payments

/// Claims an unpaid basket for one charge. A claim older than `stale_before`
/// is abandoned (a crashed instance) and may be taken over.
pub async fn claim_basket_for_payment(conn: &mut AnyConnection, basket_id: i64, now: Timestamp, stale_before: Timestamp) -> DbResult<bool> {
    let result = sqlx::query(
        "UPDATE basket_sessions SET payment_started_at = $2
         WHERE id = $1 AND completed_at IS NULL AND (payment_started_at IS NULL OR payment_started_at < $3)",
    )
    .bind(basket_id)
    .bind(now.millis())
    .bind(stale_before.millis())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn release_payment_claim(conn: &mut AnyConnection, basket_id: i64) -> DbResult<()> {
    sqlx::query("UPDATE basket_sessions SET payment_started_at = NULL WHERE id = $1")
        .bind(basket_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A recorded payment attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentAttemptRow {
    pub basket_session_id: i64,
    pub status: String,
    pub decline_reason: Option<String>,
    pub invoice_id: Option<i64>,
}

/// Records a new attempt under `key`; `None` if the key was used before.
pub async fn insert_payment_attempt(
    conn: &mut AnyConnection,
    basket_id: i64,
    key: &str,
    amount_minor: i64,
    currency: Currency,
    now: Timestamp,
) -> DbResult<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO payment_attempts (basket_session_id, idempotency_key, amount_minor, currency, status, created_at)
         VALUES ($1, $2, $3, $4, 'processing', $5)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id",
    )
    .bind(basket_id)
    .bind(key)
    .bind(amount_minor)
    .bind(currency.code())
    .bind(now.millis())
    .fetch_optional(conn)
    .await
}

pub async fn find_payment_attempt(conn: &mut AnyConnection, key: &str) -> DbResult<Option<PaymentAttemptRow>> {
    let row = sqlx::query("SELECT basket_session_id, status, decline_reason, invoice_id FROM payment_attempts WHERE idempotency_key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        Ok(PaymentAttemptRow {
            basket_session_id: row.try_get(0)?,
            status: row.try_get(1)?,
            decline_reason: row.try_get(2)?,
            invoice_id: row.try_get(3)?,
        })
    })
    .transpose()
}

pub async fn finish_payment_attempt(
    conn: &mut AnyConnection,
    attempt_id: i64,
    status: &str,
    decline_reason: Option<&str>,
    gateway_reference: Option<&str>,
    card: Option<(&str, &str)>,
    invoice: Option<InvoiceId>,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE payment_attempts SET status = $2, decline_reason = $3, gateway_reference = $4,
             card_brand = $5, card_last4 = $6, invoice_id = $7
         WHERE id = $1",
    )
    .bind(attempt_id)
    .bind(status)
    .bind(decline_reason)
    .bind(gateway_reference)
    .bind(card.map(|(brand, _)| brand))
    .bind(card.map(|(_, last4)| last4))
    .bind(invoice.map(InvoiceId::get))
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a basket paid by `invoice`; false if it was already completed.
pub async fn complete_basket(
    conn: &mut AnyConnection,
    basket_id: i64,
    invoice: InvoiceId,
    now: Timestamp,
    expires_at: Timestamp,
) -> DbResult<bool> {
    let result = sqlx::query(
        "UPDATE basket_sessions SET invoice_id = $2, completed_at = $3, expires_at = $4, payment_started_at = NULL
         WHERE id = $1 AND completed_at IS NULL",
    )
    .bind(basket_id)
    .bind(invoice.get())
    .bind(now.millis())
    .bind(expires_at.millis())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}
