//! Configuration from the environment, with defaults that work out of the box.

use std::time::Duration;

use crate::server::passwords::HashingLimits;
use crate::server::shop::SellerOverrides;

/// Everything the server reads from its environment (besides the `LEPTOS_*`
/// variables, which leptos reads itself).
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` (default `sqlite://data/checkout-portal.db`) or `postgres://…`.
    pub database_url: String,
    pub pool: PoolSettings,
    /// Where guests reach the app, e.g. `https://billing.example.com`; https turns on `Secure` cookies.
    pub public_url: String,
    pub token_policy: TokenPolicy,
    pub account_policy: AccountPolicy,
    pub mail: MailSettings,
    /// `SELLER_*`: what this deployment sets in place of the shop file's seller.
    pub seller: SellerOverrides,
    /// `SHOP_FILE`: a shop file to apply at start; the server refuses to
    /// start if it has any problem.
    pub shop_file: Option<std::path::PathBuf>,
    /// `TRUST_FORWARDED_FOR=1`: a reverse proxy sets `X-Forwarded-For`, so
    /// rate limits count the address it names instead of the proxy's.
    pub trust_forwarded_for: bool,
    /// `BENCH_BASELINE=1` adds the benchmark baseline route.
    pub bench_baseline: bool,
    pub limits: RequestLimits,
    /// The password hashing queue (`PASSWORD_HASH_WORKERS`, `PASSWORD_HASH_QUEUE`).
    pub hashing: HashingLimits,
    /// `METRICS_ADDR`, e.g. `127.0.0.1:9100`: serve `/metrics` there (a
    /// private interface) and not on the app's port. Unset: on the app's port.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// Who takes the money (`PAYMENT_PROVIDER`, `STRIPE_*`, `ALLOW_TEST_PAYMENTS`).
    pub payments: PaymentSettings,
    /// `DEFAULT_LOCALE` (default `en`): the language of a visitor whose
    /// browser asks for none the shop speaks; `PSEUDO_LOCALE=1` offers the
    /// pseudo-locale `?lang=en-XA` (development and tests).
    pub languages: crate::server::i18n::negotiate::Offer,
}

/// The payment provider and its settings.
#[derive(Clone, PartialEq, Eq)]
pub enum PaymentSettings {
    /// `PAYMENT_PROVIDER=test` (the default): the built-in test provider.
    /// Behind an https `PUBLIC_URL` only with `ALLOW_TEST_PAYMENTS=1`.
    Test,
    /// `PAYMENT_PROVIDER=stripe`: Stripe Checkout.
    Stripe {
        /// `STRIPE_SECRET_KEY`.
        secret_key: String,
        /// `STRIPE_WEBHOOK_SECRET`: one or more signing secrets, comma
        /// separated, so that a secret can be rotated without downtime.
        webhook_secrets: Vec<String>,
        /// `STRIPE_API_BASE`: Stripe's API unless a test points elsewhere.
        api_base: String,
    },
}

impl PaymentSettings {
    /// Whether no real money moves: the test provider, or Stripe with a
    /// test-mode key. Every page then says so.
    pub fn is_test_mode(&self) -> bool {
        match self {
            Self::Test => true,
            Self::Stripe { secret_key, .. } => is_test_key(secret_key),
        }
    }
}

impl std::fmt::Debug for PaymentSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Test => f.write_str("Test"),
            Self::Stripe { webhook_secrets, api_base, .. } => f
                .debug_struct("Stripe")
                .field("secret_key", &"<redacted>")
                .field("webhook_secrets", &format_args!("<{} redacted>", webhook_secrets.len()))
                .field("api_base", api_base)
                .finish(),
        }
    }
}

pub const STRIPE_API: &str = "https://api.stripe.com";

