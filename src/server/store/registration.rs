//! The statements of one registration (registerByToken), behind one trait so
//! that the registration is written once (`GuestAccess::register_in`) and
//! runs on either of two connections:
//!
//! - `AnyConnection`, the portable reference: the store functions every
//!   other caller uses, one round trip each;
//! - `&rusqlite::Connection`, the SQLite fast path: the same SQL text (the
//!   store modules' constants) run on the writer thread that owns the
//!   connection (`server::sqlite_writer`), with no hop per statement;
//! - `FusedPostgres`, the PostgreSQL fast path: the same statements,
//!   combined into fewer round trips.
//!
//! tests/it/registration_paths.rs checks that they leave the same rows.

use std::sync::LazyLock;

use rusqlite::types::ToSql;
use rusqlite::CachedStatement;
use sqlx::AnyConnection;

use super::accounts::{self, purpose_str};
use super::baskets::{self, BasketSessionRow};
use super::customers::{self, CustomerLink, CustomerRow};
use super::invoices::{self, stored_invoice_id, InvoiceContact};
use super::outbox::{self, OutgoingEmail};
use crate::api::portal::LinkPurpose;
use crate::domain::locale::Locale;
use crate::domain::{CustomerId, Email, InvoiceId, RegistrationKind, Timestamp, TokenHash};

/// What a registration reads and writes. The methods are async for the
/// portable connection; the SQLite ones complete without waiting.
#[allow(async_fn_in_trait)] // only ever called with a concrete connection
pub trait RegistrationStore {
    type Error: std::fmt::Display;

    async fn consume_basket_for_registration(&mut self, hash: &TokenHash, invoice: InvoiceId, now: Timestamp) -> Result<bool, Self::Error>;
    async fn find_basket_session(&mut self, hash: &TokenHash) -> Result<Option<BasketSessionRow>, Self::Error>;
    async fn find_invoice_contact(&mut self, invoice: InvoiceId) -> Result<Option<InvoiceContact>, Self::Error>;
    /// A customer created here speaks `locale` (the invoice's).
    async fn create_or_link_customer(&mut self, full_name: &str, email: &Email, locale: Locale, now: Timestamp) -> Result<CustomerLink, Self::Error>;
    async fn attach_invoice_to_customer(
        &mut self,
        invoice: InvoiceId,
        customer: CustomerId,
        kind: RegistrationKind,
        now: Timestamp,
    ) -> Result<(), Self::Error>;
    async fn insert_invoice_access_token(
        &mut self,
        hash: &TokenHash,
        invoice: InvoiceId,
        customer: CustomerId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), Self::Error>;
    async fn insert_account_link(
        &mut self,
        hash: &TokenHash,
        customer: CustomerId,
        purpose: LinkPurpose,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), Self::Error>;
    async fn find_customer(&mut self, id: CustomerId) -> Result<Option<CustomerRow>, Self::Error>;
    async fn close_inline_password(&mut self, customer: CustomerId, now: Timestamp) -> Result<bool, Self::Error>;
    async fn enqueue(&mut self, email: &OutgoingEmail, now: Timestamp) -> Result<i64, Self::Error>;
}

impl RegistrationStore for AnyConnection {
    type Error = sqlx::Error;

    async fn consume_basket_for_registration(&mut self, hash: &TokenHash, invoice: InvoiceId, now: Timestamp) -> Result<bool, sqlx::Error> {
        baskets::consume_basket_for_registration(self, hash, invoice, now).await
    }

    async fn find_basket_session(&mut self, hash: &TokenHash) -> Result<Option<BasketSessionRow>, sqlx::Error> {
        baskets::find_basket_session(self, hash).await
    }

    async fn find_invoice_contact(&mut self, invoice: InvoiceId) -> Result<Option<InvoiceContact>, sqlx::Error> {
        invoices::find_invoice_contact(self, invoice).await
    }

    async fn create_or_link_customer(&mut self, full_name: &str, email: &Email, locale: Locale, now: Timestamp) -> Result<CustomerLink, sqlx::Error> {
        customers::create_or_link_customer(self, full_name, email, locale, now).await
    }

