//! `application/x-www-form-urlencoded` bodies in Stripe's bracket syntax:
//! `line_items[0][price_data][currency]=eur`.
//!
//! Everything but RFC 3986's unreserved characters is percent-encoded as
//! UTF-8; the brackets in keys are left as they are, which is how Stripe's
//! own libraries send them (any form decoder reads both).

use std::fmt::Write as _;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key=value`; `key` may already hold brackets (`expand[]`).
    pub fn push(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.pairs.push((key.into(), value.into()));
        self
    }

    /// Adds a nested key: `["metadata", "attempt"]` is `metadata[attempt]`.
    pub fn push_path(&mut self, path: &[&str], value: impl Into<String>) -> &mut Self {
        let key = nested_key(path);
        self.push(key, value)
    }

    #[cfg(test)]
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (i, (key, value)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            percent_encode(&mut out, key, true);
            out.push('=');
            percent_encode(&mut out, value, false);
        }
        out
    }
}

/// `["a", "b", "c"]` → `a[b][c]`.
pub fn nested_key(path: &[&str]) -> String {
    let mut key = String::new();
    for (i, part) in path.iter().enumerate() {
        debug_assert!(!part.contains(['[', ']']), "a key segment holds a bracket");
        if i == 0 {
            key.push_str(part);
        } else {
            key.push('[');
            key.push_str(part);
            key.push(']');
        }
    }
    key
}

fn percent_encode(out: &mut String, text: &str, keep_brackets: bool) {
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (keep_brackets && matches!(byte, b'[' | b']'));
        if keep {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(body: &str) -> Vec<(String, String)> {
        url::form_urlencoded::parse(body.as_bytes()).into_owned().collect()
    }

    #[test]
    fn nested_keys_use_brackets() {
        assert_eq!(nested_key(&["line_items", "0", "price_data", "product_data", "name"]), "line_items[0][price_data][product_data][name]");
        assert_eq!(nested_key(&["mode"]), "mode");
        assert_eq!(nested_key(&[]), "");
    }

    #[test]
    fn encodes_stripe_style() {
        let mut form = Form::new();
        form.push("mode", "payment")
            .push_path(&["line_items", "0", "price_data", "currency"], "eur")
            .push_path(&["line_items", "0", "quantity"], "2")
            .push("expand[]", "payment_intent.latest_charge");
        assert_eq!(
            form.encode(),
            "mode=payment&line_items[0][price_data][currency]=eur&line_items[0][quantity]=2&expand[]=payment_intent.latest_charge"
        );
    }

    #[test]
    fn values_are_percent_encoded() {
        let mut form = Form::new();
        form.push("success_url", "https://shop.example/checkout/return?session_id={CHECKOUT_SESSION_ID}&x=a b")
            .push("customer_email", "anna+tag@example.com")
            .push("name", "Café \"Desk\" & co. — 10%");
        let body = form.encode();
        assert_eq!(
            body,
            "success_url=https%3A%2F%2Fshop.example%2Fcheckout%2Freturn%3Fsession_id%3D%7BCHECKOUT_SESSION_ID%7D%26x%3Da%20b\
             &customer_email=anna%2Btag%40example.com\
             &name=Caf%C3%A9%20%22Desk%22%20%26%20co.%20%E2%80%94%2010%25"
        );
        // Any standard form decoder gets the values back exactly.
        assert_eq!(decode(&body), form.pairs().to_vec());
    }

    #[test]
    fn brackets_in_values_are_encoded_but_keys_keep_theirs() {
        let mut form = Form::new();
        form.push_path(&["metadata", "attempt"], "a[0]=b");
        assert_eq!(form.encode(), "metadata[attempt]=a%5B0%5D%3Db");
        assert_eq!(decode(&form.encode()), vec![("metadata[attempt]".to_owned(), "a[0]=b".to_owned())]);
    }

    #[test]
    fn empty_form_and_empty_values() {
        assert_eq!(Form::new().encode(), "");
        let mut form = Form::new();
        form.push("a", "");
        assert_eq!(form.encode(), "a=");
    }
}
