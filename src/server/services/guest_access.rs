//! Guest access to a paid invoice: registration by basket token
//! (registerByToken) and token-gated reads (pdfByToken, the complete page).
//!
//! This is the one implementation behind both doors: the REST endpoint and the
//! `#[server]` functions of the checkout-complete page call these methods.

use std::net::IpAddr;
use std::sync::Arc;

use crate::domain::{BasketToken, Clock, CustomerId, Email, Invoice, InvoiceAccessToken, InvoiceId, RegistrationKind, Timestamp};
use crate::api::guest_access::GuestAccessError;
use crate::api::portal::LinkPurpose;
use crate::domain::SecretToken;
use crate::server::services::accounts::issue_link;
use crate::server::sqlite_writer::complete_now;
use crate::server::db::RegistrationRoute;
use crate::server::store::registration::{FusedPostgres, NewCustomerRegistration, RegistrationStore};
use crate::server::services::unavailable;
use crate::server::config::{AccountPolicy, TokenPolicy};
use crate::server::db::Db;
use crate::server::mail::Mail;
use crate::server::rate_limit;
use crate::server::store::outbox::OutgoingEmail;
use crate::server::store::baskets::BasketSessionRow;
use crate::server::store::customers::CustomerLink;
use crate::server::store::invoices::InvoiceContact;
use crate::server::store;

#[derive(Clone)]
pub struct GuestAccess {
    db: Db,
    clock: Arc<dyn Clock>,
    token_policy: TokenPolicy,
    account_policy: AccountPolicy,
    mail: Mail,
}

/// The outcome of a successful registration: the invoice-scoped token.
#[derive(Debug, Clone)]
pub struct Registration {
    pub token: InvoiceAccessToken,
}

/// A token presented to a token-gated read: either kind the Nexudus docs name.
#[derive(Debug, Clone)]
pub enum GuestToken {
    Basket(BasketToken),
    Invoice(InvoiceAccessToken),
}

impl GuestToken {
    /// Parses a raw `token` parameter; anything else is an invalid token (401).
    pub fn parse(raw: &str) -> Result<Self, GuestAccessError> {
        if let Ok(basket) = raw.parse() {
            Ok(Self::Basket(basket))
        } else if let Ok(token) = raw.parse() {
            Ok(Self::Invoice(token))
        } else {
            Err(GuestAccessError::InvalidToken)
        }
    }
}

impl GuestAccess {
    pub fn new(db: Db, clock: Arc<dyn Clock>, token_policy: TokenPolicy, account_policy: AccountPolicy, mail: Mail) -> Self {
        Self { db, clock, token_policy, account_policy, mail }
    }

    /// Register Customer by Invoice Token, in one transaction: consume the
    /// basket token, create or link the customer, attach the invoice, grant
    /// portal access, issue a fresh invoice-scoped token and queue the email
    /// (a set-password link for a new customer; "an invoice was added" for an
    /// existing one). The answer is the same in both cases.
    pub async fn register(&self, invoice: InvoiceId, basket: BasketToken) -> Result<Registration, GuestAccessError> {
        let result = self.register_once(invoice, basket).await;
        crate::server::metrics::registration(result.as_ref().map(|(_, kind)| *kind));
        result.map(|(registration, _)| registration)
    }