    async fn attach_invoice_to_customer(
        &mut self,
        invoice: InvoiceId,
        customer: CustomerId,
        kind: RegistrationKind,
        now: Timestamp,
    ) -> Result<(), sqlx::Error> {
        invoices::attach_invoice_to_customer(self, invoice, customer, kind, now).await
    }

    async fn insert_invoice_access_token(
        &mut self,
        hash: &TokenHash,
        invoice: InvoiceId,
        customer: CustomerId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), sqlx::Error> {
        invoices::insert_invoice_access_token(self, hash, invoice, customer, now, expires_at).await
    }

    async fn insert_account_link(
        &mut self,
        hash: &TokenHash,
        customer: CustomerId,
        purpose: LinkPurpose,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), sqlx::Error> {
        accounts::insert_account_link(self, hash, customer, purpose, now, expires_at).await
    }

    async fn find_customer(&mut self, id: CustomerId) -> Result<Option<CustomerRow>, sqlx::Error> {
        customers::find_customer(self, id).await
    }

    async fn close_inline_password(&mut self, customer: CustomerId, now: Timestamp) -> Result<bool, sqlx::Error> {
        customers::close_inline_password(self, customer, now).await
    }

    async fn enqueue(&mut self, email: &OutgoingEmail, now: Timestamp) -> Result<i64, sqlx::Error> {
        outbox::enqueue(self, email, now).await
    }
}

/// The parameter names of the shared SQL, which numbers them `$1`, `$2`, …
const PARAMETERS: [&str; 8] = ["$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8"];

/// Prepares (once per connection) one of the shared statements and binds
/// `values` to its `$1`, `$2`, … by name, wherever in the text they appear.
pub(super) fn bound<'c>(conn: &'c rusqlite::Connection, sql: &str, values: &[&dyn ToSql]) -> rusqlite::Result<CachedStatement<'c>> {
    let mut statement = conn.prepare_cached(sql)?;
    if values.len() > PARAMETERS.len() || values.len() != statement.parameter_count() {
        return Err(rusqlite::Error::InvalidParameterCount(values.len(), statement.parameter_count()));
    }
    for (name, value) in PARAMETERS.iter().zip(values) {
        let index = statement.parameter_index(name)?.ok_or_else(|| rusqlite::Error::InvalidParameterName((*name).into()))?;
        statement.raw_bind_parameter(index, value)?;
    }
    Ok(statement)
}

fn execute(conn: &rusqlite::Connection, sql: &str, values: &[&dyn ToSql]) -> rusqlite::Result<usize> {
    bound(conn, sql, values)?.raw_execute()
}

/// The first row's answer of `read`, if there is a row.
pub(super) fn first_row<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    values: &[&dyn ToSql],
    read: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Option<T>> {
    let mut statement = bound(conn, sql, values)?;
    let mut rows = statement.raw_query();
    rows.next()?.map(read).transpose()
}

/// Every row's answer of `read`, in the statement's order.
pub(super) fn all_rows<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    values: &[&dyn ToSql],
    mut read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut statement = bound(conn, sql, values)?;
    let mut rows = statement.raw_query();
    let mut answers = Vec::new();
    while let Some(row) = rows.next()? {
        answers.push(read(row)?);
    }
    Ok(answers)
}

/// A stored value that does not parse, as `store::decode_error` says it.
pub(super) fn corrupt(error: sqlx::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(error.to_string().into())
}

impl RegistrationStore for &rusqlite::Connection {
    type Error = rusqlite::Error;

    async fn consume_basket_for_registration(&mut self, hash: &TokenHash, invoice: InvoiceId, now: Timestamp) -> rusqlite::Result<bool> {
        let changed = execute(self, baskets::CONSUME_BASKET_FOR_REGISTRATION, &[&now.millis(), &hash.as_str(), &invoice.get()])?;
        Ok(changed == 1)
    }

    async fn find_basket_session(&mut self, hash: &TokenHash) -> rusqlite::Result<Option<BasketSessionRow>> {
        let row = first_row(self, baskets::FIND_BASKET_SESSION, &[&hash.as_str()], |row| {
            Ok((
                row.get::<_, Option<i64>>("invoice_id")?,
                row.get::<_, Option<i64>>("completed_at")?,
                row.get::<_, Option<i64>>("expires_at")?,
                row.get::<_, Option<i64>>("registration_used_at")?,
            ))
        })?;
        row.map(|(invoice_id, completed_at, expires_at, registration_used_at)| {
            Ok(BasketSessionRow {
                invoice_id: invoice_id.map(stored_invoice_id).transpose().map_err(corrupt)?,
                completed_at: completed_at.map(Timestamp::from_millis),
                expires_at: expires_at.map(Timestamp::from_millis),
                registration_used_at: registration_used_at.map(Timestamp::from_millis),
            })
        })
        .transpose()
    }

