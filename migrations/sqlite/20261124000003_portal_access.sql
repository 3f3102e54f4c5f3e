-- Portal access: emailed single-use links, sign-in sessions and API tokens,
-- the email outbox and rate-limit counters. Secrets are stored only as SHA-256 hex.

-- Set when the customer first uses a link we emailed them, which proves they
-- read that mailbox. A password chosen before that (on the checkout-complete
-- page) does not survive another purchase being attached to the account.
ALTER TABLE customers ADD COLUMN email_verified_at BIGINT;
-- 1 while "Set a password now" on the checkout-complete page may still set
-- the first password: from the registration that created the account until
-- anything else touches it (another purchase, an emailed link, a password).
-- A column of the row itself, so concurrent updates re-check it.
ALTER TABLE customers ADD COLUMN inline_password_allowed BIGINT NOT NULL DEFAULT 0;

-- Links sent by email: choose a first password, reset it, or sign in.
CREATE TABLE account_links (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT    NOT NULL UNIQUE,
    customer_id BIGINT  NOT NULL REFERENCES customers (id),
    -- 'set_password', 'reset_password' or 'sign_in'
    purpose     TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX account_links_customer ON account_links (customer_id);

-- Signed-in state, kept here so every app instance sees it and it can be
-- revoked: 'portal' (the browser cookie), 'access' and 'refresh' (OAuth).
CREATE TABLE auth_sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT    NOT NULL UNIQUE,
    customer_id BIGINT  NOT NULL REFERENCES customers (id),
    kind        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX auth_sessions_customer ON auth_sessions (customer_id);

-- Every email, written in the transaction of the event that causes it and
-- delivered afterwards by a worker that claims rows one at a time.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    -- 'pending', 'sending', 'sent' or 'failed' (permanently)
    status          TEXT    NOT NULL,
    attempts        BIGINT  NOT NULL,
    next_attempt_at BIGINT  NOT NULL,
    claim_token     TEXT,
    claimed_until   BIGINT,
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Fixed-window counters for sign-in and email-link requests, shared by all instances.
CREATE TABLE rate_limit_hits (
    bucket       TEXT   NOT NULL,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