/// Whether `url` is https (a URL's scheme is case-insensitive).
pub fn is_https(url: &str) -> bool {
    url.trim().get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

fn is_test_key(key: &str) -> bool {
    key.starts_with("sk_test_") || key.starts_with("rk_test_")
}

/// Reads the payment settings. The test provider hands out paid invoices for
/// test cards, so behind https it needs `ALLOW_TEST_PAYMENTS=1`.
fn payment_settings(lookup: &impl Fn(&str) -> Option<String>, public_url: &str) -> Result<PaymentSettings, ConfigError> {
    let provider = lookup("PAYMENT_PROVIDER").map(|raw| raw.trim().to_ascii_lowercase());
    let test_payments_allowed = lookup("ALLOW_TEST_PAYMENTS").is_some_and(|v| v.trim() == "1");
    match provider.as_deref() {
        None | Some("test") => {
            if is_https(public_url) && !test_payments_allowed {
                return Err(ConfigError {
                    name: "PAYMENT_PROVIDER",
                    problem: "the test provider takes no real money; behind an https PUBLIC_URL set PAYMENT_PROVIDER=stripe \
                              (or ALLOW_TEST_PAYMENTS=1 for a demo, which shows a test-mode banner)"
                        .into(),
                });
            }
            Ok(PaymentSettings::Test)
        }
        Some("stripe") => {
            let secret_key = lookup("STRIPE_SECRET_KEY").map(|key| key.trim().to_owned()).ok_or(ConfigError {
                name: "STRIPE_SECRET_KEY",
                problem: "is required with PAYMENT_PROVIDER=stripe (Stripe dashboard → Developers → API keys)".into(),
            })?;
            if !["sk_live_", "sk_test_", "rk_live_", "rk_test_"].iter().any(|prefix| secret_key.starts_with(prefix)) {
                return Err(ConfigError { name: "STRIPE_SECRET_KEY", problem: "must be a secret or restricted key (sk_… or rk_…)".into() });
            }
            // A test-mode key takes test cards: as the test provider, not behind https by accident.
            if is_test_key(&secret_key) && is_https(public_url) && !test_payments_allowed {
                return Err(ConfigError {
                    name: "STRIPE_SECRET_KEY",
                    problem: "is a test-mode key, which takes no real money; behind an https PUBLIC_URL use a live key \
                              (or ALLOW_TEST_PAYMENTS=1 for a demo, which shows a test-mode banner)"
                        .into(),
                });
            }
            let webhook_secrets: Vec<String> = lookup("STRIPE_WEBHOOK_SECRET")
                .unwrap_or_default()
                .split(',')
                .map(|secret| secret.trim().to_owned())
                .filter(|secret| !secret.is_empty())
                .collect();
            if webhook_secrets.is_empty() {
                return Err(ConfigError {
                    name: "STRIPE_WEBHOOK_SECRET",
                    problem: "is required with PAYMENT_PROVIDER=stripe: the endpoint's signing secret (whsec_…), or several, comma separated".into(),
                });
            }
            let api_base = lookup("STRIPE_API_BASE").map(|url| url.trim().trim_end_matches('/').to_owned()).unwrap_or_else(|| STRIPE_API.to_owned());
            if url::Url::parse(&api_base).map_or(true, |url| !matches!(url.scheme(), "http" | "https")) {
                return Err(ConfigError { name: "STRIPE_API_BASE", problem: format!("{api_base:?} is not an http(s) URL") });
            }
            Ok(PaymentSettings::Stripe { secret_key, webhook_secrets, api_base })
        }
        Some(other) => Err(ConfigError { name: "PAYMENT_PROVIDER", problem: format!("{other:?} is not a provider; use stripe or test") }),
    }
}

/// Limits on every request, whatever the route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    /// `REQUEST_TIMEOUT` (default 30s): a request still unanswered then gets a 408.
    pub timeout: Duration,
    /// `MAX_REQUEST_BODY` in bytes (default 64 KiB): a larger body gets a 413.
    /// The largest form the app takes (guest details) is under 2 KiB.
    pub max_body: usize,
}

impl Default for RequestLimits {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(30), max_body: 64 * 1024 }
    }
}

