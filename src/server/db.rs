//! Database connection and migrations.
//!
//! The whole query layer is written once against sqlx's `Any` driver with
//! portable SQL (`$1` placeholders, `RETURNING`, `ON CONFLICT`, BIGINT
//! timestamps and TEXT hashes all mean the same on SQLite ≥ 3.35 and
//! PostgreSQL). What really differs is kept here: the schema DDL (one
//! migration directory per backend) and the SQLite connection pragmas.

use std::path::Path;
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use std::sync::Arc;

use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::server::config::{PoolSettings, RegistrationPath};
use crate::server::sqlite_reader::{ReadFailed, SqliteReader};
use crate::server::sqlite_writer::{SqliteWriter, WriterShared};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    /// SQLite allows one writer at a time. Writers of this process queue here,
    /// in order, instead of polling SQLite's busy handler (whose sleeps make
    /// latency spiky); other processes still meet the busy timeout.
    write_gate: Option<Arc<Semaphore>>,
    /// The migrations this build applies, to tell readiness whether the
    /// database has them all.
    migrator: &'static Migrator,
    /// SQLite's registration fast path, unless `REGISTRATION_PATH=portable`
    /// (or the database lives in memory, where no second connection sees it).
    registration_writer: Option<SqliteWriter>,
    /// PostgreSQL's registration fast path: fewer, combined statements.
    fused_postgres_registration: bool,
    /// SQLite files: the hot pages' reads on the calling thread (`read_here`).
    sqlite_reader: Option<Arc<SqliteReader>>,
}

/// How registerByToken reaches this database (see `RegistrationPath`).
pub enum RegistrationRoute<'a> {
    /// SQLite: the whole registration in one hop to the writer thread.
    SqliteWriter(&'a SqliteWriter),
    /// PostgreSQL: a transaction of combined statements (`store::registration::FusedPostgres`).
    FusedPostgres,
    /// The reference: one statement per step.
    Portable,
}

/// A transaction that writes; on SQLite it holds this process's write turn
/// until the transaction has ended, also when it is dropped without a commit.
pub struct WriteTransaction {
    /// `None` once committed.
    tx: Option<sqlx::Transaction<'static, sqlx::Any>>,
    turn: Option<OwnedSemaphorePermit>,
}

impl WriteTransaction {
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        self.tx.take().expect("a transaction is open until committed").commit().await
    }
}

impl Drop for WriteTransaction {
    fn drop(&mut self) {
        // Dropped without a commit (an early return): sqlx only queues the
        // rollback, and the connection keeps SQLite's write lock until it
        // runs. Releasing the turn before that let the next writer find the
        // lock taken and fail at once with "database is locked".
        if let (Some(tx), Some(turn)) = (self.tx.take(), self.turn.take()) {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    if let Err(error) = tx.rollback().await {
                        tracing::warn!(%error, "rolling back an abandoned write failed");
                    }
                    drop(turn);
                });
            }
        }
    }
}

impl std::ops::Deref for WriteTransaction {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        self.tx.as_ref().expect("a transaction is open until committed")
    }
}

impl std::ops::DerefMut for WriteTransaction {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.tx.as_mut().expect("a transaction is open until committed")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got a {0:?} URL)")]
    UnsupportedUrl(String),
    #[error("cannot connect to the database: no answer within {0:?}")]
    ConnectTimeout(std::time::Duration),
    #[error("cannot prepare {path}: {source}")]
    Directory { path: String, source: std::io::Error },
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the database lacks {0} migration(s) of this version; start the server (or run `shop apply`) once to bring it up to date")]
    Outdated(usize),
}

/// Whether connecting brings the schema up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Migrate {
    /// Apply pending migrations (creating an SQLite file if there is none).
    Yes,
    /// Touch nothing: the database must exist and be up to date (`shop plan`).
    No,
}

impl Db {
    /// Connects (creating an SQLite file and its directory if needed) and
    /// applies pending migrations.
    pub async fn connect(url: &str, settings: &PoolSettings) -> Result<Self, DbError> {
        Self::open(url, settings, Migrate::Yes).await
    }