    async fn find_invoice_contact(&mut self, invoice: InvoiceId) -> rusqlite::Result<Option<InvoiceContact>> {
        first_row(self, invoices::FIND_INVOICE_CONTACT, &[&invoice.get()], |row| {
            Ok(InvoiceContact {
                name: row.get("bill_to_name")?,
                email: row.get("bill_to_email")?,
                number: row.get("invoice_number")?,
                locale: Locale::from_stored(&row.get::<_, String>("locale")?),
            })
        })
    }

    async fn create_or_link_customer(&mut self, full_name: &str, email: &Email, locale: Locale, now: Timestamp) -> rusqlite::Result<CustomerLink> {
        let values: [&dyn ToSql; 5] = [&full_name, &email.as_str(), &email.normalized(), &now.millis(), &locale.tag()];
        if let Some(id) = first_row(self, customers::INSERT_CUSTOMER, &values, |row| row.get::<_, i64>("id"))? {
            return Ok(CustomerLink { id: CustomerId::from_row(id), kind: RegistrationKind::Created });
        }
        let id = first_row(self, customers::LINK_CUSTOMER, &[&email.normalized(), &now.millis()], |row| row.get::<_, i64>("id"))?
            .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        Ok(CustomerLink { id: CustomerId::from_row(id), kind: RegistrationKind::Linked })
    }

    async fn attach_invoice_to_customer(
        &mut self,
        invoice: InvoiceId,
        customer: CustomerId,
        kind: RegistrationKind,
        now: Timestamp,
    ) -> rusqlite::Result<()> {
        let values: [&dyn ToSql; 4] = [&customer.get(), &kind.as_str(), &now.millis(), &invoice.get()];
        execute(self, invoices::ATTACH_INVOICE_TO_CUSTOMER, &values).map(drop)
    }

