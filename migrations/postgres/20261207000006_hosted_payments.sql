-- Payments on a hosted page (issue #30): Stripe Checkout or the built-in
-- test provider. An attempt is one checkout session; it snapshots what it
-- charges for, so the invoice is issued from exactly what was paid.

-- The card flow's claim on a basket gives way to the open attempt itself:
-- at most one attempt per basket is 'processing' (unique index below), for
-- as long as its session may still be paid, however long a request takes.
ALTER TABLE basket_sessions DROP COLUMN payment_started_at;

-- Which provider made the session ('stripe' or 'test'); NULL for card-form attempts.
ALTER TABLE payment_attempts ADD COLUMN provider TEXT;
-- The hosted page the shopper pays on. Never logged.
ALTER TABLE payment_attempts ADD COLUMN session_url TEXT;
-- When the session stops taking payment (the sweep asks the provider after it).
ALTER TABLE payment_attempts ADD COLUMN expires_at BIGINT;
-- SHA-256 hex of the basket cookie that started the attempt: the return
-- page shows a payment only to that browser.
ALTER TABLE payment_attempts ADD COLUMN owner_hash TEXT;
-- JSON: the bill-to and lines charged for, as priced when the session was made.
ALTER TABLE payment_attempts ADD COLUMN snapshot TEXT;
-- 'return', 'webhook' or 'sweep': the door that fulfilled the payment.
ALTER TABLE payment_attempts ADD COLUMN fulfilled_by TEXT;
-- The provider's payment (Stripe's PaymentIntent), to refund it.
ALTER TABLE payment_attempts ADD COLUMN payment_reference TEXT;
-- The completion secret minted when the payment was fulfilled, held until
-- the paying browser comes back for it (then cleared); the receipt email
-- carries it too.
ALTER TABLE payment_attempts ADD COLUMN completion_pickup TEXT;
-- A payment for a basket that was already paid is refunded: the refund's id and when.
ALTER TABLE payment_attempts ADD COLUMN refund_reference TEXT;
ALTER TABLE payment_attempts ADD COLUMN refunded_at BIGINT;
ALTER TABLE payment_attempts ADD COLUMN updated_at BIGINT;

-- Card-form attempts still 'processing' can never finish now.
UPDATE payment_attempts SET status = 'failed' WHERE status = 'processing';

CREATE UNIQUE INDEX payment_attempts_session ON payment_attempts (gateway_reference);
CREATE UNIQUE INDEX payment_attempts_one_open ON payment_attempts (basket_session_id) WHERE status = 'processing';
-- The sweep's work: open attempts past their expiry, refunds still due.
-- Completion secrets no browser collected, which the sweep forgets.
CREATE INDEX payment_attempts_pickups ON payment_attempts (updated_at) WHERE completion_pickup IS NOT NULL;
CREATE INDEX payment_attempts_unsettled ON payment_attempts (expires_at) WHERE status IN ('processing', 'refund_due');
