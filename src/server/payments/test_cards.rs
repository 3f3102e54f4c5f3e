//! The test cards of the built-in test provider's payment page, following
//! the usual conventions: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002
//! is declined, 4000 0000 0000 9995 has insufficient funds; any other number
//! that passes the Luhn check succeeds. Expiry must be a future MM/YY; CVC
//! 3–4 digits.

use crate::server::payments::CardSummary;

/// Card details as typed on the test provider's page; never stored.
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

/// What the test bank says to a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardVerdict {
    Approved(CardSummary),
    Declined(DeclineReason),
}

/// Why a card was refused: a code the page turns into its message.
pub use crate::api::checkout::DeclineReason;

/// The test bank's rules, for a card presented in month `today` (year, month).
pub fn verdict(today: (u32, u32), card: &CardInput) -> CardVerdict {
    let digits: String = card.number.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) || !luhn_valid(&digits) {
        return CardVerdict::Declined(DeclineReason::InvalidNumber);
    }
    let Some((month, year)) = parse_expiry(&card.expiry) else {
        return CardVerdict::Declined(DeclineReason::InvalidExpiry);
    };
    if (year, month) < today {
        return CardVerdict::Declined(DeclineReason::Expired);
    }
    let cvc = card.cvc.trim();
    if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        return CardVerdict::Declined(DeclineReason::InvalidCvc);
    }
    match digits.as_str() {
        "4000000000000002" => CardVerdict::Declined(DeclineReason::CardDeclined),
        "4000000000009995" => CardVerdict::Declined(DeclineReason::InsufficientFunds),
        _ => CardVerdict::Approved(CardSummary { brand: card_brand(&digits).to_owned(), last4: digits[digits.len() - 4..].to_owned() }),
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
    sum.is_multiple_of(10)
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

    fn decide(card: &CardInput) -> CardVerdict {
        verdict((2026, 11), card)
    }

    fn card(number: &str, expiry: &str, cvc: &str) -> CardInput {
        CardInput { number: number.into(), expiry: expiry.into(), cvc: cvc.into() }
    }

    #[test]
    fn the_success_card_succeeds_and_keeps_only_brand_and_last4() {
        assert_eq!(
            decide(&card("4242 4242 4242 4242", "12/30", "123")),
            CardVerdict::Approved(CardSummary { brand: "Visa".into(), last4: "4242".into() })
        );
    }

    #[test]
    fn the_conventional_decline_cards_are_declined() {
        assert_eq!(decide(&card("4000000000000002", "12/30", "123")), CardVerdict::Declined(DeclineReason::CardDeclined));
        assert_eq!(decide(&card("4000 0000 0000 9995", "12/30", "123")), CardVerdict::Declined(DeclineReason::InsufficientFunds));
    }

    #[test]
    fn bad_numbers_expiry_and_cvc_are_refused() {
        let declined = |c: CardInput| match decide(&c) {
            CardVerdict::Declined(reason) => reason,
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
        assert!(matches!(decide(&card("4242424242424242", "11/26", "123")), CardVerdict::Approved(_)));
        assert!(matches!(decide(&card("4242424242424242", "11/2026", "1234")), CardVerdict::Approved(_)));
    }

    #[test]
    fn card_input_never_prints_its_number() {
        assert!(!format!("{:?}", card("4242424242424242", "12/30", "123")).contains("4242"));
    }
}