    async fn insert_invoice_access_token(
        &mut self,
        hash: &TokenHash,
        invoice: InvoiceId,
        customer: CustomerId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> rusqlite::Result<()> {
        let values: [&dyn ToSql; 5] = [&hash.as_str(), &invoice.get(), &customer.get(), &now.millis(), &expires_at.millis()];
        execute(self, invoices::INSERT_INVOICE_ACCESS_TOKEN, &values).map(drop)
    }

    async fn insert_account_link(
        &mut self,
        hash: &TokenHash,
        customer: CustomerId,
        purpose: LinkPurpose,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> rusqlite::Result<()> {
        let values: [&dyn ToSql; 5] = [&hash.as_str(), &customer.get(), &purpose_str(purpose), &now.millis(), &expires_at.millis()];
        execute(self, accounts::INSERT_ACCOUNT_LINK, &values).map(drop)
    }

    async fn find_customer(&mut self, id: CustomerId) -> rusqlite::Result<Option<CustomerRow>> {
        first_row(self, customers::FIND_CUSTOMER, &[&id.get()], |row| {
            Ok(CustomerRow {
                id: CustomerId::from_row(row.get("id")?),
                full_name: row.get("full_name")?,
                email: row.get("email")?,
                password_hash: row.get("password_hash")?,
                locale: Locale::from_stored(&row.get::<_, String>("locale")?),
            })
        })
    }

    async fn close_inline_password(&mut self, customer: CustomerId, now: Timestamp) -> rusqlite::Result<bool> {
        let cleared = execute(self, customers::CLEAR_UNCONFIRMED_PASSWORD, &[&customer.get()])? == 1;
        execute(self, customers::CLOSE_INLINE_PASSWORD, &[&customer.get()])?;
        if cleared {
            execute(self, accounts::REVOKE_ALL_SESSIONS, &[&now.millis(), &customer.get()])?;
            execute(self, accounts::FORGET_DEVICES, &[&customer.get()])?;
        }
        Ok(cleared)
    }

    async fn enqueue(&mut self, email: &OutgoingEmail, now: Timestamp) -> rusqlite::Result<i64> {
        let attachment = email.attachment.map(InvoiceId::get);
        let values: [&dyn ToSql; 6] = [&email.to, &email.subject, &email.text, &email.html, &now.millis(), &attachment];
        first_row(self, outbox::ENQUEUE, &values, |row| row.get::<_, i64>("id"))?.ok_or(rusqlite::Error::QueryReturnedNoRows)
    }
}

/// PostgreSQL's fast path: the same statements, fewer round trips. Each
/// statement is a round trip and a backend wake-up, and PostgreSQL's CPU
/// per statement is what limits registration there (BENCHMARKS.md), so:
///
/// - consuming the token also reads the invoice's contact (one statement);
/// - creating or linking the customer is one upsert that says which it did;
/// - the writes nothing reads back (attaching the invoice, the access
///   token, the account link) wait and go out as parts of the statement
///   that queues the email, as data-modifying `WITH` clauses built from the
///   store's own statements.
///
/// A created customer's registration is then five round trips (begin, three
/// statements, commit) instead of nine; `register_new_customer` does it in
/// four (begin, two statements, commit) when the email is new, so this path
/// serves links and tokens that do not register. `flush` must run before
/// the commit.
pub struct FusedPostgres<'c> {
    conn: &'c mut AnyConnection,
    /// What consuming the token read of its invoice.
    contact: Option<(InvoiceId, InvoiceContact)>,
    pending: Vec<PendingWrite>,
}

/// A write held back until the next statement that can carry it.
enum PendingWrite {
    Attach { invoice: InvoiceId, customer: CustomerId, kind: RegistrationKind, now: Timestamp },
    AccessToken { hash: TokenHash, invoice: InvoiceId, customer: CustomerId, now: Timestamp, expires_at: Timestamp },
    Link { hash: TokenHash, customer: CustomerId, purpose: LinkPurpose, now: Timestamp, expires_at: Timestamp },
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

impl PendingWrite {
    /// Its statement, and how many parameters that has.
    fn sql(&self) -> (&'static str, usize) {
        let sql = match self {
            Self::Attach { .. } => invoices::ATTACH_INVOICE_TO_CUSTOMER,
            Self::AccessToken { .. } => invoices::INSERT_INVOICE_ACCESS_TOKEN,
            Self::Link { .. } => accounts::INSERT_ACCOUNT_LINK,
        };
        (sql, highest_parameter(sql))
    }

    /// Binds its values in the order of its statement's `$1`, `$2`, …
    fn bind<'q>(&self, query: AnyQuery<'q>) -> AnyQuery<'q> {
        match self {
            Self::Attach { invoice, customer, kind, now } => {
                query.bind(customer.get()).bind(kind.as_str()).bind(now.millis()).bind(invoice.get())
            }
            Self::AccessToken { hash, invoice, customer, now, expires_at } => query
                .bind(hash.as_str().to_owned())
                .bind(invoice.get())
                .bind(customer.get())
                .bind(now.millis())
                .bind(expires_at.millis()),
            Self::Link { hash, customer, purpose, now, expires_at } => query
                .bind(hash.as_str().to_owned())
                .bind(customer.get())
                .bind(purpose_str(*purpose))
                .bind(now.millis())
                .bind(expires_at.millis()),
        }
    }
}

/// The highest `$n` in `sql`.
fn highest_parameter(sql: &str) -> usize {
    sql.split('$').skip(1).filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()).max().unwrap_or(0)
}

/// `sql` with every `$n` renumbered to `$(n + offset)`, so that statements
/// written on their own can be parts of one.
fn renumbered(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut digits = String::new();
        while let Some((_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        if let Ok(n) = digits.parse::<usize>() {
            out.push_str(&(n + offset).to_string());
        } else {
            out.push_str(&digits);
        }
    }
    out
}

/// Consumes the token (`CONSUME_BASKET_FOR_REGISTRATION`) and reads its
/// invoice's contact in the same statement; no row when not consumed.
static CONSUME_AND_READ_CONTACT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH consumed AS ({} RETURNING invoice_id)
         SELECT i.bill_to_name, i.bill_to_email, i.invoice_number, i.locale FROM consumed c JOIN invoices i ON i.id = c.invoice_id",
        baskets::CONSUME_BASKET_FOR_REGISTRATION
    )
});