    /// `register`'s transaction, on the registration path the database has;
    /// with the registration, how the customer was found.
    async fn register_once(&self, invoice: InvoiceId, basket: BasketToken) -> Result<(Registration, RegistrationKind), GuestAccessError> {
        let now = self.clock.now();
        let (registration, customer) = match self.db.registration_route() {
            RegistrationRoute::SqliteWriter(writer) => {
                let access = self.clone();
                writer
                    .run(move |mut conn| complete_now(access.register_in(&mut conn, invoice, &basket, now)))
                    .await
                    .map_err(unavailable)??
            }
            RegistrationRoute::FusedPostgres => match self.register_new_customer(invoice, &basket, now).await? {
                Some(registered) => registered,
                None => {
                    let mut tx = self.db.begin_write().await.map_err(unavailable)?;
                    let mut fused = FusedPostgres::new(&mut tx);
                    let outcome = self.register_in(&mut fused, invoice, &basket, now).await?;
                    fused.flush().await.map_err(unavailable)?;
                    tx.commit().await.map_err(unavailable)?;
                    outcome
                }
            },
            RegistrationRoute::Portable => {
                let mut tx = self.db.begin_write().await.map_err(unavailable)?;
                let outcome = self.register_in(&mut *tx, invoice, &basket, now).await?;
                tx.commit().await.map_err(unavailable)?;
                outcome
            }
        };
        self.mail.nudge();
        tracing::info!(%invoice, customer = %customer.id, outcome = customer.kind.as_str(), "guest registered");
        Ok((registration, customer.kind))
    }

    /// PostgreSQL, when the invoice's email has no customer yet (the common
    /// case): the whole registration in one statement, after reading what
    /// the welcome email says. `None` when nothing was written: the token
    /// does not register, or the email has a customer; the transaction in
    /// `register_once` then says why, or links.
    async fn register_new_customer(
        &self,
        invoice: InvoiceId,
        basket: &BasketToken,
        now: Timestamp,
    ) -> Result<Option<(Registration, CustomerLink)>, GuestAccessError> {
        let hash = basket.hash();
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let Some(contact) = store::registration::find_registrable_contact(&mut tx, &hash, invoice, now).await.map_err(unavailable)? else {
            return Ok(None);
        };
        let Ok(email) = contact.email.parse::<Email>() else {
            // The transaction's path reports it.
            return Ok(None);
        };
        let token = InvoiceAccessToken::generate();
        let link = SecretToken::generate();
        let link_ttl = self.account_policy.set_password_link_ttl;
        let new = NewCustomerRegistration {
            basket: &hash,
            invoice,
            now,
            full_name: &contact.name,
            email: &email,
            access_token: &token.hash(),
            access_token_expires_at: now.plus(self.token_policy.invoice_token_ttl),
            set_password_link: &link.hash(),
            set_password_link_expires_at: now.plus(link_ttl),
            welcome: &self.welcome_email(&email, &contact, &link),
        };
        // `None` aborted the transaction (the guard) or changed nothing: dropping it rolls back.
        let Some(customer) = store::registration::register_new_customer(&mut tx, &new).await.map_err(unavailable)? else {
            return Ok(None);
        };
        tx.commit().await.map_err(unavailable)?;
        Ok(Some((Registration { token }, CustomerLink { id: customer, kind: RegistrationKind::Created })))
    }

    /// The email a new customer gets: set a password with `link`. In the
    /// invoice's language, which registration gives the new customer.
    fn welcome_email(&self, email: &Email, contact: &InvoiceContact, link: &SecretToken) -> OutgoingEmail {
        self.mail.templates.welcome(contact.locale, email, &contact.name, &contact.number, link, self.account_policy.set_password_link_ttl)
    }

    /// The registration's reads and writes, in the caller's transaction:
    /// written once for every connection (`store::registration`).
    async fn register_in<S: RegistrationStore>(
        &self,
        store: &mut S,
        invoice: InvoiceId,
        basket: &BasketToken,
        now: Timestamp,
    ) -> Result<(Registration, CustomerLink), GuestAccessError> {
        let hash = basket.hash();
        // Writing first matters: the conditional UPDATE is what makes exactly
        // one concurrent caller win, and on SQLite it takes the write lock
        // before any read, so no transaction has to upgrade a stale snapshot.
        if !store.consume_basket_for_registration(&hash, invoice, now).await.map_err(unavailable)? {
            let row = store.find_basket_session(&hash).await.map_err(unavailable)?;
            // The UPDATE refused it, so some rule failed; if the row reads as
            // fine now, another caller consumed it in between.
            return Err(basket_verdict(row.as_ref(), invoice, now).err().unwrap_or(GuestAccessError::TokenAlreadyUsed));
        }

        let contact = store.find_invoice_contact(invoice).await.map_err(unavailable)?.ok_or(GuestAccessError::InvoiceNotFound)?;
        let email = contact_email(&contact, invoice)?;
        let (customer, message) = self.attach_purchase(store, invoice, &contact, &email, now).await.map_err(unavailable)?;

        let token = InvoiceAccessToken::generate();
        let expires_at = now.plus(self.token_policy.invoice_token_ttl);
        store.insert_invoice_access_token(&token.hash(), invoice, customer.id, now, expires_at).await.map_err(unavailable)?;
        store.enqueue(&message, now).await.map_err(unavailable)?;
        Ok((Registration { token }, customer))
    }

