//! Payments through a pluggable gateway.
//!
//! `PaymentGateway::charge` answers synchronously for card gateways, but its
//! outcome can also be `Pending` with a redirect URL: a hosted-payment
//! provider (redirect and return, or webhook confirmation) fits the same
//! trait, and the checkout then completes the basket when the confirmation
//! arrives instead of at once.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::domain::{Clock, Money};

/// Card details as typed; never stored. Only brand and last 4 digits are kept.
#[derive(Clone)]
pub struct CardInput {
    pub number: String,
    pub expiry: String,
    pub cvc: String,
}

impl std::fmt::Debug for CardInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardInput(<redacted>)")
    }
}

#[derive(Debug, Clone)]
pub struct ChargeRequest {
    pub amount: Money,
    /// The same key always yields the same charge: gateways must not charge twice.
    pub idempotency_key: String,
    pub card: CardInput,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeOutcome {
    Succeeded { reference: String, brand: String, last4: String },
    Declined { reason: DeclineReason },
    /// Asynchronous providers: send the shopper to `redirect_url`; completion follows later.
    Pending { reference: String, redirect_url: String },
}

/// Why a card was refused: a code the checkout page turns into its message.
pub use crate::api::checkout::DeclineReason;

pub type ChargeFuture<'a> = Pin<Box<dyn Future<Output = ChargeOutcome> + Send + 'a>>;

pub trait PaymentGateway: Send + Sync + 'static {
    fn charge<'a>(&'a self, request: &'a ChargeRequest) -> ChargeFuture<'a>;
}

/// The built-in test gateway, following the usual test-card conventions:
/// 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined,
/// 4000 0000 0000 9995 has insufficient funds; any other number that passes
/// the Luhn check succeeds. Expiry must be a future MM/YY; CVC 3–4 digits.
#[derive(Clone)]
pub struct TestGateway {
    clock: Arc<dyn Clock>,
}

impl PaymentGateway for TestGateway {
    fn charge<'a>(&'a self, request: &'a ChargeRequest) -> ChargeFuture<'a> {
        let now = time::OffsetDateTime::from_unix_timestamp(self.clock.now().millis() / 1000)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let today = (now.year().max(0) as u32, u32::from(u8::from(now.month())));
        let outcome = decide(today, &request.card, &request.idempotency_key);
        Box::pin(async move { outcome })
    }
}

impl TestGateway {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self { clock }
    }
}

/// The test gateway's rules, for a card presented in month `today` (year, month).
fn decide(today: (u32, u32), card: &CardInput, idempotency_key: &str) -> ChargeOutcome {
    let digits: String = card.number.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) || !luhn_valid(&digits) {
        return ChargeOutcome::Declined { reason: DeclineReason::InvalidNumber };
    }
    let Some((month, year)) = parse_expiry(&card.expiry) else {
        return ChargeOutcome::Declined { reason: DeclineReason::InvalidExpiry };
    };
    if (year, month) < today {
        return ChargeOutcome::Declined { reason: DeclineReason::Expired };
    }
    let cvc = card.cvc.trim();
    if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        return ChargeOutcome::Declined { reason: DeclineReason::InvalidCvc };
    }
    match digits.as_str() {
        "4000000000000002" => ChargeOutcome::Declined { reason: DeclineReason::CardDeclined },
        "4000000000009995" => ChargeOutcome::Declined { reason: DeclineReason::InsufficientFunds },
        _ => ChargeOutcome::Succeeded {
            reference: format!("test_{idempotency_key}"),
            brand: card_brand(&digits).to_owned(),
            last4: digits[digits.len() - 4..].to_owned(),
        },
    }
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// `MM/YY` or `MM/YYYY` → (month, full year).
fn parse_expiry(raw: &str) -> Option<(u32, u32)> {
    let (month, year) = raw.trim().split_once('/')?;
    let month: u32 = month.trim().parse().ok().filter(|m| (1..=12).contains(m))?;
    let year = year.trim();
    let year: u32 = match year.len() {
        2 => 2000 + year.parse::<u32>().ok()?,
        4 => year.parse().ok()?,
        _ => return None,
    };
    Some((month, year))
}

fn card_brand(digits: &str) -> &'static str {
    match digits.as_bytes()[0] {
        b'4' => "Visa",
        b'5' | b'2' => "Mastercard",
        b'3' => "American Express",
        _ => "Card",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Today;

    impl Today {
        fn decide(&self, card: &CardInput, key: &str) -> ChargeOutcome {
            decide((2026, 11), card, key)
        }
    }

    fn gateway() -> Today {
        Today
    }

    fn card(number: &str, expiry: &str, cvc: &str) -> CardInput {
        CardInput { number: number.into(), expiry: expiry.into(), cvc: cvc.into() }
    }

    #[test]
    fn the_success_card_succeeds_and_keeps_only_brand_and_last4() {
        let outcome = gateway().decide(&card("4242 4242 4242 4242", "12/30", "123"), "k1");
        assert_eq!(
            outcome,
            ChargeOutcome::Succeeded { reference: "test_k1".into(), brand: "Visa".into(), last4: "4242".into() }
        );
    }

    #[test]
    fn the_conventional_decline_cards_are_declined() {
        assert_eq!(
            gateway().decide(&card("4000000000000002", "12/30", "123"), "k"),
            ChargeOutcome::Declined { reason: DeclineReason::CardDeclined }
        );
        assert_eq!(
            gateway().decide(&card("4000 0000 0000 9995", "12/30", "123"), "k"),
            ChargeOutcome::Declined { reason: DeclineReason::InsufficientFunds }
        );
    }

    #[test]
    fn bad_numbers_expiry_and_cvc_are_refused() {
        let declined = |c: CardInput| match gateway().decide(&c, "k") {
            ChargeOutcome::Declined { reason } => reason,
            other => panic!("expected a decline, got {other:?}"),
        };
        assert_eq!(declined(card("4242 4242 4242 4241", "12/30", "123")), DeclineReason::InvalidNumber);
        assert_eq!(declined(card("abcd", "12/30", "123")), DeclineReason::InvalidNumber);
        assert_eq!(declined(card("4242424242424242", "13/30", "123")), DeclineReason::InvalidExpiry);
        assert_eq!(declined(card("4242424242424242", "1230", "123")), DeclineReason::InvalidExpiry);
        assert_eq!(declined(card("4242424242424242", "10/26", "123")), DeclineReason::Expired);
        assert_eq!(declined(card("4242424242424242", "12/30", "12")), DeclineReason::InvalidCvc);
        assert_eq!(declined(card("4242424242424242", "12/30", "12a")), DeclineReason::InvalidCvc);
    }

    #[test]
    fn the_current_month_is_still_valid() {
        assert!(matches!(gateway().decide(&card("4242424242424242", "11/26", "123"), "k"), ChargeOutcome::Succeeded { .. }));
        assert!(matches!(gateway().decide(&card("4242424242424242", "11/2026", "1234"), "k"), ChargeOutcome::Succeeded { .. }));
    }

    #[test]
    fn card_input_never_prints_its_number() {
        assert!(!format!("{:?}", card("4242424242424242", "12/30", "123")).contains("4242"));
    }
}
