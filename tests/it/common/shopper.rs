//! A shopper's browser on the checkout's server functions: it keeps the
//! basket cookie between calls, as the pages do.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

use super::{Reply, TestApp};

/// An absolute URL of the app under test (its PUBLIC_URL), as a path and query.
pub fn on_this_app(url: &str) -> &str {
    url.strip_prefix("http://127.0.0.1:3000").unwrap_or(url)
}

pub const DAY_PASS: i64 = 1;
pub const MEETING_ROOM: i64 = 2;
pub const VISA_OK: &str = "4242424242424242";
pub const VISA_DECLINED: &str = "4000000000000002";

/// A browser: it keeps the basket cookie between calls.
pub struct Shopper<'a> {
    pub app: &'a TestApp,
    /// `basket_session=…`, as the browser sends it.
    pub cookie: Option<String>,
}

impl<'a> Shopper<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, cookie: None }
    }

    pub async fn call(&mut self, endpoint: &str, body: &str) -> Reply {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(format!("/checkout/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let reply = self.app.send(request.body(Body::from(body.to_owned())).unwrap()).await;
        self.keep_cookies(&reply);
        reply
    }

    /// Keeps the cookies a reply sets (and forgets those it clears), as a
    /// browser's jar does: `cookie` is the `Cookie` header it sends.
    fn keep_cookies(&mut self, reply: &Reply) {
        let mut jar: Vec<(String, String)> = self
            .cookie
            .iter()
            .flat_map(|header| header.split("; "))
            .filter_map(|pair| pair.split_once('=').map(|(name, value)| (name.to_owned(), value.to_owned())))
            .collect();
        for set in reply.headers.get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let (name, value) = set.split(';').next().unwrap().split_once('=').unwrap();
            jar.retain(|(kept, _)| kept != name);
            if !set.contains("Max-Age=0") {
                jar.push((name.to_owned(), value.to_owned()));
            }
        }
        let header = jar.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ");
        self.cookie = (!header.is_empty()).then_some(header);
    }


    pub async fn add(&mut self, product_id: i64, quantity: u32) -> Reply {
        self.call("add", &format!("product_id={product_id}&quantity={quantity}")).await
    }

    pub async fn details(&mut self) -> Reply {
        self.call(
            "details",
            "name=Sam+Shopper&email=sam%40example.com&address=Damrak+1&city=Amsterdam&postcode=1012+LG&country=NL",
        )
        .await
    }

    /// Pays the basket with payment form `attempt` as a browser does: the
    /// pay server function, the test provider's hosted page with `card`,
    /// and back through the return URL. The last reply: the return's 303
    /// (to checkout-complete when paid), or the first step that refused.
    pub async fn pay(&mut self, attempt: &str, card: &str) -> Reply {
        let started = self.start_payment(attempt).await;
        if started.status != StatusCode::OK {
            return started;
        }
        let page = self.hosted_page(attempt).await;
        let paid = self.pay_on_page(&page, card).await;
        if paid.status != StatusCode::SEE_OTHER {
            return paid;
        }
        let back = paid.header("location").to_owned();
        self.come_back(&back).await
    }

    /// The pay server function: 200 with `location` the hand-off page, or a
    /// refusal. Sends the total as the payment page would show it now.
    pub async fn start_payment(&mut self, attempt: &str) -> Reply {
        let shown = self.call("basket", "").await;
        let priced_as = if shown.status == StatusCode::OK { shown.json()["priced_as"].as_str().unwrap_or("").to_owned() } else { String::new() };
        self.start_payment_priced_as(attempt, &priced_as).await
    }

    /// The pay server function with the payment page's `priced_as` as given.
    pub async fn start_payment_priced_as(&mut self, attempt: &str, priced_as: &str) -> Reply {
        self.call("pay", &format!("attempt={attempt}&priced_as={}", priced_as.replace(':', "%3A"))).await
    }

    /// The hosted page the hand-off page links to, as an absolute URL.
    pub async fn hosted_page(&mut self, attempt: &str) -> String {
        let reply = self.call("handoff", &format!("attempt={attempt}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        reply.json().as_str().expect("the hosted page's URL").to_owned()
    }

    /// Posts a card to the test provider's hosted page, as its form does.
    pub async fn pay_on_page(&mut self, hosted_page: &str, card: &str) -> Reply {
        let path = on_this_app(hosted_page);
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("card_number={card}&expiry=12%2F34&cvc=123")))
            .unwrap();
        self.app.send(request).await
    }

    /// Follows the hosted page's redirect back to the app (the return URL),
    /// with this browser's cookie; a cleared basket cookie is forgotten.
    pub async fn come_back(&mut self, url: &str) -> Reply {
        let mut request = Request::builder().method(Method::GET).uri(on_this_app(url));
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let reply = self.app.send(request.body(Body::empty()).unwrap()).await;
        self.keep_cookies(&reply);
        reply
    }

    /// A page, as this browser loads it (with its cookie).
    pub async fn get(&mut self, uri: &str) -> Reply {
        let mut request = Request::builder().method(Method::GET).uri(uri);
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let reply = self.app.send(request.body(Body::empty()).unwrap()).await;
        self.keep_cookies(&reply);
        reply
    }

    pub async fn basket(&mut self) -> serde_json::Value {
        let reply = self.call("basket", "").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        reply.json()
    }

    /// Pays with a freshly rendered payment form.
    pub async fn pay_fresh(&mut self, card: &str) -> Reply {
        let attempt = self.attempt().await;
        self.pay(&attempt, card).await
    }

    pub async fn attempt(&mut self) -> String {
        self.call("attempt", "").await.json().as_str().unwrap().to_owned()
    }
}

