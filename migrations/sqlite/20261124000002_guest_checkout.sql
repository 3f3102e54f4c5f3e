-- Guest checkout: the catalogue, basket contents, guest details and payment attempts.

CREATE TABLE products (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    unit_price_minor BIGINT  NOT NULL CHECK (unit_price_minor > 0),
    tax_rate_bp      BIGINT  NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    position         BIGINT  NOT NULL,
    active           BIGINT  NOT NULL DEFAULT 1
);

INSERT INTO products (name, description, unit_price_minor, tax_rate_bp, position) VALUES
    ('Day Pass', 'A hot desk for one day, 08:00–18:00, coffee included.', 2500, 2100, 1),
    ('Meeting Room (1 h)', 'Six seats, a big screen and a whiteboard, for one hour.', 3000, 2100, 2),
    ('10-visit bundle', 'Ten day passes to use within six months.', 19900, 2100, 3),
    ('Private Office (1 month)', 'A lockable office for up to four people, for one month.', 65000, 2100, 4);

CREATE TABLE basket_items (
    basket_session_id BIGINT NOT NULL REFERENCES basket_sessions (id),
    product_id        BIGINT NOT NULL REFERENCES products (id),
    quantity          BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (basket_session_id, product_id)
);

-- The guest's details, as typed (validated before payment).
ALTER TABLE basket_sessions ADD COLUMN guest_name TEXT;
ALTER TABLE basket_sessions ADD COLUMN guest_email TEXT;
ALTER TABLE basket_sessions ADD COLUMN guest_address TEXT;
ALTER TABLE basket_sessions ADD COLUMN guest_city TEXT;
ALTER TABLE basket_sessions ADD COLUMN guest_postcode TEXT;
ALTER TABLE basket_sessions ADD COLUMN guest_country TEXT;
-- Set while a charge is in flight, so two tabs cannot charge one basket twice.
ALTER TABLE basket_sessions ADD COLUMN payment_started_at BIGINT;

-- One row per payment attempt; the idempotency key makes a repeated submit
-- of the same attempt return its first outcome instead of charging again.
CREATE TABLE payment_attempts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    basket_session_id BIGINT  NOT NULL REFERENCES basket_sessions (id),
    idempotency_key   TEXT    NOT NULL UNIQUE,
    amount_minor      BIGINT  NOT NULL,
    currency          TEXT    NOT NULL,
    -- 'processing', 'succeeded' or 'declined'
    status            TEXT    NOT NULL,
    decline_reason    TEXT,
    gateway_reference TEXT,
    card_brand        TEXT,
    card_last4        TEXT,
    invoice_id        BIGINT  REFERENCES invoices (id),
    created_at        BIGINT  NOT NULL
);
CREATE INDEX payment_attempts_basket ON payment_attempts (basket_session_id);