    /// The one way a paid purchase is attached to a customer, whichever door
    /// it comes through (registration on every path, or the sign-in link of
    /// a purchase whose completion link expired): the customer is created,
    /// or the existing one with the invoice's email is linked; the invoice is
    /// attached; and the email that says so is written (for `store` to
    /// queue): a welcome with a set-password link, or, for an existing
    /// customer, "an invoice was added" to the owner, after any password
    /// chosen on a checkout-complete page that the owner never confirmed has
    /// been removed with its sessions, tokens and devices.
    async fn attach_purchase<S: RegistrationStore>(
        &self,
        store: &mut S,
        invoice: InvoiceId,
        contact: &InvoiceContact,
        email: &Email,
        now: Timestamp,
    ) -> Result<(CustomerLink, OutgoingEmail), String> {
        let customer = store.create_or_link_customer(&contact.name, email, contact.locale, now).await.map_err(|e| e.to_string())?;
        store.attach_invoice_to_customer(invoice, customer.id, customer.kind, now).await.map_err(|e| e.to_string())?;
        let message = self.registration_email(store, customer, contact, email, invoice, now).await?;
        Ok((customer, message))
    }

    /// The email registration sends, with any link it needs created in `store`.
    async fn registration_email<S: RegistrationStore>(
        &self,
        store: &mut S,
        customer: CustomerLink,
        contact: &InvoiceContact,
        email: &Email,
        invoice: InvoiceId,
        now: Timestamp,
    ) -> Result<OutgoingEmail, String> {
        let templates = &self.mail.templates;
        let ttl = self.account_policy.set_password_link_ttl;
        let id = customer.id;
        let set_password_link = async |store: &mut S| {
            let token = SecretToken::generate();
            store.insert_account_link(&token.hash(), id, LinkPurpose::SetPassword, now, now.plus(ttl)).await.map(|()| token)
        };
        match customer.kind {
            RegistrationKind::Created => {
                let link = set_password_link(store).await.map_err(|e| e.to_string())?;
                Ok(self.welcome_email(email, contact, &link))
            }
            RegistrationKind::Linked => {
                let owner = store.find_customer(id).await.map_err(|e| e.to_string())?.ok_or("the linked customer is gone")?;
                let owner_email: Email = owner.email.parse().map_err(|_| format!("stored email of customer {id} is invalid"))?;
                // A password set on a checkout-complete page by someone who
                // never proved they read this mailbox must not capture the
                // owner's later purchases: it ends here, and the owner is
                // emailed a link to choose one.
                let cleared = store.close_inline_password(id, now).await.map_err(|e| e.to_string())?;
                if cleared {
                    tracing::info!(customer = %id, "unconfirmed password cleared as another purchase was attached");
                }
                let first_password = if owner.password_hash.is_none() || cleared {
                    Some(set_password_link(store).await.map_err(|e| e.to_string())?)
                } else {
                    None
                };
                // In the owner's own language, whatever this purchase's was.
                Ok(templates.invoice_added(
                    owner.locale,
                    &owner_email,
                    &owner.full_name,
                    &contact.number,
                    invoice,
                    first_password.as_ref().map(|t| (t, ttl)),
                ))
            }
        }
    }

