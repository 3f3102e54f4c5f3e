//! Basket sessions: the open basket a guest fills (its items and typed
//! details), its completion by a payment, and its one-time use to register.

use sqlx::{AnyConnection, Row};

use super::catalogue::product_from_row;
use super::invoices::stored_invoice_id;
use super::{decode_error, DbResult};
use crate::domain::locale::Locale;
use crate::domain::{EnteredDetails, InvoiceId, Product, Timestamp, TokenHash};

/// What the database knows about one basket session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasketSessionRow {
    pub invoice_id: Option<InvoiceId>,
    pub completed_at: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
    pub registration_used_at: Option<Timestamp>,
}

pub const FIND_BASKET_SESSION: &str = "SELECT invoice_id, completed_at, expires_at, registration_used_at
     FROM basket_sessions WHERE token_hash = $1";

pub async fn find_basket_session(conn: &mut AnyConnection, hash: &TokenHash) -> DbResult<Option<BasketSessionRow>> {
    let row = sqlx::query(FIND_BASKET_SESSION)
    .bind(hash.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(BasketSessionRow {
            invoice_id: row.try_get::<Option<i64>, _>("invoice_id")?.map(stored_invoice_id).transpose()?,
            completed_at: row.try_get::<Option<i64>, _>("completed_at")?.map(Timestamp::from_millis),
            expires_at: row.try_get::<Option<i64>, _>("expires_at")?.map(Timestamp::from_millis),
            registration_used_at: row.try_get::<Option<i64>, _>("registration_used_at")?.map(Timestamp::from_millis),
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

pub const CONSUME_BASKET_FOR_REGISTRATION: &str = "UPDATE basket_sessions SET registration_used_at = $1
     WHERE token_hash = $2 AND invoice_id = $3
       AND completed_at IS NOT NULL AND registration_used_at IS NULL AND expires_at > $1";

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
    let result = sqlx::query(CONSUME_BASKET_FOR_REGISTRATION)
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

/// A basket session that is still being filled (not paid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenBasket {
    pub id: i64,
    pub details: EnteredDetails,
}

/// What a basket cookie points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BasketState {
    Open(OpenBasket),
    /// Paid: the invoice it produced.
    Completed(InvoiceId),
}

pub const FIND_BASKET_STATE: &str =
    "SELECT id, invoice_id, completed_at, guest_name, guest_email, guest_address, guest_city, guest_postcode, guest_country
     FROM basket_sessions WHERE token_hash = $1";

pub async fn find_basket_state(conn: &mut AnyConnection, hash: &TokenHash) -> DbResult<Option<BasketState>> {
    let row = sqlx::query(FIND_BASKET_STATE).bind(hash.as_str()).fetch_optional(conn).await?;
    let Some(row) = row else { return Ok(None) };
    let completed: Option<i64> = row.try_get("completed_at")?;
    let invoice: Option<i64> = row.try_get("invoice_id")?;
    if let (Some(_), Some(invoice)) = (completed, invoice) {
        return Ok(Some(BasketState::Completed(stored_invoice_id(invoice)?)));
    }
    Ok(Some(BasketState::Open(OpenBasket {
        id: row.try_get("id")?,
        details: entered_details(|column| row.try_get::<Option<String>, _>(column))?,
    })))
}

/// The guest's details as `FIND_BASKET_STATE` reads them, each column
/// through `column` (a detail not entered yet is empty).
pub(super) fn entered_details<E>(column: impl Fn(&str) -> Result<Option<String>, E>) -> Result<EnteredDetails, E> {
    let text = |name: &str| Ok(column(name)?.unwrap_or_default());
    Ok(EnteredDetails {
        name: text("guest_name")?,
        email: text("guest_email")?,
        address: text("guest_address")?,
        city: text("guest_city")?,
        postcode: text("guest_postcode")?,
        country: text("guest_country")?,
    })
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

/// Adds `quantity` of a product, capped at the product's own maximum per
/// basket. Returns false when the product does not exist or is not for sale.
pub async fn add_basket_item(conn: &mut AnyConnection, basket_id: i64, product_id: i64, quantity: u32) -> DbResult<bool> {
    let result = sqlx::query(
        "INSERT INTO basket_items (basket_session_id, product_id, quantity)
         SELECT $1, id, CASE WHEN $3 > max_quantity THEN max_quantity ELSE $3 END
         FROM products WHERE id = $2 AND active = 1 AND archived_at IS NULL
         ON CONFLICT (basket_session_id, product_id) DO UPDATE SET quantity =
             CASE WHEN basket_items.quantity + excluded.quantity > (SELECT max_quantity FROM products WHERE id = $2)
                  THEN (SELECT max_quantity FROM products WHERE id = $2)
                  ELSE basket_items.quantity + excluded.quantity END",
    )
    .bind(basket_id)
    .bind(product_id)
    .bind(i64::from(quantity))
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The most of a product one basket may hold, if the product exists.
pub async fn product_max_quantity(conn: &mut AnyConnection, product_id: i64) -> DbResult<Option<u32>> {
    let max: Option<i64> =
        sqlx::query_scalar("SELECT max_quantity FROM products WHERE id = $1").bind(product_id).fetch_optional(conn).await?;
    max.map(super::catalogue::max_quantity).transpose()
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

/// The basket `$1`'s lines, its products named in the language `$2`.
pub const BASKET_LINES: &str = concat!(
    "SELECT i.quantity, ",
    super::catalogue::product_columns!("$2"),
    " JOIN basket_items i ON i.product_id = p.id WHERE i.basket_session_id = $1 ORDER BY p.position, p.id"
);

/// The basket's lines with their products as they are now (current prices,
/// and whether each is still for sale), in catalogue order.
pub async fn basket_lines(conn: &mut AnyConnection, basket_id: i64, locale: Locale) -> DbResult<Vec<(Product, u32)>> {
    let rows = sqlx::query(BASKET_LINES).bind(basket_id).bind(locale.tag()).fetch_all(conn).await?;
    rows.iter().map(|row| Ok((product_from_row(row)?, quantity(row.try_get("quantity")?)?))).collect()
}

/// A basket line's stored quantity.
pub(super) fn quantity(stored: i64) -> DbResult<u32> {
    u32::try_from(stored).map_err(|_| decode_error(format_args!("basket quantity {stored}")))
}

pub async fn save_guest_details(conn: &mut AnyConnection, basket_id: i64, details: &EnteredDetails) -> DbResult<()> {
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

/// The language the guest is paying in (`domain::locale`).
pub async fn set_locale(conn: &mut AnyConnection, basket_id: i64, locale: Locale) -> DbResult<()> {
    sqlx::query("UPDATE basket_sessions SET locale = $2 WHERE id = $1").bind(basket_id).bind(locale.tag()).execute(conn).await?;
    Ok(())
}

/// Marks a basket paid by `invoice`; false if it was already completed.
/// Completes an open basket with its invoice and gives it a new secret:
/// from now on `completion` (the hash of a GUID minted by the payment) is what
/// registers the purchase and finds this basket, and the cookie that filled
/// it finds nothing. `false` if the basket was completed already.
pub async fn complete_basket(
    conn: &mut AnyConnection,
    basket_id: i64,
    invoice: InvoiceId,
    completion: &TokenHash,
    now: Timestamp,
    expires_at: Timestamp,
) -> DbResult<bool> {
    let result = sqlx::query(
        "UPDATE basket_sessions SET invoice_id = $2, token_hash = $3, completed_at = $4, expires_at = $5
         WHERE id = $1 AND completed_at IS NULL",
    )
    .bind(basket_id)
    .bind(invoice.get())
    .bind(completion.as_str())
    .bind(now.millis())
    .bind(expires_at.millis())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Whether the basket is paid (completed by an invoice).
pub async fn is_basket_completed(conn: &mut AnyConnection, basket_id: i64) -> DbResult<bool> {
    let completed: Option<Option<i64>> = sqlx::query_scalar("SELECT completed_at FROM basket_sessions WHERE id = $1")
        .bind(basket_id)
        .fetch_optional(conn)
        .await?;
    Ok(completed.flatten().is_some())
}

/// Deletes baskets that never got details nor a payment, made before
/// `before`, with their items: a cookieless "add to basket" makes one per
/// request, and nothing else ever would. Returns how many baskets went.
pub async fn prune_abandoned(conn: &mut AnyConnection, before: Timestamp) -> DbResult<u64> {
    const ABANDONED: &str = "SELECT id FROM basket_sessions
         WHERE created_at < $1 AND completed_at IS NULL AND guest_email IS NULL
           AND NOT EXISTS (SELECT 1 FROM payment_attempts WHERE basket_session_id = basket_sessions.id)";
    sqlx::query(&format!("DELETE FROM basket_items WHERE basket_session_id IN ({ABANDONED})"))
        .bind(before.millis())
        .execute(&mut *conn)
        .await?;
    let baskets = sqlx::query(&format!("DELETE FROM basket_sessions WHERE id IN ({ABANDONED})"))
        .bind(before.millis())
        .execute(conn)
        .await?;
    Ok(baskets.rows_affected())
}