/// Database connection pool settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    /// Upper bound on open connections per app instance (`DB_MAX_CONNECTIONS`);
    /// `None` picks a default per backend (SQLite 8, PostgreSQL 16).
    pub max_connections: Option<u32>,
    /// How long a request waits for a free connection (`DB_ACQUIRE_TIMEOUT`).
    pub acquire_timeout: Duration,
    /// How long an SQLite writer waits for another to finish (`SQLITE_BUSY_TIMEOUT`).
    pub sqlite_busy_timeout: Duration,
    /// How registerByToken reaches the database (`REGISTRATION_PATH`).
    pub registration_path: RegistrationPath,
}

/// The registration's way to the database. Both leave the same rows
/// (tests/it/registration_paths.rs); `Portable` is the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegistrationPath {
    /// One hop per registration: on SQLite a thread of its own that runs
    /// queued registrations together, on PostgreSQL one statement.
    #[default]
    Fast,
    /// The statements every other write uses, one round trip each.
    Portable,
}

impl std::str::FromStr for RegistrationPath {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "fast" => Ok(Self::Fast),
            "portable" => Ok(Self::Portable),
            other => Err(format!("{other:?} is neither fast nor portable")),
        }
    }
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: None,
            acquire_timeout: Duration::from_secs(10),
            sqlite_busy_timeout: Duration::from_secs(10),
            registration_path: RegistrationPath::Fast,
        }
    }
}

/// How long guest secrets stay valid.
#[derive(Debug, Clone, Copy)]
pub struct TokenPolicy {
    /// A paid basket session may be used to register for this long after payment.
    pub basket_ttl: Duration,
    /// The invoice-scoped token from registration opens the PDF for this long.
    pub invoice_token_ttl: Duration,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        Self {
            basket_ttl: Duration::from_secs(24 * 60 * 60),
            invoice_token_ttl: Duration::from_secs(7 * 24 * 60 * 60),
        }
    }
}

/// How long portal secrets stay valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountPolicy {
    /// The set-your-password link a new customer is emailed (`SET_PASSWORD_LINK_TTL`).
    pub set_password_link_ttl: Duration,
    /// A password-reset link (`RESET_LINK_TTL`).
    pub reset_link_ttl: Duration,
    /// An emailed sign-in link (`SIGN_IN_LINK_TTL`).
    pub sign_in_link_ttl: Duration,
    /// A portal sign-in session (`PORTAL_SESSION_TTL`).
    pub session_ttl: Duration,
    /// An OAuth access token (`ACCESS_TOKEN_TTL`).
    pub access_token_ttl: Duration,
    /// An OAuth refresh token (`REFRESH_TOKEN_TTL`).
    pub refresh_token_ttl: Duration,
    /// A device cookie: how long a browser that signed in keeps rate limits
    /// of its own for that account (`DEVICE_COOKIE_TTL`).
    pub device_ttl: Duration,
}

impl Default for AccountPolicy {
    fn default() -> Self {
        Self {
            set_password_link_ttl: Duration::from_secs(24 * 60 * 60),
            reset_link_ttl: Duration::from_secs(60 * 60),
            sign_in_link_ttl: Duration::from_secs(15 * 60),
            session_ttl: Duration::from_secs(14 * 24 * 60 * 60),
            access_token_ttl: Duration::from_secs(60 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 60 * 60),
            device_ttl: Duration::from_secs(180 * 24 * 60 * 60),
        }
    }
}

