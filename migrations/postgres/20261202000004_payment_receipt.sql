-- The payment receipt carries the invoice PDF. The outbox names the invoice
-- instead of storing the file: the PDF is rendered when the message is sent,
-- the same bytes pdfByToken serves, and no blob is written inside the payment.
ALTER TABLE outbox ADD COLUMN attachment_invoice_id BIGINT REFERENCES invoices (id);
