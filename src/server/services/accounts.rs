//! Customer accounts: passwords, emailed links, sign-in sessions and OAuth
//! tokens. The portal pages and the REST API both call this one service.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::api::portal::{FieldName, FieldProblem, InlinePasswordOutcome, LinkPurpose, PortalError};
use crate::domain::{Clock, Customer, CustomerId, Email, InvoiceAccessToken, InvoiceId, Password, RegistrationKind, SecretToken, Timestamp, TokenHash};
use crate::server::config::AccountPolicy;
use crate::server::db::Db;
use crate::server::mail::Mail;
use crate::domain::locale::Locale;
use crate::server::store::accounts::SessionKind;
use crate::server::store::customers::CustomerRow;
use crate::server::store;
use crate::server::store::outbox;
use crate::server::services::unavailable;
use crate::server::passwords::{Busy, Passwords, Place};
use crate::server::rate_limit::{self, Requester};

#[derive(Clone)]
pub struct Accounts {
    db: Db,
    clock: Arc<dyn Clock>,
    policy: AccountPolicy,
    mail: Mail,
    passwords: Passwords,
}

/// A new sign-in session: the cookie value and how long it lasts, and a
/// device cookie for a browser that held none for this account.
#[derive(Debug)]
pub struct SessionGrant {
    pub token: SecretToken,
    pub valid_for: Duration,
    pub device: Option<DeviceGrant>,
}

/// A device cookie: this browser has signed in to the account, so it gets
/// rate limits of its own (`rate_limit::Requester::KnownDevice`).
#[derive(Debug)]
pub struct DeviceGrant {
    pub token: SecretToken,
    pub valid_for: Duration,
}

/// How long a lock on an emailed link lasts while its password is hashed:
/// far longer than a hash, and short enough that a crash loses nothing.
const LINK_LOCK: Duration = Duration::from_secs(60);

/// The most browsers one account keeps as its own (the newest): each has
/// rate limits of its own, so their number is bounded.
const MAX_DEVICES: i64 = 10;

/// A password that matched, and the hash it matched (see `Accounts::hold_password`).
struct VerifiedPassword {
    customer: CustomerId,
    hash: String,
    /// The browser holds a device cookie of this customer.
    known_device: bool,
}

impl From<Busy> for PortalError {
    fn from(_: Busy) -> Self {
        // Counted by `password_hashing_refusals_total`; a log line each would let a flood fill the logs.
        tracing::debug!("password hashing is at capacity; request refused");
        Self::Busy
    }
}

/// OAuth tokens for the password and refresh grants.
#[derive(Debug)]
pub struct TokenPair {
    pub access: SecretToken,
    pub refresh: SecretToken,
    pub expires_in: Duration,
}

/// Creates a single-use emailed link inside the caller's transaction.
pub async fn issue_link(
    conn: &mut sqlx::AnyConnection,
    customer: CustomerId,
    purpose: LinkPurpose,
    now: Timestamp,
    valid_for: Duration,
) -> Result<SecretToken, sqlx::Error> {
    let token = SecretToken::generate();
    store::accounts::insert_account_link(conn, &token.hash(), customer, purpose, now, now.plus(valid_for)).await?;
    Ok(token)
}

/// Parsing at the edge: the adapters turn what a request carries into these
/// types before calling `Accounts`, each failing with what the customer sees.
pub mod parse {
    use crate::api::portal::{FieldError, FieldName, FieldProblem, PortalError};
    use crate::domain::email::InvalidEmail;
    use crate::domain::locale::Locale;
    use crate::domain::password::InvalidPassword;
    use crate::domain::{Email, Password, SecretToken};

    pub fn email(raw: &str) -> Result<Email, PortalError> {
        raw.parse::<Email>().map_err(|e| PortalError::Invalid(vec![email_error(&e)]))
    }