    /// The way on from a completion link that can no longer register (used,
    /// or expired): a sign-in link emailed to the address on the invoice. The
    /// browser learns nothing it did not know: not the address, not whether
    /// it already had an account, not whether it was rate limited (the answer
    /// is the same). A purchase never registered (its link expired unopened)
    /// gets its customer now, as registration would have made it, and its
    /// basket token is used up, so only one of the two ever attaches it.
    pub async fn email_sign_in_link(&self, invoice: InvoiceId, basket: BasketToken, client: Option<IpAddr>) -> Result<(), GuestAccessError> {
        let now = self.clock.now();
        let hash = basket.hash();
        // Read first: a bad link gets its answer, and a rate-limited request
        // its usual one, without a write. (An issued invoice's bill-to never
        // changes, so what is read here holds in the transaction below.)
        let (contact, email, buckets) = {
            let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
            let row = store::baskets::find_basket_session(&mut conn, &hash).await.map_err(unavailable)?;
            sign_in_link_verdict(row.as_ref(), invoice)?;
            let (contact, email) = invoice_contact(&mut conn, invoice).await?;
            let buckets = rate_limit::link_buckets(&email, rate_limit::Requester::Unknown(client));
            if rate_limit::check(&mut conn, now, &buckets).await.map_err(unavailable)?.is_err() {
                tracing::warn!("link request rate limit reached; nothing sent");
                return Ok(());
            }
            (contact, email, buckets)
        };

        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        if !store::baskets::retire_basket_registration(&mut tx, &hash, invoice, now).await.map_err(unavailable)? {
            let row = store::baskets::find_basket_session(&mut tx, &hash).await.map_err(unavailable)?;
            return Err(sign_in_link_verdict(row.as_ref(), invoice).err().unwrap_or(GuestAccessError::InvalidToken));
        }
        if rate_limit::count(&mut tx, now, &buckets).await.map_err(unavailable)?.is_err() {
            // Rolled back: the basket stays as it was.
            drop(tx);
            tracing::warn!("link request rate limit reached; nothing sent");
            return Ok(());
        }
        let customer = match store::invoices::find_invoice_registration(&mut tx, invoice).await.map_err(unavailable)? {
            Some(registration) => registration.customer_id,
            None => {
                let (customer, message) = self.attach_purchase(&mut *tx, invoice, &contact, &email, now).await.map_err(unavailable)?;
                store::outbox::enqueue(&mut tx, &message, now).await.map_err(unavailable)?;
                tracing::info!(%invoice, customer = %customer.id, outcome = customer.kind.as_str(), "guest registered through the mailbox");
                customer.id
            }
        };
        let (owner, owner_email) = account_owner(&mut tx, customer).await.map_err(unavailable)?;
        let ttl = self.account_policy.sign_in_link_ttl;
        let link = issue_link(&mut tx, customer, LinkPurpose::SignIn, now, ttl).await.map_err(unavailable)?;
        let message = self.mail.templates.sign_in_link(owner.locale, &owner_email, &owner.full_name, &link, ttl);
        store::outbox::enqueue(&mut tx, &message, now).await.map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        self.mail.nudge();
        tracing::info!(%invoice, %customer, "sign-in link emailed from a completion link");
        Ok(())
    }

    /// Would `register` accept this basket token for this invoice? Changes nothing.
    pub async fn check_basket(&self, invoice: InvoiceId, basket: BasketToken) -> Result<(), GuestAccessError> {
        let row = store::reads::basket_session(&self.db, &basket.hash()).await.map_err(unavailable)?;
        basket_verdict(row.as_ref(), invoice, self.clock.now())
    }

    /// The token rules of `register` alone, for requests whose invoice id is
    /// malformed: a bad token must still be a 401, not a 400.
    pub async fn check_basket_token(&self, basket: BasketToken) -> Result<(), GuestAccessError> {
        let row = store::reads::basket_session(&self.db, &basket.hash()).await.map_err(unavailable)?;
        basket_token_verdict(row.as_ref(), self.clock.now()).map(drop)
    }

