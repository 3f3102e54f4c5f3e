-- Security hardening (issue #29).

-- While a password is being hashed for a set-password or reset link, the
-- link is locked until this moment, so that posting it many times at once
-- costs one hash. A lock outlives no crash: it simply runs out.
ALTER TABLE account_links ADD COLUMN locked_until BIGINT;

-- Browsers that have signed in to an account ("device cookies", OWASP): such
-- a browser has rate limits of its own, so strangers who exhaust an
-- address's limits do not lock its owner out. Stored as SHA-256 hex.
CREATE TABLE trusted_devices (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT    NOT NULL UNIQUE,
    customer_id BIGINT  NOT NULL REFERENCES customers (id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX trusted_devices_customer ON trusted_devices (customer_id);

-- Baskets that never got details are pruned; this finds them by age.
CREATE INDEX basket_sessions_open ON basket_sessions (created_at) WHERE completed_at IS NULL AND guest_email IS NULL;