    /// Connects to an existing, up-to-date database and writes nothing: for
    /// commands that only read, such as `shop plan`.
    pub async fn connect_without_migrating(url: &str, settings: &PoolSettings) -> Result<Self, DbError> {
        Self::open(url, settings, Migrate::No).await
    }

    async fn open(url: &str, settings: &PoolSettings, migrate: Migrate) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalize_url(url)?;
        // Without migrating, an SQLite file that is not there is not made.
        let url = if migrate == Migrate::No { url.replace("mode=rwc", "mode=rw") } else { url };
        if backend == Backend::Sqlite && migrate == Migrate::Yes {
            ensure_sqlite_directory(&url)?;
        }
        let options = AnyConnectOptions::from_str(&url).map_err(DbError::Connect)?;
        // One direct connection first: the pool would report any failure as a
        // bare timeout, while this surfaces the cause (refused, auth, no such database).
        let probe = tokio::time::timeout(settings.acquire_timeout, AnyConnection::connect_with(&options))
            .await
            .map_err(|_| DbError::ConnectTimeout(settings.acquire_timeout))?
            .map_err(DbError::Connect)?;
        let _ = probe.close().await;
        let pragmas = sqlite_pragmas(settings);
        let pool = AnyPoolOptions::new()
            .max_connections(settings.max_connections.unwrap_or(match backend {
                // SQLite serialises writers anyway; a few connections let readers proceed.
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            }))
            .acquire_timeout(settings.acquire_timeout)
            // A pooled SQLite connection is an open file in this process: it
            // cannot go stale, and pinging it costs a round trip to its worker
            // thread on every acquire. A PostgreSQL connection can be dropped
            // by the server, so it is checked before use.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                let pragmas = pragmas.clone();
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in pragmas.iter() {
                            conn.execute(pragma.as_str()).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        let migrator = match backend {
            Backend::Postgres => &POSTGRES_MIGRATIONS,
            Backend::Sqlite => &SQLITE_MIGRATIONS,
        };
        match (migrate, backend) {
            // sqlx takes an advisory lock, so instances starting together migrate once.
            (Migrate::Yes, Backend::Postgres) => POSTGRES_MIGRATIONS.run(&pool).await?,
            // SQLite has no such lock: processes sharing the file take turns on a lock file.
            (Migrate::Yes, Backend::Sqlite) => {
                let _turn = sqlite_migration_lock(&url)?;
                SQLITE_MIGRATIONS.run(&pool).await?;
            }
            (Migrate::No, _) => {
                let mut conn = pool.acquire().await.map_err(DbError::Connect)?;
                let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                    .fetch_all(&mut *conn)
                    .await
                    .unwrap_or_default();
                let pending = migrator.iter().filter(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version)).count();
                if pending > 0 {
                    return Err(DbError::Outdated(pending));
                }
            }
        }
        let write_gate = (backend == Backend::Sqlite).then(|| Arc::new(Semaphore::new(1)));
        // A second connection must reach the same database (and the writer write to it).
        let shareable_file = !url.contains("mode=memory") && !url.contains("mode=ro");
        let registration_writer = match (&write_gate, sqlite_path(&url), settings.registration_path) {
            (Some(gate), Some(path), RegistrationPath::Fast) if shareable_file => {
                let shared = WriterShared { write_gate: gate.clone(), pool: pool.clone() };
                let writer = SqliteWriter::start(path, &sqlite_pragmas(settings), settings.sqlite_busy_timeout, shared)
                    .map_err(|error| DbError::Connect(sqlx::Error::Configuration(error.to_string().into())))?;
                Some(writer)
            }
            _ => None,
        };
        let fused_postgres_registration = backend == Backend::Postgres && settings.registration_path == RegistrationPath::Fast;
        let sqlite_reader = match sqlite_path(&url) {
            Some(path) if backend == Backend::Sqlite && shareable_file => Some(Arc::new(
                SqliteReader::open(path, pool.clone()).map_err(|error| DbError::Connect(sqlx::Error::Configuration(error.to_string().into())))?,
            )),
            _ => None,
        };
        Ok(Self { pool, write_gate, migrator, registration_writer, fused_postgres_registration, sqlite_reader })
    }

    /// The thread that runs SQLite registrations in one hop, if this
    /// database has one (see `RegistrationPath`).
    pub fn registration_writer(&self) -> Option<&SqliteWriter> {
        self.registration_writer.as_ref()
    }

    /// Runs `read` on this thread, if this database is an SQLite file (see
    /// `server::sqlite_reader`). `None`: read through the pool instead.
    pub fn read_here<T>(&self, read: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>) -> Result<Option<T>, ReadFailed> {
        let Some(reader) = &self.sqlite_reader else { return Ok(None) };
        match reader.read(read) {
            Ok(answer) => Ok(Some(answer)),
            Err(ReadFailed::Busy) => Ok(None),
            Err(error) => Err(error),
        }
    }

    #[cfg(test)]
    pub fn sqlite_reader(&self) -> Option<&SqliteReader> {
        self.sqlite_reader.as_deref()
    }

    pub fn registration_route(&self) -> RegistrationRoute<'_> {
        match &self.registration_writer {
            Some(writer) => RegistrationRoute::SqliteWriter(writer),
            None if self.fused_postgres_registration => RegistrationRoute::FusedPostgres,
            None => RegistrationRoute::Portable,
        }
    }
}