    /// Checks a token for a read of `invoice` (PDF, page) and loads the invoice.
    pub async fn authorize_read(&self, invoice: InvoiceId, token: &GuestToken) -> Result<Invoice, GuestAccessError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        if self.read_token_invoice(&mut conn, token).await? != invoice {
            return Err(GuestAccessError::InvoiceNotFound);
        }
        store::invoices::find_invoice(&mut conn, invoice)
            .await
            .map_err(unavailable)?
            .ok_or(GuestAccessError::InvoiceNotFound)
    }

    /// The token rules of `authorize_read` alone (see `check_basket_token`).
    pub async fn check_read_token(&self, token: &GuestToken) -> Result<(), GuestAccessError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        self.read_token_invoice(&mut conn, token).await.map(drop)
    }

    /// The invoice a read token opens. A basket GUID works until it expires,
    /// whether or not it has registered (the Nexudus docs name it for
    /// pdfByToken); an invoice token works until it expires.
    async fn read_token_invoice(&self, conn: &mut sqlx::AnyConnection, token: &GuestToken) -> Result<InvoiceId, GuestAccessError> {
        let now = self.clock.now();
        let (token_invoice, expires_at) = match token {
            GuestToken::Basket(basket) => {
                let row = store::baskets::find_basket_session(conn, &basket.hash())
                    .await
                    .map_err(unavailable)?
                    .ok_or(GuestAccessError::InvalidToken)?;
                match (row.invoice_id, row.completed_at, row.expires_at) {
                    (Some(paid_invoice), Some(_), Some(expires_at)) => (paid_invoice, expires_at),
                    _ => return Err(GuestAccessError::InvalidToken),
                }
            }
            GuestToken::Invoice(token) => {
                let (token_invoice, expires_at) = store::invoices::find_invoice_access_token(conn, &token.hash())
                    .await
                    .map_err(unavailable)?
                    .ok_or(GuestAccessError::InvalidToken)?;
                (token_invoice, expires_at)
            }
        };
        if expires_at <= now {
            return Err(GuestAccessError::TokenExpired);
        }
        Ok(token_invoice)
    }
}

/// The customer an email about their account is written to, by the name and
/// address they registered with (not the invoice's, which may differ in case).
async fn account_owner(conn: &mut sqlx::AnyConnection, customer: CustomerId) -> Result<(store::customers::CustomerRow, Email), sqlx::Error> {
    let owner = store::customers::find_customer(conn, customer).await?.ok_or(sqlx::Error::RowNotFound)?;
    let email = owner.email.parse().map_err(|_| store::decode_error(format_args!("email of customer {customer}")))?;
    Ok((owner, email))
}

/// Who an invoice is billed to, with the email parsed.
async fn invoice_contact(conn: &mut sqlx::AnyConnection, invoice: InvoiceId) -> Result<(InvoiceContact, Email), GuestAccessError> {
    let contact = store::invoices::find_invoice_contact(conn, invoice)
        .await
        .map_err(unavailable)?
        .ok_or(GuestAccessError::InvoiceNotFound)?;
    let email = contact_email(&contact, invoice)?;
    Ok((contact, email))
}

/// The bill-to email of an invoice, parsed (it was checked when issued).
fn contact_email(contact: &InvoiceContact, invoice: InvoiceId) -> Result<Email, GuestAccessError> {
    Ok(contact.email.parse().map_err(|_| unavailable(format_args!("invoice {invoice} has an invalid bill-to email")))?)
}

/// The registration rules for one basket session, token first: an unknown,
/// unpaid, used or expired token is a 401 whatever the invoice, so invoice ids
/// cannot be probed without a genuine token; only then a wrong invoice is a 404.
pub fn basket_verdict(row: Option<&BasketSessionRow>, invoice: InvoiceId, now: Timestamp) -> Result<(), GuestAccessError> {
    if basket_token_verdict(row, now)? != invoice {
        return Err(GuestAccessError::InvoiceNotFound);
    }
    Ok(())
}