    /// What is wrong with a typed email address, as its field's error
    /// (wherever an email address is typed).
    pub fn email_error(error: &InvalidEmail) -> FieldError {
        let problem = match error {
            InvalidEmail::Empty => FieldProblem::Missing,
            InvalidEmail::TooLong => FieldProblem::TooLong,
            InvalidEmail::Malformed => FieldProblem::Malformed,
        };
        FieldError::new(FieldName::Email, problem)
    }

    /// A password being chosen, held to the password rules.
    pub fn new_password(raw: &str) -> Result<Password, PortalError> {
        raw.parse::<Password>().map_err(|e| {
            let problem = match e {
                InvalidPassword::TooShort => FieldProblem::TooShort,
                InvalidPassword::TooLong => FieldProblem::TooLong,
                InvalidPassword::Blank => FieldProblem::Blank,
            };
            PortalError::field_error(FieldName::Password, problem)
        })
    }

    /// The token of an emailed link (or a refresh token): malformed is as good as used.
    pub fn link_token(raw: &str) -> Result<SecretToken, PortalError> {
        raw.trim().parse().map_err(|_| PortalError::LinkInvalid)
    }

    /// A session cookie or bearer token: malformed is signed out.
    pub fn session_token(raw: &str) -> Result<SecretToken, PortalError> {
        raw.trim().parse().map_err(|_| PortalError::SignedOut)
    }

    /// A language a customer chose to keep: one of the supported ones (the
    /// pseudo-locale is for looking at pages, not for a customer's emails).
    pub fn saved_locale(raw: &str) -> Result<Locale, PortalError> {
        raw.parse::<Locale>().ok().filter(|locale| !locale.is_pseudo()).ok_or(PortalError::UnsupportedLanguage)
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::password::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};

        fn message(error: PortalError) -> &'static str {
            match error {
                PortalError::Invalid(fields) => fields[0].message(),
                other => panic!("{other:?}"),
            }
        }

        #[test]
        fn each_parse_error_has_its_message() {
            assert_eq!(message(email("").unwrap_err()), "Enter an email address.");
            assert_eq!(message(email("jane@").unwrap_err()), "Enter an email address like name@example.com.");
            assert_eq!(
                message(email(&format!("{}@example.com", "a".repeat(250))).unwrap_err()),
                "An email address can be at most 254 characters long."
            );
            assert_eq!(message(new_password("short").unwrap_err()), format!("Choose a password of at least {MIN_PASSWORD_CHARS} characters."));
            assert_eq!(
                message(new_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)).unwrap_err()),
                format!("A password can be at most {MAX_PASSWORD_CHARS} characters long.")
            );
            assert_eq!(message(new_password("          ").unwrap_err()), "Choose a password that is not only spaces.");
        }

        #[test]
        fn only_a_supported_language_can_be_saved() {
            assert_eq!(saved_locale("de").unwrap().tag(), "de");
            assert_eq!(saved_locale(" AR ").unwrap().tag(), "ar");
            for wrong in ["", "fr", "de-AT", "en-XA", "<script>"] {
                assert_eq!(saved_locale(wrong), Err(PortalError::UnsupportedLanguage), "{wrong:?}");
            }
        }
    }
}

impl Accounts {
    pub fn new(db: Db, clock: Arc<dyn Clock>, policy: AccountPolicy, mail: Mail, passwords: Passwords) -> Self {
        Self { db, clock, policy, mail, passwords }
    }

    /// Email and password sign-in for the portal. The password is whatever
    /// was typed: it is only compared, so it has no format to parse.
    /// `device` is the browser's device cookie, if it sent one.
    pub async fn sign_in(
        &self,
        email: &Email,
        password: &str,
        client: Option<IpAddr>,
        device: Option<&SecretToken>,
    ) -> Result<SessionGrant, PortalError> {
        let verified = self.check_password(email, password, client, device).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let customer = self.hold_password(&mut tx, &verified).await?;
        let grant = self.start_portal_session(&mut tx, customer, verified.known_device, now).await?;
        tx.commit().await.map_err(unavailable)?;
        Ok(grant)
    }

