-- Every guest in their own language (issue #32). The locale a basket was
-- shopped in becomes its invoice's when the invoice is issued, fixed from
-- then on so its PDF and receipt always read the same; a customer's is set
-- at registration and changed in the portal. Rows from before speak English.
ALTER TABLE basket_sessions ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE invoices ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE customers ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
