-- The operator's shop file (issue #31): products keep a stable slug, a
-- per-basket maximum and, once the file drops them, the time they were
-- archived (never deleted: baskets and history point at them). The seller's
-- letterhead moves from the environment into the database, and each
-- invoice points at the letterhead it was issued with, for ever.

ALTER TABLE products ADD COLUMN slug TEXT;
ALTER TABLE products ADD COLUMN max_quantity BIGINT NOT NULL DEFAULT 99;
ALTER TABLE products ADD COLUMN archived_at BIGINT;

-- Existing products keep their ids and get slugs: the four the first
-- migrations seeded by their names, any other by its id.
UPDATE products SET slug = CASE name
    WHEN 'Day Pass' THEN 'day-pass'
    WHEN 'Meeting Room (1 h)' THEN 'meeting-room'
    WHEN '10-visit bundle' THEN '10-visit-bundle'
    WHEN 'Private Office (1 month)' THEN 'private-office'
    ELSE 'product-' || CAST(id AS TEXT) END;
CREATE UNIQUE INDEX products_slug ON products (slug);

-- The demo catalogue now comes from examples/shop.toml: seeded products no
-- basket ever held are archived (a database that sold them keeps them on
-- sale). Applying the example file brings them back under the same ids.
UPDATE products SET active = 0, archived_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE slug IN ('day-pass', 'meeting-room', '10-visit-bundle', 'private-office')
  AND NOT EXISTS (SELECT 1 FROM basket_items WHERE basket_items.product_id = products.id);

-- Logos, by the SHA-256 of their bytes: written once, never changed.
CREATE TABLE shop_assets (
    sha256     TEXT   PRIMARY KEY,
    media_type TEXT   NOT NULL,
    bytes      BLOB  NOT NULL,
    created_at BIGINT NOT NULL
);

-- What an invoice prints of its seller. Immutable: a changed seller is a
-- new row (found by its fingerprint, the SHA-256 of its fields).
CREATE TABLE letterheads (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint   TEXT   NOT NULL UNIQUE,
    name          TEXT   NOT NULL,
    -- JSON array of strings.
    address_lines TEXT   NOT NULL,
    tax_id        TEXT   NOT NULL,
    email         TEXT   NOT NULL,
    -- '#rrggbb'
    accent        TEXT   NOT NULL,
    logo_sha256   TEXT   REFERENCES shop_assets (sha256),
    created_at    BIGINT NOT NULL
);

-- The shop as the last applied file left it; one row. NULLs until a file
-- is applied: the built-in letterhead and EUR. `revision` counts applies
-- that changed anything, so running instances notice and reload.
-- `payment_provider` is the one the server last started with ('stripe',
-- 'test'): an apply from a shell checks the currency against it.
CREATE TABLE shop_settings (
    id               BIGINT PRIMARY KEY CHECK (id = 1),
    letterhead_id    BIGINT REFERENCES letterheads (id),
    currency         TEXT,
    revision         BIGINT NOT NULL DEFAULT 0,
    applied_at       BIGINT,
    payment_provider TEXT
);
INSERT INTO shop_settings (id, revision) VALUES (1, 0);

-- The letterhead an invoice was issued with. NULL only for invoices issued
-- before this migration, until the next start records the letterhead they
-- have been printed with so far.
ALTER TABLE invoices ADD COLUMN letterhead_id BIGINT REFERENCES letterheads (id);