    /// In the transaction that signs a checked password in: the password must
    /// still be the one that was checked. The check takes tens of
    /// milliseconds, in which a purchase or an emailed link may have removed
    /// it (a stranger's unconfirmed password) or the owner may have changed
    /// it; those revoke every session, and one written after them would
    /// survive. The customer's row stays locked until the caller commits, so
    /// such a change waits for this sign-in and then revokes it too.
    async fn hold_password(&self, conn: &mut sqlx::AnyConnection, verified: &VerifiedPassword) -> Result<CustomerId, PortalError> {
        if store::customers::hold_password(conn, verified.customer, &verified.hash).await.map_err(unavailable)? {
            Ok(verified.customer)
        } else {
            tracing::info!(customer = %verified.customer, "a password changed while it was being checked; sign-in refused");
            Err(PortalError::WrongCredentials)
        }
    }

    /// Checks a password sign-in, rate limited (`admit_to_hashing`); on
    /// success the customer and the hash the password matched (see `hold_password`).
    async fn check_password(
        &self,
        email: &Email,
        password: &str,
        client: Option<IpAddr>,
        device: Option<&SecretToken>,
    ) -> Result<VerifiedPassword, PortalError> {
        if password.is_empty() {
            return Err(PortalError::field_error(FieldName::Password, FieldProblem::Missing));
        }
        let now = self.clock.now();
        let (customer, known_device) = {
            let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
            let customer = store::customers::find_portal_customer_by_email(&mut conn, email.normalized()).await.map_err(unavailable)?;
            let known_device = self.known_device(&mut conn, customer.as_ref().map(|c| c.id), device, now).await?;
            (customer, known_device)
        };
        let requester = known_device.as_ref().map_or(Requester::Unknown(client), Requester::KnownDevice);
        let place = self.admit_to_hashing(&rate_limit::sign_in_buckets(email, requester), now, "sign-in").await?;
        // Always verify against some hash, so a missing account takes as long as a wrong password.
        let stored = customer.as_ref().and_then(|c| c.password_hash.as_deref());
        match (place.verify(password, stored).await, customer) {
            (true, Some(customer)) => match customer.password_hash {
                Some(hash) => Ok(VerifiedPassword { customer: customer.id, hash, known_device: known_device.is_some() }),
                None => Err(PortalError::WrongCredentials),
            },
            _ => Err(PortalError::WrongCredentials),
        }
    }

    /// A hashing place for one attempt counted against `buckets`. In that
    /// order: the limits are read (a refusal writes nothing), a place is
    /// taken (none free: `Busy`, and nothing written), and only then is the
    /// attempt counted.
    async fn admit_to_hashing(&self, buckets: &[(rate_limit::Limit, String)], now: Timestamp, what: &'static str) -> Result<Place, PortalError> {
        let refused = |limited: rate_limit::Limited| {
            tracing::warn!(what, "rate limit reached");
            PortalError::RateLimited { retry_after_minutes: limited.minutes() }
        };
        {
            let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
            rate_limit::check(&mut conn, now, buckets).await.map_err(unavailable)?.map_err(refused)?;
        }
        let place = self.passwords.reserve()?;
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let verdict = rate_limit::count(&mut tx, now, buckets).await.map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        verdict.map_err(refused)?;
        Ok(place)
    }

    /// The hash of `device` if it is a live device cookie of `customer`.
    async fn known_device(
        &self,
        conn: &mut sqlx::AnyConnection,
        customer: Option<CustomerId>,
        device: Option<&SecretToken>,
        now: Timestamp,
    ) -> Result<Option<TokenHash>, PortalError> {
        // Looked up whether or not the email has an account, so the time
        // the answer takes does not tell.
        let Some(device) = device else {
            return Ok(None);
        };
        let hash = device.hash();
        let owner = store::accounts::find_trusted_device(conn, &hash, now).await.map_err(unavailable)?;
        Ok((owner.is_some() && owner == customer).then_some(hash))
    }