/// Whether a completion link may ask for a sign-in link: its basket paid
/// this invoice (used or expired, it does not matter). A paid basket of
/// another invoice is a 404; anything else an invalid token.
fn sign_in_link_verdict(row: Option<&BasketSessionRow>, invoice: InvoiceId) -> Result<(), GuestAccessError> {
    match row {
        Some(row) if row.completed_at.is_some() && row.invoice_id == Some(invoice) => Ok(()),
        Some(row) if row.completed_at.is_some() && row.invoice_id.is_some() => Err(GuestAccessError::InvoiceNotFound),
        _ => Err(GuestAccessError::InvalidToken),
    }
}

/// The token half of `basket_verdict`; on success, the invoice the basket paid.
fn basket_token_verdict(row: Option<&BasketSessionRow>, now: Timestamp) -> Result<InvoiceId, GuestAccessError> {
    let row = row.ok_or(GuestAccessError::InvalidToken)?;
    let (Some(paid_invoice), Some(_completed), Some(expires_at)) = (row.invoice_id, row.completed_at, row.expires_at) else {
        return Err(GuestAccessError::InvalidToken);
    };
    if row.registration_used_at.is_some() {
        return Err(GuestAccessError::TokenAlreadyUsed);
    }
    if expires_at <= now {
        return Err(GuestAccessError::TokenExpired);
    }
    Ok(paid_invoice)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp::from_millis(1_000_000);

    fn paid(invoice: i64) -> BasketSessionRow {
        BasketSessionRow {
            invoice_id: Some(id(invoice)),
            completed_at: Some(Timestamp::from_millis(900_000)),
            expires_at: Some(Timestamp::from_millis(2_000_000)),
            registration_used_at: None,
        }
    }

    fn id(raw: i64) -> InvoiceId {
        InvoiceId::new(raw).unwrap()
    }

    #[test]
    fn a_paid_unused_unexpired_session_of_this_invoice_passes() {
        assert_eq!(basket_verdict(Some(&paid(7)), id(7), NOW), Ok(()));
    }

    #[test]
    fn unknown_and_unpaid_sessions_are_invalid() {
        assert_eq!(basket_verdict(None, id(7), NOW), Err(GuestAccessError::InvalidToken));
        let unpaid = BasketSessionRow { completed_at: None, ..paid(7) };
        assert_eq!(basket_verdict(Some(&unpaid), id(7), NOW), Err(GuestAccessError::InvalidToken));
    }

    #[test]
    fn used_and_expired_sessions_are_rejected() {
        let used = BasketSessionRow { registration_used_at: Some(NOW), ..paid(7) };
        assert_eq!(basket_verdict(Some(&used), id(7), NOW), Err(GuestAccessError::TokenAlreadyUsed));
        let expired = BasketSessionRow { expires_at: Some(NOW), ..paid(7) };
        assert_eq!(basket_verdict(Some(&expired), id(7), NOW), Err(GuestAccessError::TokenExpired));
        // One millisecond before expiry it still works.
        let almost = BasketSessionRow { expires_at: Some(Timestamp::from_millis(NOW.millis() + 1)), ..paid(7) };
        assert_eq!(basket_verdict(Some(&almost), id(7), NOW), Ok(()));
    }

    #[test]
    fn token_problems_win_over_a_wrong_invoice() {
        assert_eq!(basket_verdict(Some(&paid(7)), id(8), NOW), Err(GuestAccessError::InvoiceNotFound));
        let used = BasketSessionRow { registration_used_at: Some(NOW), ..paid(7) };
        assert_eq!(basket_verdict(Some(&used), id(8), NOW), Err(GuestAccessError::TokenAlreadyUsed));
    }

    #[test]
    fn guest_tokens_parse_as_either_kind() {
        assert!(matches!(GuestToken::parse("3F2B8C1E-9D4A-4F6B-8E2C-1A2B3C4D5E6F"), Ok(GuestToken::Basket(_))));
        let invoice_token = InvoiceAccessToken::generate();
        assert!(matches!(GuestToken::parse(invoice_token.reveal()), Ok(GuestToken::Invoice(_))));
        assert_eq!(GuestToken::parse("nope").unwrap_err(), GuestAccessError::InvalidToken);
    }
}