/// Every SQLite connection's settings, pooled or the registration writer's.
/// WAL lets readers run beside the writer; NORMAL is durable across
/// application crashes in WAL mode; the busy timeout makes concurrent
/// writers (also from other processes) wait instead of failing. Temporary
/// storage in memory: the registration writer gives each job a savepoint,
/// and with temporary files SQLite created (and deleted) a file for every
/// one, a quarter of the writer's time in `open` (BENCHMARKS.md).
fn sqlite_pragmas(settings: &PoolSettings) -> Arc<[String]> {
    [
        "PRAGMA journal_mode = WAL".to_owned(),
        "PRAGMA synchronous = NORMAL".to_owned(),
        format!("PRAGMA busy_timeout = {}", settings.sqlite_busy_timeout.as_millis()),
        "PRAGMA foreign_keys = ON".to_owned(),
        format!("PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}"),
        "PRAGMA temp_store = MEMORY".to_owned(),
    ]
    .into()
}

/// WAL pages after which a commit also checkpoints (copies the WAL into the
/// database file). That commit holds the write turn meanwhile, so every
/// writer queued behind it waits. SQLite's default of 1000 pages stalled
/// registrations for 5–10 ms about every 100 ms under load; a quarter of that
/// keeps each stall to a millisecond or two at no measured cost in
/// throughput (BENCHMARKS.md).
const WAL_CHECKPOINT_PAGES: u32 = 250;

impl Db {
    /// How many of this build's migrations the database has not applied
    /// (another instance may have rolled the schema back, or a restore an old copy).
    pub async fn pending_migrations(&self, conn: &mut AnyConnection) -> Result<usize, sqlx::Error> {
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(conn).await?;
        Ok(self.migrator.iter().filter(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version)).count())
    }

    /// Begins a transaction that will write.
    pub async fn begin_write(&self) -> Result<WriteTransaction, sqlx::Error> {
        let turn = match &self.write_gate {
            Some(gate) => Some(gate.clone().acquire_owned().await.map_err(|_| sqlx::Error::PoolClosed)?),
            None => None,
        };
        Ok(WriteTransaction { tx: Some(self.pool.begin().await?), turn })
    }
}

/// Picks the backend and makes SQLite URLs create their file on first use.
fn normalize_url(url: &str) -> Result<(Backend, String), DbError> {
    if url.starts_with("sqlite:") {
        let url = if url.contains("mode=") {
            url.to_owned()
        } else if url.contains('?') {
            format!("{url}&mode=rwc")
        } else {
            format!("{url}?mode=rwc")
        };
        Ok((Backend::Sqlite, url))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok((Backend::Postgres, url.to_owned()))
    } else {
        // Only the scheme: the rest may hold a password.
        let scheme = url.split_once(':').map_or("unknown", |(scheme, _)| scheme);
        Err(DbError::UnsupportedUrl(scheme.to_owned()))
    }
}

/// The database file of an SQLite URL; `None` for in-memory databases.
fn sqlite_path(url: &str) -> Option<&Path> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| Path::new(path))
}

