//! The `checkout-portal` server binary: serves the app, or runs an operator command.

#[cfg(feature = "ssr")]
mod cli {
    use std::process::ExitCode;

    use axum::serve::ListenerExt;
    use clap::{Parser, Subcommand};
    use checkout_portal::domain::Email;
    use checkout_portal::server::config::Config;
    use checkout_portal::server::services::purchase::{demo_email, demo_purchase, record_paid_guest_purchase};
    use checkout_portal::server::http::router::app_router;
    use checkout_portal::server::metrics;
    use checkout_portal::server::services::shop::Shop;
    use checkout_portal::server::startup::{build_state, system_clock};
    use leptos::config::get_configuration;

    #[derive(Parser)]
    #[command(name = "checkout-portal", version, about = "Guest checkout completion and customer portal")]
    struct Cli {
        #[command(subcommand)]
        command: Option<Command>,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Serve the web app on LEPTOS_SITE_ADDR (the default command).
        Serve {
            /// Record one demo purchase at start-up and print its completion URL.
            #[arg(long)]
            demo: bool,
        },
        /// The operator's shop file: see what it would change, then apply it.
        Shop {
            #[command(subcommand)]
            command: ShopCommand,
        },
        /// Record a paid guest purchase and print {"InvoiceId", "BasketSession", "CompleteUrl"} as one JSON line.
        DemoCheckout {
            /// The guest's email (default: a fresh guest-…@example.com).
            #[arg(long)]
            email: Option<String>,
            /// The guest's full name.
            #[arg(long, default_value = "Alex Morgan")]
            name: String,
        },
    }

    #[derive(Subcommand)]
    enum ShopCommand {
        /// Check FILE and print what applying it would change. Changes nothing.
        Plan { file: std::path::PathBuf },
        /// Check FILE and apply it in one transaction: products added,
        /// changed and archived, and the seller. The same file twice changes nothing.
        Apply { file: std::path::PathBuf },
    }