    /// Emails a sign-in or password-reset link if the email has an account.
    /// The answer is the same either way, and also when rate limited.
    pub async fn request_link(
        &self,
        email: &Email,
        purpose: LinkPurpose,
        client: Option<IpAddr>,
        device: Option<&SecretToken>,
    ) -> Result<(), PortalError> {
        let now = self.clock.now();
        let (customer, buckets) = {
            let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
            let customer = store::customers::find_portal_customer_by_email(&mut conn, email.normalized()).await.map_err(unavailable)?;
            let known_device = self.known_device(&mut conn, customer.as_ref().map(|c| c.id), device, now).await?;
            let buckets = rate_limit::link_buckets(email, known_device.as_ref().map_or(Requester::Unknown(client), Requester::KnownDevice));
            if rate_limit::check(&mut conn, now, &buckets).await.map_err(unavailable)?.is_err() {
                tracing::warn!("link request rate limit reached; nothing sent");
                return Ok(());
            }
            (customer, buckets)
        };
        // One transaction and one commit whether or not the email has an
        // account, so the answer takes about as long either way.
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        if rate_limit::count(&mut tx, now, &buckets).await.map_err(unavailable)?.is_err() {
            // Rolled back: a refused request writes nothing.
            drop(tx);
            tracing::warn!("link request rate limit reached; nothing sent");
            return Ok(());
        }
        let Some(customer) = customer else {
            tx.commit().await.map_err(unavailable)?;
            return Ok(());
        };
        let to: Email = customer.email.parse().map_err(unavailable)?;
        let templates = &self.mail.templates;
        let message = match purpose {
            LinkPurpose::SignIn => {
                let ttl = self.policy.sign_in_link_ttl;
                let token = issue_link(&mut tx, customer.id, LinkPurpose::SignIn, now, ttl).await.map_err(unavailable)?;
                templates.sign_in_link(customer.locale, &to, &customer.full_name, &token, ttl)
            }
            LinkPurpose::ResetPassword | LinkPurpose::SetPassword => {
                let ttl = self.policy.reset_link_ttl;
                let token = issue_link(&mut tx, customer.id, LinkPurpose::ResetPassword, now, ttl).await.map_err(unavailable)?;
                templates.password_reset(customer.locale, &to, &customer.full_name, &token, ttl)
            }
        };
        outbox::enqueue(&mut tx, &message, now).await.map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        self.mail.nudge();
        tracing::info!(customer = %customer.id, ?purpose, "account link emailed");
        Ok(())
    }