/// `INSERT_CUSTOMER` whose conflict links instead (as `LINK_CUSTOMER`
/// does), in one statement; `created` tells which happened (a row a
/// conflict updated has a locking transaction in `xmax`).
static UPSERT_CUSTOMER: LazyLock<String> = LazyLock::new(|| {
    customers::INSERT_CUSTOMER
        .replace(
            "DO NOTHING",
            "DO UPDATE SET portal_access_granted_at = COALESCE(customers.portal_access_granted_at, excluded.portal_access_granted_at)",
        )
        .replace("RETURNING id", "RETURNING id, xmax = 0 AS created")
});

impl<'c> FusedPostgres<'c> {
    pub fn new(conn: &'c mut AnyConnection) -> Self {
        Self { conn, contact: None, pending: Vec::new() }
    }

    /// Sends the writes still held back (normally none: the email carries them).
    pub async fn flush(&mut self) -> Result<(), sqlx::Error> {
        for write in std::mem::take(&mut self.pending) {
            write.bind(sqlx::query(write.sql().0)).execute(&mut *self.conn).await?;
        }
        Ok(())
    }
}

impl RegistrationStore for FusedPostgres<'_> {
    type Error = sqlx::Error;

    async fn consume_basket_for_registration(&mut self, hash: &TokenHash, invoice: InvoiceId, now: Timestamp) -> Result<bool, sqlx::Error> {
        let row = sqlx::query(CONSUME_AND_READ_CONTACT.as_str())
            .bind(now.millis())
            .bind(hash.as_str())
            .bind(invoice.get())
            .fetch_optional(&mut *self.conn)
            .await?;
        let Some(row) = row else { return Ok(false) };
        self.contact = Some((invoice, invoices::contact_from_row(&row)?));
        Ok(true)
    }

    async fn find_basket_session(&mut self, hash: &TokenHash) -> Result<Option<BasketSessionRow>, sqlx::Error> {
        baskets::find_basket_session(self.conn, hash).await
    }

    async fn find_invoice_contact(&mut self, invoice: InvoiceId) -> Result<Option<InvoiceContact>, sqlx::Error> {
        match self.contact.take() {
            Some((read, contact)) if read == invoice => Ok(Some(contact)),
            _ => invoices::find_invoice_contact(self.conn, invoice).await,
        }
    }

    async fn create_or_link_customer(&mut self, full_name: &str, email: &Email, locale: Locale, now: Timestamp) -> Result<CustomerLink, sqlx::Error> {
        use sqlx::Row;
        let row = sqlx::query(UPSERT_CUSTOMER.as_str())
            .bind(full_name)
            .bind(email.as_str())
            .bind(email.normalized())
            .bind(now.millis())
            .bind(locale.tag())
            .fetch_one(&mut *self.conn)
            .await?;
        let kind = if row.try_get::<bool, _>("created")? { RegistrationKind::Created } else { RegistrationKind::Linked };
        Ok(CustomerLink { id: CustomerId::from_row(row.try_get("id")?), kind })
    }

    async fn attach_invoice_to_customer(
        &mut self,
        invoice: InvoiceId,
        customer: CustomerId,
        kind: RegistrationKind,
        now: Timestamp,
    ) -> Result<(), sqlx::Error> {
        self.pending.push(PendingWrite::Attach { invoice, customer, kind, now });
        Ok(())
    }

    async fn insert_invoice_access_token(
        &mut self,
        hash: &TokenHash,
        invoice: InvoiceId,
        customer: CustomerId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), sqlx::Error> {
        self.pending.push(PendingWrite::AccessToken { hash: hash.clone(), invoice, customer, now, expires_at });
        Ok(())
    }

    async fn insert_account_link(
        &mut self,
        hash: &TokenHash,
        customer: CustomerId,
        purpose: LinkPurpose,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), sqlx::Error> {
        self.pending.push(PendingWrite::Link { hash: hash.clone(), customer, purpose, now, expires_at });
        Ok(())
    }

    async fn find_customer(&mut self, id: CustomerId) -> Result<Option<CustomerRow>, sqlx::Error> {
        // The held-back writes touch no customer row.
        customers::find_customer(self.conn, id).await
    }

    async fn close_inline_password(&mut self, customer: CustomerId, now: Timestamp) -> Result<bool, sqlx::Error> {
        customers::close_inline_password(self.conn, customer, now).await
    }

    async fn enqueue(&mut self, email: &OutgoingEmail, now: Timestamp) -> Result<i64, sqlx::Error> {
        let pending = std::mem::take(&mut self.pending);
        let mut sql = String::new();
        let mut offset = 0;
        for (n, write) in pending.iter().enumerate() {
            let (part, parameters) = write.sql();
            sql.push_str(if n == 0 { "WITH " } else { ", " });
            sql.push_str(&format!("w{n} AS ({})", renumbered(part, offset)));
            offset += parameters;
        }
        sql.push(' ');
        sql.push_str(&renumbered(outbox::ENQUEUE, offset));
        let mut query = sqlx::query(&sql);
        for write in &pending {
            query = write.bind(query);
        }
        query
            .bind(email.to.as_str())
            .bind(email.subject.as_str())
            .bind(email.text.as_str())
            .bind(email.html.as_str())
            .bind(now.millis())
            .bind(email.attachment.map(InvoiceId::get))
            .fetch_one(&mut *self.conn)
            .await
            .and_then(|row| sqlx::Row::try_get(&row, "id"))
    }
}