/// An exclusive lock on `<database>.migrate.lock`, released when dropped.
fn sqlite_migration_lock(url: &str) -> Result<Option<std::fs::File>, DbError> {
    let Some(path) = sqlite_path(url) else {
        return Ok(None);
    };
    let lock_path = format!("{}.migrate.lock", path.display());
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .and_then(|file| file.lock().map(|()| file))
        .map_err(|source| DbError::Directory { path: lock_path, source })?;
    Ok(Some(file))
}

fn ensure_sqlite_directory(url: &str) -> Result<(), DbError> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir).map_err(|source| DbError::Directory {
            path: dir.display().to_string(),
            source,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_gain_create_mode() {
        assert_eq!(normalize_url("sqlite://data/x.db").unwrap(), (Backend::Sqlite, "sqlite://data/x.db?mode=rwc".into()));
        assert_eq!(normalize_url("sqlite://x.db?cache=shared").unwrap().1, "sqlite://x.db?cache=shared&mode=rwc");
        assert_eq!(normalize_url("sqlite://x.db?mode=ro").unwrap().1, "sqlite://x.db?mode=ro");
    }

    #[tokio::test]
    async fn every_pooled_sqlite_connection_gets_the_pragmas() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("pragmas.db").display());
        let settings = crate::server::config::PoolSettings { max_connections: Some(2), ..Default::default() };
        let db = Db::connect(&url, &settings).await.unwrap();
        // Two connections held at once: both went through `after_connect`.
        let mut connections = vec![db.pool.acquire().await.unwrap(), db.pool.acquire().await.unwrap()];
        for conn in &mut connections {
            assert_eq!(pragma(conn, "journal_mode").await, "wal");
            assert_eq!(pragma(conn, "synchronous").await, "1", "NORMAL");
            assert_eq!(pragma(conn, "foreign_keys").await, "1");
            assert_eq!(pragma(conn, "wal_autocheckpoint").await, WAL_CHECKPOINT_PAGES.to_string());
            assert_eq!(pragma(conn, "busy_timeout").await, settings.sqlite_busy_timeout.as_millis().to_string());
            assert_eq!(pragma(conn, "temp_store").await, "2", "MEMORY");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_dropped_without_commit_keeps_the_turn_until_rolled_back() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("abandoned.db").display());
        let db = Db::connect(&url, &PoolSettings::default()).await.unwrap();
        sqlx::query("CREATE TABLE notes (n INTEGER)").execute(&db.pool).await.unwrap();
        // Busy threads, as on a loaded server: the abandoned connection's
        // rollback then often runs only after the next writer has started.
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let spinners: Vec<_> = (0..4)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || while !stop.load(std::sync::atomic::Ordering::Relaxed) { std::hint::spin_loop() })
            })
            .collect();
        for n in 0..200 {
            let mut abandoned = db.begin_write().await.unwrap();
            sqlx::query("INSERT INTO notes (n) VALUES ($1)").bind(n).execute(&mut *abandoned).await.unwrap();
            drop(abandoned); // an early return
            // The next writer reads first, then writes: on a connection of its
            // own, which fails at once if the abandoned one still holds the lock.
            let mut next = db.begin_write().await.unwrap();
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notes").fetch_one(&mut *next).await.unwrap();
            sqlx::query("INSERT INTO notes (n) VALUES ($1)").bind(-1).execute(&mut *next).await.unwrap_or_else(|e| panic!("round {n}: {e}"));
            next.commit().await.unwrap();
            assert_eq!(count, n);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        spinners.into_iter().for_each(|spinner| spinner.join().unwrap());
    }

    async fn pragma(conn: &mut AnyConnection, name: &str) -> String {
        use sqlx::Row;
        let row = sqlx::query(&format!("PRAGMA {name}")).fetch_one(conn).await.unwrap();
        row.try_get::<String, _>(0).or_else(|_| row.try_get::<i64, _>(0).map(|n| n.to_string())).unwrap()
    }

    #[test]
    fn postgres_and_unknown_schemes() {
        assert_eq!(normalize_url("postgres://localhost/test").unwrap().0, Backend::Postgres);
        assert!(matches!(normalize_url("mysql://localhost/x"), Err(DbError::UnsupportedUrl(_))));
    }
}
