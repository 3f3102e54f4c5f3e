-- Core model: customers, invoices with lines, basket sessions, invoice access tokens.
-- Timestamps are Unix milliseconds (UTC); money is integer minor units;
-- tax rates are basis points (2100 = 21 %). Secrets are stored only as SHA-256 hex.

CREATE TABLE customers (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name                TEXT    NOT NULL,
    email                    TEXT    NOT NULL,
    email_normalized         TEXT    NOT NULL UNIQUE,
    created_at               BIGINT  NOT NULL,
    -- When registration granted portal access; sign-in is set up from here.
    portal_access_granted_at BIGINT,
    -- Set once the customer chooses a password (a later feature).
    password_hash            TEXT
);

-- One row: the last invoice number issued. Incremented inside the issuing
-- transaction, so numbers are sequential and gap-free.
CREATE TABLE invoice_number_sequence (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_number BIGINT  NOT NULL
);
INSERT INTO invoice_number_sequence (id, last_number) VALUES (1, 0);

CREATE TABLE invoices (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    sequence_number     BIGINT  NOT NULL UNIQUE,
    invoice_number      TEXT    NOT NULL UNIQUE,
    customer_id         BIGINT  REFERENCES customers (id),
    bill_to_name        TEXT    NOT NULL,
    bill_to_email       TEXT    NOT NULL,
    bill_to_address     TEXT    NOT NULL,
    bill_to_city        TEXT    NOT NULL,
    bill_to_postcode    TEXT    NOT NULL,
    bill_to_country     TEXT    NOT NULL,
    currency            TEXT    NOT NULL,
    subtotal_minor      BIGINT  NOT NULL,
    tax_minor           BIGINT  NOT NULL,
    total_minor         BIGINT  NOT NULL,
    issued_at           BIGINT  NOT NULL,
    paid_at             BIGINT,
    -- 'created' or 'linked': how registration attached the customer.
    registration_kind   TEXT,
    registered_at       BIGINT
);
CREATE INDEX invoices_customer ON invoices (customer_id);

CREATE TABLE invoice_lines (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id       BIGINT  NOT NULL REFERENCES invoices (id),
    position         BIGINT  NOT NULL,
    description      TEXT    NOT NULL,
    quantity         BIGINT  NOT NULL,
    unit_price_minor BIGINT  NOT NULL,
    tax_rate_bp      BIGINT  NOT NULL,
    net_minor        BIGINT  NOT NULL,
    tax_minor        BIGINT  NOT NULL,
    UNIQUE (invoice_id, position)
);

CREATE TABLE basket_sessions (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash           TEXT    NOT NULL UNIQUE,
    invoice_id           BIGINT  REFERENCES invoices (id),
    created_at           BIGINT  NOT NULL,
    completed_at         BIGINT,
    expires_at           BIGINT,
    registration_used_at BIGINT
);

CREATE TABLE invoice_access_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT    NOT NULL UNIQUE,
    invoice_id  BIGINT  NOT NULL REFERENCES invoices (id),
    customer_id BIGINT  NOT NULL REFERENCES customers (id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
