-- Every guest in their own language (issue #32). The locale a basket was
-- shopped in becomes its invoice's when the invoice is issued, fixed from
-- then on so its PDF and receipt always read the same; a customer's is set
-- at registration and changed in the portal. Rows from before speak English.
ALTER TABLE basket_sessions ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE invoices ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE customers ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';

-- The shop file's words in other languages than its own (`locale`): a
-- product's name and description (either may be missing, and then shows in
-- the file's language), and the seller's address where a language writes it
-- differently (a JSON object from language tag to lines; part of the
-- letterhead, so an invoice prints the address it was issued with).
CREATE TABLE product_translations (
    product_id  BIGINT NOT NULL REFERENCES products (id),
    locale      TEXT   NOT NULL,
    name        TEXT,
    description TEXT,
    PRIMARY KEY (product_id, locale)
);
ALTER TABLE letterheads ADD COLUMN translated_addresses TEXT NOT NULL DEFAULT '{}';
ALTER TABLE shop_settings ADD COLUMN locale TEXT;