/// A new customer's whole registration, everything computed beforehand:
/// `register_new_customer` writes it in one statement.
pub struct NewCustomerRegistration<'a> {
    pub basket: &'a TokenHash,
    pub invoice: InvoiceId,
    pub now: Timestamp,
    pub full_name: &'a str,
    pub email: &'a Email,
    pub access_token: &'a TokenHash,
    pub access_token_expires_at: Timestamp,
    pub set_password_link: &'a TokenHash,
    pub set_password_link_expires_at: Timestamp,
    pub welcome: &'a OutgoingEmail,
}

/// The registration of a customer whose email is new, as one statement
/// (PostgreSQL): consume the token, insert the customer, attach the
/// invoice, insert the access token and the set-password link, queue the
/// welcome email. Each part writes what the portable path's statement of
/// that name writes (tests/it/registration_paths.rs compares the rows).
///
/// Run in a transaction, so that a request abandoned meanwhile (a client
/// gone, a timeout) is rolled back like any other. It only ever does all
/// or nothing. The token is consumed only while no
/// customer has the email; if one appears meanwhile (another registration
/// of the same email committing first), the customer insert finds the
/// conflict, and the last line divides by zero, which aborts the
/// statement rather than commit a used token without its customer.
const REGISTER_NEW_CUSTOMER: &str = "
WITH consumed AS (
    UPDATE basket_sessions SET registration_used_at = $1
    WHERE token_hash = $2 AND invoice_id = $3
      AND completed_at IS NOT NULL AND registration_used_at IS NULL AND expires_at > $1
      AND NOT EXISTS (SELECT 1 FROM customers WHERE email_normalized = $6)
    RETURNING invoice_id
), customer AS (
    INSERT INTO customers (full_name, email, email_normalized, created_at, portal_access_granted_at, inline_password_allowed, locale)
    SELECT $4, $5, $6, $1, $1, 1, (SELECT locale FROM invoices WHERE id = $3) FROM consumed
    ON CONFLICT (email_normalized) DO NOTHING
    RETURNING id
), attached AS (
    UPDATE invoices SET customer_id = customer.id, registration_kind = 'created', registered_at = $1
    FROM customer WHERE invoices.id = $3
), access_token AS (
    INSERT INTO invoice_access_tokens (token_hash, invoice_id, customer_id, created_at, expires_at)
    SELECT $7, $3, id, $1, $8 FROM customer
), link AS (
    INSERT INTO account_links (token_hash, customer_id, purpose, created_at, expires_at)
    SELECT $9, id, 'set_password', $1, $10 FROM customer
), email AS (
    INSERT INTO outbox (recipient, subject, text_body, html_body, created_at, status, attempts, next_attempt_at,
                        attachment_invoice_id)
    SELECT $11, $12, $13, $14, $1, 'pending', 0, $1, $15 FROM customer
)
SELECT (SELECT id FROM customer) AS customer_id,
       1 / CASE WHEN EXISTS (SELECT 1 FROM consumed) AND NOT EXISTS (SELECT 1 FROM customer) THEN 0 ELSE 1 END AS guard";

