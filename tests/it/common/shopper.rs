//! A shopper's browser on the checkout's server functions: it keeps the
//! basket cookie between calls, as the pages do.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

use super::{Reply, TestApp};

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
        if let Some(set) = reply.headers.get("set-cookie") {
            self.cookie = Some(set.to_str().unwrap().split(';').next().unwrap().to_owned());
        }
        reply
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

    pub async fn pay(&mut self, attempt: &str, card: &str) -> Reply {
        self.call("pay", &format!("attempt={attempt}&card_number={card}&expiry=12%2F34&cvc=123")).await
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