    /// What a link can still do, without using it (for rendering its page).
    pub async fn link_purpose(&self, token: &SecretToken) -> Result<LinkPurpose, PortalError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        store::accounts::find_usable_link(&mut conn, &token.hash(), self.clock.now())
            .await
            .map_err(unavailable)?
            .ok_or(PortalError::LinkInvalid)
    }

    /// Uses an emailed sign-in link.
    pub async fn sign_in_with_link(&self, token: &SecretToken, device: Option<&SecretToken>) -> Result<SessionGrant, PortalError> {
        let now = self.clock.now();
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let (customer, _) = store::accounts::consume_link(&mut tx, &token.hash(), [LinkPurpose::SignIn, LinkPurpose::SignIn], now)
            .await
            .map_err(unavailable)?
            .ok_or(PortalError::LinkInvalid)?;
        // A password set on a checkout-complete page was never confirmed by
        // this mailbox's owner, who is the one signing in now: it ends here.
        store::customers::close_inline_password(&mut tx, customer, now).await.map_err(unavailable)?;
        store::customers::mark_email_verified(&mut tx, customer, now).await.map_err(unavailable)?;
        let known_device = self.known_device(&mut tx, Some(customer), device, now).await?.is_some();
        let grant = self.start_portal_session(&mut tx, customer, known_device, now).await?;
        tx.commit().await.map_err(unavailable)?;
        tracing::info!(%customer, "signed in with an emailed link");
        Ok(grant)
    }

    /// Sets a password from a set-password or reset link, signs out every
    /// other session and forgets every other browser of the account, and
    /// signs this browser in (with a new device cookie). Hashing is
    /// deliberately expensive, so it happens only for a link that can be
    /// used, with a hashing place taken and the link locked: posting one
    /// link many times at once costs one hash.
    pub async fn choose_password(&self, token: &SecretToken, password: &Password) -> Result<SessionGrant, PortalError> {
        const PURPOSES: [LinkPurpose; 2] = [LinkPurpose::SetPassword, LinkPurpose::ResetPassword];
        let link = token.hash();
        if !PURPOSES.contains(&self.link_purpose(token).await?) {
            return Err(PortalError::LinkInvalid);
        }
        let place = self.passwords.reserve()?;
        let now = self.clock.now();
        let locked = {
            let mut tx = self.db.begin_write().await.map_err(unavailable)?;
            let locked = store::accounts::lock_link(&mut tx, &link, PURPOSES, now, now.plus(LINK_LOCK)).await.map_err(unavailable)?;
            tx.commit().await.map_err(unavailable)?;
            locked
        };
        if locked.is_none() {
            // Usable but locked: another post of this link is being hashed.
            return Err(match self.link_purpose(token).await {
                Ok(_) => PortalError::Busy,
                Err(error) => error,
            });
        }
        let result = async {
            let hash = place.hash(password).await.map_err(unavailable)?;
            let now = self.clock.now();
            let mut tx = self.db.begin_write().await.map_err(unavailable)?;
            let (customer, purpose) = store::accounts::consume_link(&mut tx, &link, PURPOSES, now)
                .await
                .map_err(unavailable)?
                .ok_or(PortalError::LinkInvalid)?;
            store::customers::set_password_hash(&mut tx, customer, &hash).await.map_err(unavailable)?;
            store::customers::mark_email_verified(&mut tx, customer, now).await.map_err(unavailable)?;
            store::accounts::retire_password_links(&mut tx, customer, now).await.map_err(unavailable)?;
            store::accounts::revoke_all_sessions(&mut tx, customer, now).await.map_err(unavailable)?;
            // Devices that signed in with an earlier password (perhaps a
            // stranger's, perhaps a thief's) are no longer the owner's.
            store::accounts::forget_devices(&mut tx, customer).await.map_err(unavailable)?;
            let grant = self.start_portal_session(&mut tx, customer, false, now).await?;
            tx.commit().await.map_err(unavailable)?;
            tracing::info!(%customer, ?purpose, "password chosen");
            Ok(grant)
        }
        .await;
        if result.is_err() {
            // The link was not used: it works again at once, not only when the lock runs out.
            if let Ok(mut conn) = self.db.begin_write().await {
                if store::accounts::unlock_link(&mut conn, &link).await.is_ok() {
                    let _ = conn.commit().await;
                }
            }
        }
        result
    }

    /// "Set a password now" on the checkout-complete page. The invoice token
    /// from registration proves the purchase, not the mailbox, so this is
    /// allowed only for an account this very registration created, that has
    /// no password and no invoice but this one, within the set-password
    /// link's lifetime. The email stays unconfirmed until the customer uses
    /// a link we emailed them (the welcome email's link keeps working). An
    /// account that existed before belongs to whoever owns the email: nobody
    /// is signed in to it here. Every check that can refuse (the token, the
    /// rate limit, the account) is a read made before the password is hashed.
    pub async fn set_password_after_checkout(
        &self,
        invoice: InvoiceId,
        invoice_token: &InvoiceAccessToken,
        password: &Password,
        client: Option<IpAddr>,
    ) -> Result<(InlinePasswordOutcome, Option<SessionGrant>), PortalError> {
        let now = self.clock.now();
        let registration = {
            let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
            match store::invoices::find_invoice_access_token(&mut conn, &invoice_token.hash()).await.map_err(unavailable)? {
                Some((token_invoice, expires_at)) if token_invoice == invoice && expires_at > now => {
                    store::invoices::find_invoice_registration(&mut conn, invoice).await.map_err(unavailable)?
                }
                _ => None,
            }
        };
        let Some(registration) = registration else {
            return Err(PortalError::LinkInvalid);
        };
        let place = self.admit_to_hashing(&rate_limit::inline_password_buckets(invoice, client), now, "set-password-now").await?;
        let customer = registration.customer_id;
        let fresh = registration.registered_at.plus(self.policy.set_password_link_ttl) > now;
        if registration.kind != RegistrationKind::Created || !fresh {
            return Ok((InlinePasswordOutcome::CheckEmail, None));
        }
        let open = {
            let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
            store::customers::inline_password_open(&mut conn, customer, invoice).await.map_err(unavailable)?
        };
        if !open {
            return Ok((InlinePasswordOutcome::CheckEmail, None));
        }
        let hash = place.hash(password).await.map_err(unavailable)?;
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        // The account's own row decides (no password yet, no other purchase
        // or emailed link since it was created), re-checked by the UPDATE itself.
        if !store::customers::set_inline_password(&mut tx, customer, invoice, &hash).await.map_err(unavailable)? {
            return Ok((InlinePasswordOutcome::CheckEmail, None));
        }
        // No device cookie: this browser has not shown it reads the mailbox.
        let grant = self.insert_session(&mut tx, customer, SessionKind::Portal, self.policy.session_ttl, now).await?;
        tx.commit().await.map_err(unavailable)?;
        tracing::info!(%customer, "password set on the checkout-complete page");
        Ok((InlinePasswordOutcome::SignedIn, Some(grant)))
    }

    /// The customer a live session or access token belongs to.
    pub async fn authenticate(&self, token: &SecretToken, kind: SessionKind) -> Result<CustomerId, PortalError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        store::accounts::find_live_session(&mut conn, &token.hash(), kind, self.clock.now())
            .await
            .map_err(unavailable)?
            .ok_or(PortalError::SignedOut)
    }

    /// The saved locale of the customer a live portal session belongs to.
    /// Only chooses a page's language, so a failed read is no locale.
    pub async fn session_locale(&self, token: &SecretToken) -> Option<Locale> {
        let mut conn = self.db.pool.acquire().await.ok()?;
        store::accounts::find_live_session_locale(&mut conn, &token.hash(), SessionKind::Portal, self.clock.now())
            .await
            .inspect_err(|error| tracing::warn!(%error, "cannot read the signed-in customer's locale"))
            .ok()
            .flatten()
            .map(|tag| Locale::from_stored(&tag))
    }

    /// Ends one portal session, or (with `everywhere`) every session and API token of its customer.
    pub async fn sign_out(&self, token: &SecretToken, everywhere: bool) -> Result<(), PortalError> {
        let now = self.clock.now();
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let customer = store::accounts::revoke_session(&mut tx, &token.hash(), SessionKind::Portal, now).await.map_err(unavailable)?;
        if let (Some(customer), true) = (customer, everywhere) {
            let revoked = store::accounts::revoke_all_sessions(&mut tx, customer, now).await.map_err(unavailable)?;
            // Every browser must show the password again before it counts as the owner's.
            store::accounts::forget_devices(&mut tx, customer).await.map_err(unavailable)?;
            tracing::info!(%customer, revoked, "signed out everywhere");
        }
        Ok(tx.commit().await.map_err(unavailable)?)
    }

    /// OAuth2 password grant: an access token and a refresh token.
    pub async fn password_grant(&self, username: &Email, password: &str, client: Option<IpAddr>) -> Result<TokenPair, PortalError> {
        let verified = self.check_password(username, password, client, None).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let customer = self.hold_password(&mut tx, &verified).await?;
        let pair = self.insert_token_pair(&mut tx, customer, now).await?;
        tx.commit().await.map_err(unavailable)?;
        Ok(pair)
    }

    /// OAuth2 refresh grant: the refresh token is used up and replaced.
    pub async fn refresh_grant(&self, refresh: &SecretToken) -> Result<TokenPair, PortalError> {
        let now = self.clock.now();
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let customer = store::accounts::revoke_session(&mut tx, &refresh.hash(), SessionKind::Refresh, now)
            .await
            .map_err(unavailable)?
            .ok_or(PortalError::LinkInvalid)?;
        let pair = self.insert_token_pair(&mut tx, customer, now).await?;
        tx.commit().await.map_err(unavailable)?;
        Ok(pair)
    }

    async fn insert_token_pair(&self, conn: &mut sqlx::AnyConnection, customer: CustomerId, now: Timestamp) -> Result<TokenPair, PortalError> {
        let access = self.insert_session(conn, customer, SessionKind::Access, self.policy.access_token_ttl, now).await?;
        let refresh = self.insert_session(conn, customer, SessionKind::Refresh, self.policy.refresh_token_ttl, now).await?;
        Ok(TokenPair { access: access.token, refresh: refresh.token, expires_in: access.valid_for })
    }

    /// A portal session for `customer` in the caller's transaction, and a
    /// device cookie unless the browser holds one of theirs (`known_device`).
    async fn start_portal_session(
        &self,
        conn: &mut sqlx::AnyConnection,
        customer: CustomerId,
        known_device: bool,
        now: Timestamp,
    ) -> Result<SessionGrant, PortalError> {
        let mut grant = self.insert_session(conn, customer, SessionKind::Portal, self.policy.session_ttl, now).await?;
        // Only the mailbox's proven owner: a password set on a
        // checkout-complete page and never confirmed earns no device.
        if !known_device && store::customers::email_verified(conn, customer).await.map_err(unavailable)? {
            let token = SecretToken::generate();
            let valid_for = self.policy.device_ttl;
            store::accounts::insert_trusted_device(conn, &token.hash(), customer, now, now.plus(valid_for)).await.map_err(unavailable)?;
            store::accounts::keep_newest_devices(conn, customer, MAX_DEVICES).await.map_err(unavailable)?;
            grant.device = Some(DeviceGrant { token, valid_for });
        }
        Ok(grant)
    }

    async fn insert_session(
        &self,
        conn: &mut sqlx::AnyConnection,
        customer: CustomerId,
        kind: SessionKind,
        ttl: Duration,
        now: Timestamp,
    ) -> Result<SessionGrant, PortalError> {
        let token = SecretToken::generate();
        store::accounts::insert_session(conn, &token.hash(), customer, kind, now, now.plus(ttl)).await.map_err(unavailable)?;
        Ok(SessionGrant { token, valid_for: ttl, device: None })
    }

    /// The signed-in customer.
    pub async fn customer(&self, customer: CustomerId) -> Result<Customer, PortalError> {
        let mut conn = self.db.pool.acquire().await.map_err(unavailable)?;
        let CustomerRow { id, full_name, email, locale, .. } =
            store::customers::find_customer(&mut conn, customer).await.map_err(unavailable)?.ok_or(PortalError::SignedOut)?;
        Ok(Customer { id, name: full_name, email, locale })
    }

    /// Keeps `locale` as the language the customer's pages (where the
    /// browser has not chosen one) and emails speak.
    pub async fn save_locale(&self, customer: CustomerId, locale: Locale) -> Result<(), PortalError> {
        let mut tx = self.db.begin_write().await.map_err(unavailable)?;
        let saved = store::customers::set_locale(&mut tx, customer, locale).await.map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        if !saved {
            return Err(PortalError::SignedOut);
        }
        tracing::info!(%customer, %locale, "saved language changed");
        Ok(())
    }
}