/// Where emails go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    /// `SMTP_URL`, e.g. `smtp://user:pass@mail.example.com:587?tls=required`
    /// or `smtps://…:465`. Without it, messages are written as `.eml` files.
    pub smtp_url: Option<String>,
    /// `MAIL_DIR`: where `.eml` files go when there is no SMTP server.
    pub mail_dir: String,
    /// `MAIL_FROM`: the sender address (unset: the seller's name and email
    /// as the shop has them when each message goes out).
    pub from: Option<String>,
    /// `MAIL_POLL_INTERVAL`: how often the outbox worker looks for due messages
    /// (new messages of this instance wake it at once).
    pub poll_interval: Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    name: &'static str,
    problem: String,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/checkout-portal.db";
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:3000";
pub const DEFAULT_MAIL_DIR: &str = "data/mail";

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads configuration through `lookup`, so tests need not touch the real environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let defaults = TokenPolicy::default();
        let duration = |name: &'static str, default: Duration| -> Result<Duration, ConfigError> {
            match lookup(name) {
                None => Ok(default),
                Some(raw) => humantime::parse_duration(raw.trim()).map_err(|e| ConfigError {
                    name,
                    problem: format!("{e}; use a duration such as 24h or 7days"),
                }),
            }
        };
        let currency = match lookup("SELLER_CURRENCY") {
            None => None,
            Some(raw) => Some(raw.parse().map_err(|e: crate::domain::money::UnsupportedCurrency| ConfigError {
                name: "SELLER_CURRENCY",
                problem: e.to_string(),
            })?),
        };
        let count = |name: &'static str, default: usize, least: usize| -> Result<usize, ConfigError> {
            match lookup(name) {
                None => Ok(default),
                Some(raw) => raw.trim().parse().ok().filter(|n: &usize| *n >= least).ok_or(ConfigError {
                    name,
                    problem: format!("{raw:?} is not a whole number of at least {least}"),
                }),
            }
        };
        let hashing_defaults = HashingLimits::default();
        let hashing = HashingLimits {
            workers: count("PASSWORD_HASH_WORKERS", hashing_defaults.workers, 1)?,
            queue: count("PASSWORD_HASH_QUEUE", hashing_defaults.queue, 0)?,
        };
        let account_defaults = AccountPolicy::default();
        let accounts = AccountPolicy {
            set_password_link_ttl: duration("SET_PASSWORD_LINK_TTL", account_defaults.set_password_link_ttl)?,
            reset_link_ttl: duration("RESET_LINK_TTL", account_defaults.reset_link_ttl)?,
            sign_in_link_ttl: duration("SIGN_IN_LINK_TTL", account_defaults.sign_in_link_ttl)?,
            session_ttl: duration("PORTAL_SESSION_TTL", account_defaults.session_ttl)?,
            access_token_ttl: duration("ACCESS_TOKEN_TTL", account_defaults.access_token_ttl)?,
            refresh_token_ttl: duration("REFRESH_TOKEN_TTL", account_defaults.refresh_token_ttl)?,
            device_ttl: duration("DEVICE_COOKIE_TTL", account_defaults.device_ttl)?,
        };
        let seller_email = match lookup("SELLER_EMAIL") {
            None => None,
            Some(raw) => Some(
                raw.parse::<crate::domain::Email>()
                    .map_err(|e| ConfigError { name: "SELLER_EMAIL", problem: e.to_string() })?
                    .as_str()
                    .to_owned(),
            ),
        };
        let smtp_url = lookup("SMTP_URL").map(|url| url.trim().to_owned());
        if let Some(url) = &smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(ConfigError { name: "SMTP_URL", problem: "must start with smtp:// or smtps://".into() });
            }
        }
        let mail = MailSettings {
            smtp_url,
            mail_dir: lookup("MAIL_DIR").unwrap_or_else(|| DEFAULT_MAIL_DIR.to_owned()),
            from: lookup("MAIL_FROM"),
            poll_interval: duration("MAIL_POLL_INTERVAL", Duration::from_secs(2))?,
        };
        let public_url = lookup("PUBLIC_URL")
            .map(|url| url.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| DEFAULT_PUBLIC_URL.to_owned());
        let payments = payment_settings(&lookup, &public_url)?;
        Ok(Self {
            payments,
            hashing,
            account_policy: accounts,
            mail,
            database_url: lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            pool: PoolSettings {
                max_connections: match lookup("DB_MAX_CONNECTIONS") {
                    None => None,
                    Some(raw) => Some(raw.trim().parse().ok().filter(|n: &u32| *n > 0).ok_or(ConfigError {
                        name: "DB_MAX_CONNECTIONS",
                        problem: format!("{raw:?} is not a positive whole number"),
                    })?),
                },
                acquire_timeout: duration("DB_ACQUIRE_TIMEOUT", PoolSettings::default().acquire_timeout)?,
                sqlite_busy_timeout: duration("SQLITE_BUSY_TIMEOUT", PoolSettings::default().sqlite_busy_timeout)?,
                registration_path: match lookup("REGISTRATION_PATH") {
                    None => RegistrationPath::default(),
                    Some(raw) => raw.parse().map_err(|problem| ConfigError { name: "REGISTRATION_PATH", problem })?,
                },
            },
            public_url,
            token_policy: TokenPolicy {
                basket_ttl: duration("BASKET_TOKEN_TTL", defaults.basket_ttl)?,
                invoice_token_ttl: duration("INVOICE_TOKEN_TTL", defaults.invoice_token_ttl)?,
            },
            bench_baseline: lookup("BENCH_BASELINE").is_some_and(|v| v == "1"),
            limits: RequestLimits {
                timeout: duration("REQUEST_TIMEOUT", RequestLimits::default().timeout)?,
                max_body: match lookup("MAX_REQUEST_BODY") {
                    None => RequestLimits::default().max_body,
                    Some(raw) => raw.trim().parse().ok().filter(|n: &usize| *n > 0).ok_or(ConfigError {
                        name: "MAX_REQUEST_BODY",
                        problem: format!("{raw:?} is not a positive number of bytes"),
                    })?,
                },
            },
            trust_forwarded_for: lookup("TRUST_FORWARDED_FOR").is_some_and(|v| v == "1"),
            metrics_addr: match lookup("METRICS_ADDR") {
                None => None,
                Some(raw) => Some(raw.trim().parse().map_err(|_| ConfigError {
                    name: "METRICS_ADDR",
                    problem: format!("{raw:?} is not an IP address and port, such as 127.0.0.1:9100"),
                })?),
            },
            seller: SellerOverrides {
                name: lookup("SELLER_NAME").map(|name| name.trim().to_owned()),
                address_lines: lookup("SELLER_ADDRESS")
                    .map(|raw| raw.split('|').map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect()),
                tax_id: lookup("SELLER_TAX_ID").map(|tax_id| tax_id.trim().to_owned()),
                email: seller_email,
                currency,
            },
            shop_file: lookup("SHOP_FILE").map(|path| std::path::PathBuf::from(path.trim())),
            languages: crate::server::i18n::negotiate::Offer {
                default: match lookup("DEFAULT_LOCALE") {
                    None => crate::domain::locale::Locale::FALLBACK,
                    Some(raw) => raw
                        .parse::<crate::domain::locale::Locale>()
                        .ok()
                        .filter(|locale| !locale.is_pseudo())
                        .ok_or_else(|| ConfigError {
                            name: "DEFAULT_LOCALE",
                            problem: crate::domain::locale::UnsupportedLocale(raw.trim().to_owned()).to_string(),
                        })?,
                },
                pseudo: lookup("PSEUDO_LOCALE").is_some_and(|v| v == "1"),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    fn problem(result: Result<Config, ConfigError>) -> (&'static str, String) {
        let error = result.expect_err("the configuration should be refused");
        (error.name, error.problem)
    }

    #[test]
    fn the_test_provider_is_the_default_but_not_behind_https() {
        assert_eq!(config(&[]).unwrap().payments, PaymentSettings::Test);
        let (name, why) = problem(config(&[("PUBLIC_URL", "https://billing.example.com")]));
        assert_eq!(name, "PAYMENT_PROVIDER");
        assert!(why.contains("ALLOW_TEST_PAYMENTS"), "{why}");
        let demo = config(&[("PUBLIC_URL", "https://demo.example.com"), ("ALLOW_TEST_PAYMENTS", "1")]).unwrap();
        assert_eq!(demo.payments, PaymentSettings::Test);
    }

    #[test]
    fn stripe_needs_its_keys_and_takes_several_webhook_secrets() {
        assert_eq!(problem(config(&[("PAYMENT_PROVIDER", "stripe")])).0, "STRIPE_SECRET_KEY");
        assert_eq!(problem(config(&[("PAYMENT_PROVIDER", "stripe"), ("STRIPE_SECRET_KEY", "pk_test_123")])).0, "STRIPE_SECRET_KEY");
        assert_eq!(problem(config(&[("PAYMENT_PROVIDER", "stripe"), ("STRIPE_SECRET_KEY", "sk_test_1")])).0, "STRIPE_WEBHOOK_SECRET");
        let stripe = config(&[
            ("PAYMENT_PROVIDER", "Stripe"),
            ("STRIPE_SECRET_KEY", "sk_live_abc"),
            ("STRIPE_WEBHOOK_SECRET", " whsec_new , whsec_old,"),
            ("PUBLIC_URL", "https://billing.example.com"),
        ])
        .unwrap();
        assert_eq!(
            stripe.payments,
            PaymentSettings::Stripe {
                secret_key: "sk_live_abc".into(),
                webhook_secrets: vec!["whsec_new".into(), "whsec_old".into()],
                api_base: STRIPE_API.into(),
            }
        );
        assert!(!format!("{:?}", stripe.payments).contains("sk_live_abc"));
        assert!(!format!("{:?}", stripe.payments).contains("whsec_new"));
        assert_eq!(problem(config(&[("PAYMENT_PROVIDER", "paypal")])).0, "PAYMENT_PROVIDER");
    }

    #[test]
    fn defaults_work_without_any_variable() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.token_policy.basket_ttl, Duration::from_secs(86_400));
        assert_eq!(c.token_policy.invoice_token_ttl, Duration::from_secs(7 * 86_400));
        assert_eq!(c.seller, SellerOverrides::default());
        assert_eq!(c.shop_file, None);
        assert_eq!(c.pool, PoolSettings::default());
        assert_eq!(c.account_policy, AccountPolicy::default());
        assert_eq!(c.mail.smtp_url, None);
        assert_eq!(c.mail.mail_dir, DEFAULT_MAIL_DIR);
        assert_eq!(c.mail.from, None, "the shop's seller, when each message goes out");
    }

    #[test]
    fn reads_mail_and_account_settings() {
        let c = config(&[
            ("SMTP_URL", "smtp://127.0.0.1:2525"),
            ("SET_PASSWORD_LINK_TTL", "48h"),
            ("SELLER_NAME", "Dock 5"),
            ("SELLER_EMAIL", "hello@dock5.example"),
        ])
        .unwrap();
        assert_eq!(c.mail.smtp_url.as_deref(), Some("smtp://127.0.0.1:2525"));
        assert_eq!(c.account_policy.set_password_link_ttl, Duration::from_secs(48 * 3600));
        assert_eq!(c.seller.name.as_deref(), Some("Dock 5"));
        assert_eq!(c.seller.email.as_deref(), Some("hello@dock5.example"));
        assert_eq!(config(&[("MAIL_FROM", "Desk <desk@dock5.example>")]).unwrap().mail.from.as_deref(), Some("Desk <desk@dock5.example>"));
        assert_eq!(problem(config(&[("SELLER_EMAIL", "dock5")])).0, "SELLER_EMAIL");
        assert!(config(&[("SMTP_URL", "http://mail")]).unwrap_err().to_string().starts_with("SMTP_URL:"));
    }

    #[test]
    fn reads_pool_settings() {
        let c = config(&[("DB_MAX_CONNECTIONS", "32"), ("DB_ACQUIRE_TIMEOUT", "3s"), ("SQLITE_BUSY_TIMEOUT", "250ms")]).unwrap();
        assert_eq!(c.pool.max_connections, Some(32));
        assert_eq!(c.pool.acquire_timeout, Duration::from_secs(3));
        assert_eq!(c.pool.sqlite_busy_timeout, Duration::from_millis(250));
        assert!(config(&[("DB_MAX_CONNECTIONS", "0")]).unwrap_err().to_string().starts_with("DB_MAX_CONNECTIONS:"));
    }

    #[test]
    fn reads_the_hashing_queue_size() {
        assert_eq!(config(&[]).unwrap().hashing, HashingLimits::default());
        let c = config(&[("PASSWORD_HASH_WORKERS", "3"), ("PASSWORD_HASH_QUEUE", "0")]).unwrap();
        assert_eq!(c.hashing, HashingLimits { workers: 3, queue: 0 });
        let error = config(&[("PASSWORD_HASH_WORKERS", "0")]).unwrap_err().to_string();
        assert!(error.starts_with("PASSWORD_HASH_WORKERS: \"0\" is not a whole number of at least 1"), "{error}");
    }

    #[test]
    fn registration_path_is_fast_unless_told() {
        assert_eq!(config(&[]).unwrap().pool.registration_path, RegistrationPath::Fast);
        assert_eq!(config(&[("REGISTRATION_PATH", "portable")]).unwrap().pool.registration_path, RegistrationPath::Portable);
        let error = config(&[("REGISTRATION_PATH", "quick")]).unwrap_err().to_string();
        assert!(error.starts_with("REGISTRATION_PATH: \"quick\" is neither"), "{error}");
    }

    #[test]
    fn reads_durations_and_seller() {
        let c = config(&[
            ("BASKET_TOKEN_TTL", "2h"),
            ("INVOICE_TOKEN_TTL", "30days"),
            ("SELLER_ADDRESS", "1 Main St | Springfield"),
            ("SELLER_CURRENCY", "usd"),
        ])
        .unwrap();
        assert_eq!(c.token_policy.basket_ttl, Duration::from_secs(7_200));
        assert_eq!(c.token_policy.invoice_token_ttl, Duration::from_secs(30 * 86_400));
        assert_eq!(c.seller.address_lines, Some(vec!["1 Main St".to_owned(), "Springfield".to_owned()]));
        assert_eq!(c.seller.currency, Some(crate::domain::Currency::USD));
        assert_eq!(c.seller.names(), ["SELLER_ADDRESS", "SELLER_CURRENCY"]);
        let c = config(&[("SHOP_FILE", "examples/shop.toml")]).unwrap();
        assert_eq!(c.shop_file.as_deref(), Some(std::path::Path::new("examples/shop.toml")));
    }

    #[test]
    fn metrics_get_their_own_address_only_when_told() {
        assert_eq!(config(&[]).unwrap().metrics_addr, None);
        let c = config(&[("METRICS_ADDR", "127.0.0.1:9100")]).unwrap();
        assert_eq!(c.metrics_addr, Some("127.0.0.1:9100".parse().unwrap()));
        let c = config(&[("METRICS_ADDR", " [::1]:9100 ")]).unwrap();
        assert_eq!(c.metrics_addr, Some("[::1]:9100".parse().unwrap()));
        for bad in ["9100", "localhost:9100", "127.0.0.1", "127.0.0.1:99999"] {
            let error = config(&[("METRICS_ADDR", bad)]).unwrap_err().to_string();
            assert!(error.starts_with(&format!("METRICS_ADDR: {bad:?} is not an IP address and port")), "{error}");
        }
    }

    #[test]
    fn rejects_bad_values_with_the_variable_name() {
        let err = config(&[("BASKET_TOKEN_TTL", "soon")]).unwrap_err();
        assert!(err.to_string().starts_with("BASKET_TOKEN_TTL:"), "{err}");
        let (name, problem) = self::problem(config(&[("DEFAULT_LOCALE", "fr")]));
        assert_eq!((name, problem.as_str()), ("DEFAULT_LOCALE", "`fr` is not a supported language; use one of en, de, ar"));
        assert!(config(&[("DEFAULT_LOCALE", "en-XA")]).is_err());
        let c = config(&[("DEFAULT_LOCALE", " de "), ("PSEUDO_LOCALE", "1")]).unwrap();
        assert_eq!((c.languages.default.tag(), c.languages.pseudo), ("de", true));
        let err = config(&[("SELLER_CURRENCY", "XYZ")]).unwrap_err();
        assert!(err.to_string().starts_with("SELLER_CURRENCY:"), "{err}");
    }
}