    pub async fn run() -> ExitCode {
        let cli = Cli::parse();
        tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
            )
            .with_writer(std::io::stderr)
            .init();
        let result = match cli.command.unwrap_or(Command::Serve { demo: false }) {
            Command::Serve { demo } => serve(demo).await,
            Command::DemoCheckout { email, name } => demo_checkout(email, name).await,
            Command::Shop { command } => shop(command).await,
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("checkout-portal: {message}");
                ExitCode::FAILURE
            }
        }
    }

    async fn serve(demo: bool) -> Result<(), String> {
        let config = Config::from_env().map_err(|e| e.to_string())?;
        let leptos = get_configuration(None).map_err(|e| format!("Leptos configuration: {e}"))?;
        let addr = leptos.leptos_options.site_addr;
        let state = build_state(&config, leptos.leptos_options, system_clock())
            .await
            .map_err(|e| e.to_string())?;
        if demo {
            let clock = system_clock();
            let purchase = demo_purchase(demo_email(), "Alex Morgan", &state.shop.current());
            let paid = record_paid_guest_purchase(&state.db, clock.as_ref(), &config.token_policy, &purchase)
                .await
                .map_err(|e| format!("cannot record the demo purchase: {e}"))?;
            // Printed for the operator on purpose; never logged.
            println!("Demo purchase {} is paid. Finish it as the guest at:", paid.invoice_number);
            println!("  {}{}", config.public_url, paid.complete_url());
        }
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?
            // Responses are written as headers then body; without NODELAY,
            // Nagle plus the client's delayed ACK stalls each one by ~40 ms.
            .tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
        tracing::info!(%addr, "listening");
        // `/metrics` on a private interface, when METRICS_ADDR says where.
        let metrics_server = match config.metrics_addr {
            None => None,
            Some(metrics_addr) => {
                let listener = tokio::net::TcpListener::bind(metrics_addr)
                    .await
                    .map_err(|e| format!("cannot listen on METRICS_ADDR {metrics_addr}: {e}"))?;
                tracing::info!(%metrics_addr, "serving /metrics");
                let router = metrics::private_router(state.clone());
                Some(tokio::spawn(async move {
                    if let Err(error) = axum::serve(listener, router).await {
                        tracing::error!(%error, "the metrics listener stopped");
                    }
                }))
            }
        };
        // Email goes out in the background; every instance may run a worker.
        let outbox = state.outbox.clone();
        let worker = tokio::spawn(state.outbox.clone().run());
        // Expired sessions, links and rate-limit windows are deleted now and then.
        tokio::spawn(state.housekeeping.clone().run());
        tokio::spawn(state.payments.clone().run_sweep());
        // A shop file applied elsewhere (the command line, another instance)
        // reaches this one, and the sessions it took products from close.
        tokio::spawn(state.payments.clone().close_after_applies(state.shop.changes()));
        tokio::spawn(state.shop.clone().watch());
        let app = app_router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        // On SIGTERM or Ctrl-C: stop accepting, let requests in flight finish
        // (each is bounded by REQUEST_TIMEOUT), and let the outbox record the
        // batch in hand, so no message stays claimed.
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                shutdown_signal().await;
                tracing::info!("shutting down: finishing requests in flight and the email batch in hand");
                outbox.stop();
            })
            .await
            .map_err(|e| format!("server error: {e}"));
        // Scrapes answer in milliseconds: nothing to let finish.
        if let Some(metrics_server) = metrics_server {
            metrics_server.abort();
        }
        if tokio::time::timeout(WORKER_SHUTDOWN_GRACE, worker).await.is_err() {
            tracing::warn!("the outbox worker did not stop in time; its claimed messages go out after their lease");
        }
        served
    }

    /// Longer than one batch of email attempts can take.
    const WORKER_SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(40);

    async fn demo_checkout(email: Option<String>, name: String) -> Result<(), String> {
        let config = Config::from_env().map_err(|e| e.to_string())?;
        let email: Email = match email {
            Some(raw) => raw.parse().map_err(|e| format!("--email: {e}"))?,
            None => demo_email(),
        };
        let name = name.trim();
        if name.is_empty() {
            return Err("--name: enter the guest's name".into());
        }
        let db = checkout_portal::server::db::Db::connect(&config.database_url, &config.pool)
            .await
            .map_err(|e| e.to_string())?;
        let shop = Shop::load(db.clone(), system_clock(), config.seller.clone()).await.map_err(|e| format!("cannot read the shop: {e}"))?;
        let purchase = demo_purchase(email, name, &shop.current());
        let paid = record_paid_guest_purchase(&db, system_clock().as_ref(), &config.token_policy, &purchase)
            .await
            .map_err(|e| format!("cannot record the purchase: {e}"))?;
        let line = serde_json::json!({
            "InvoiceId": paid.invoice.get(),
            "BasketSession": paid.basket.to_string(),
            "CompleteUrl": paid.complete_url(),
        });
        println!("{line}");
        Ok(())
    }

    /// `shop plan FILE` and `shop apply FILE`. A file with any problem is
    /// reported in full (file:line:column) and nothing is applied.
    async fn shop(command: ShopCommand) -> Result<(), String> {
        let config = Config::from_env().map_err(|e| e.to_string())?;
        let (path, apply) = match &command {
            ShopCommand::Plan { file } => (file, false),
            ShopCommand::Apply { file } => (file, true),
        };
        let file = checkout_portal::server::shop::file::read(path).map_err(|errors| errors.to_string())?;
        // A plan reads the database as it is; only an apply may migrate it.
        let db = if apply {
            checkout_portal::server::db::Db::connect(&config.database_url, &config.pool).await
        } else {
            checkout_portal::server::db::Db::connect_without_migrating(&config.database_url, &config.pool).await
        }
        .map_err(|e| e.to_string())?;
        let shop = Shop::open(db, system_clock(), config.seller.clone()).await.map_err(|e| format!("cannot read the shop: {e}"))?;
        if apply {
            let plan = shop.apply(&file).await.map_err(|e| format!("{}: {e}; nothing was applied.", path.display()))?;
            println!("{plan}");
            if !plan.is_empty() {
                println!("Applied {}.", path.display());
            }
        } else {
            let plan = shop.plan(&file).await.map_err(|e| format!("{}: {e}; nothing would be applied.", path.display()))?;
            println!("{plan}");
            if !plan.is_empty() {
                println!("Nothing was changed. To make these changes: checkout-portal shop apply {}", path.display());
            }
        }
        Ok(())
    }

    async fn shutdown_signal() {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async {
            if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                signal.recv().await;
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = terminate => {},
        }
    }
}

// Server rendering allocates and frees many small objects per request from
// several threads; mimalloc handles that far better than glibc's allocator
// (measured in BENCHMARKS.md).
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    cli::run().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser bundle starts from `lib.rs`'s `hydrate`; this binary needs `ssr`.
}