/// What a new customer's welcome email needs of the invoice, if this
/// basket token would register it now (the conditions of
/// `CONSUME_BASKET_FOR_REGISTRATION`): nothing is read or computed for a
/// token that does not register, so invoices cannot be probed with one.
pub async fn find_registrable_contact(
    conn: &mut AnyConnection,
    hash: &TokenHash,
    invoice: InvoiceId,
    now: Timestamp,
) -> Result<Option<InvoiceContact>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT i.bill_to_name, i.bill_to_email, i.invoice_number, i.locale
         FROM basket_sessions b JOIN invoices i ON i.id = b.invoice_id
         WHERE b.token_hash = $1 AND b.invoice_id = $2
           AND b.completed_at IS NOT NULL AND b.registration_used_at IS NULL AND b.expires_at > $3",
    )
    .bind(hash.as_str())
    .bind(invoice.get())
    .bind(now.millis())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(invoices::contact_from_row).transpose()
}

/// PostgreSQL's "division by zero": the guard above.
const DIVISION_BY_ZERO: &str = "22012";

/// Runs `REGISTER_NEW_CUSTOMER`. `Some` with the new customer when it
/// registered; `None` when it changed nothing: the token does not register
/// (the caller's full path says why), or the email has a customer, or got
/// one meanwhile (the full path links it).
pub async fn register_new_customer(conn: &mut AnyConnection, new: &NewCustomerRegistration<'_>) -> Result<Option<CustomerId>, sqlx::Error> {
    use sqlx::Row;
    let result = sqlx::query(REGISTER_NEW_CUSTOMER)
        .bind(new.now.millis())
        .bind(new.basket.as_str())
        .bind(new.invoice.get())
        .bind(new.full_name)
        .bind(new.email.as_str())
        .bind(new.email.normalized())
        .bind(new.access_token.as_str())
        .bind(new.access_token_expires_at.millis())
        .bind(new.set_password_link.as_str())
        .bind(new.set_password_link_expires_at.millis())
        .bind(new.welcome.to.as_str())
        .bind(new.welcome.subject.as_str())
        .bind(new.welcome.text.as_str())
        .bind(new.welcome.html.as_str())
        .bind(new.welcome.attachment.map(InvoiceId::get))
        .fetch_one(conn)
        .await;
    match result {
        Ok(row) => Ok(row.try_get::<Option<i64>, _>("customer_id")?.map(CustomerId::from_row)),
        // The guard: the email got a customer meanwhile; nothing was written.
        Err(sqlx::Error::Database(error)) if error.code().as_deref() == Some(DIVISION_BY_ZERO) => Ok(None),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_held_back_statements_count_their_parameters() {
        assert_eq!(highest_parameter(invoices::ATTACH_INVOICE_TO_CUSTOMER), 4);
        assert_eq!(highest_parameter(invoices::INSERT_INVOICE_ACCESS_TOKEN), 5);
        assert_eq!(highest_parameter(outbox::ENQUEUE), 6);
        assert_eq!(highest_parameter("SELECT 1"), 0);
    }

    #[test]
    fn renumbering_shifts_every_parameter_and_nothing_else() {
        assert_eq!(renumbered("SET a = $1, b = $2 WHERE c = $1 AND d = '$x' AND e = $10", 4), "SET a = $5, b = $6 WHERE c = $5 AND d = '$x' AND e = $14");
        assert_eq!(renumbered(outbox::ENQUEUE, 0), outbox::ENQUEUE);
    }

    #[test]
    fn the_upsert_is_the_store_insert_with_its_conflict_turned_into_the_link() {
        assert!(UPSERT_CUSTOMER.contains("DO UPDATE SET portal_access_granted_at = COALESCE("), "{}", *UPSERT_CUSTOMER);
        assert!(UPSERT_CUSTOMER.ends_with("RETURNING id, xmax = 0 AS created"), "{}", *UPSERT_CUSTOMER);
        assert!(!UPSERT_CUSTOMER.contains("DO NOTHING"));
    }
}
