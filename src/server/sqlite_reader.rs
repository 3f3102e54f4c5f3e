//! SQLite reads without a thread hop: the hot pages' reads (the catalogue,
//! checkout-complete's status, a shopper's basket) run on the calling
//! thread, on a connection of this process's own.
//!
//! Through sqlx, a read is handed to the connection's worker thread and its
//! rows handed back, and the connection is pinged in a task of its own when
//! it returns to the pool: several thread hops for a lookup that SQLite
//! answers in microseconds. Those hops were most of what a page with one
//! query cost beyond its render (BENCHMARKS.md).
//!
//! Running on the calling thread is safe because a read does not wait here:
//! in WAL mode readers do not wait for the writer, and these connections
//! have no busy timeout. In the rare case SQLite does answer "busy" (a
//! process recovering the log after a crash), the caller falls back to the
//! pool, which waits without holding up a runtime thread (`Db::read_here`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, ErrorCode, OpenFlags};

/// The read connections of one database file.
pub struct SqliteReader {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// Idle connections kept for reuse. A read does not wait, so no more are
    /// in use at once than threads run reads (the runtime's workers, one per
    /// core); this only bounds what stays open.
    max_idle: usize,
    /// Closed with the pool: the app is stopping, or a test took the
    /// database away, and reads must fail as sqlx's would.
    pool: sqlx::AnyPool,
}

impl std::fmt::Debug for SqliteReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteReader")
    }
}

/// Why a read on this thread gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum ReadFailed {
    /// SQLite would have had to wait: read through the pool instead.
    #[error("the SQLite database is busy")]
    Busy,
    #[error("the database pool is closed")]
    Closed,
    /// Built only by `failed`, which tells "busy" apart: no `From`, so a `?`
    /// cannot turn a busy answer into a failure.
    #[error("SQLite read failed: {0}")]
    Sqlite(#[source] rusqlite::Error),
}

impl SqliteReader {
    /// Read connections to the file at `path`, opened as needed. The first
    /// is opened now and reads the schema, so an unreadable file fails at start.
    pub fn open(path: &Path, pool: sqlx::AnyPool) -> Result<Self, rusqlite::Error> {
        let first = connect(path)?;
        first.query_row("SELECT COUNT(*) FROM sqlite_master", [], |_| Ok(()))?;
        let max_idle = std::thread::available_parallelism().map_or(8, |cores| 2 * cores.get());
        Ok(Self { path: path.to_owned(), idle: Mutex::new(vec![first]), max_idle, pool })
    }

    /// Runs `read` on an idle connection (or a new one), on this thread.
    pub fn read<T>(&self, read: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, ReadFailed> {
        if self.pool.is_closed() {
            return Err(ReadFailed::Closed);
        }
        let conn = match self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop() {
            Some(conn) => conn,
            None => connect(&self.path).map_err(failed)?,
        };
        let result = read(&conn);
        // A read that left no transaction open and no statement unfinished
        // (which would keep its snapshot) leaves the connection as good as new.
        if conn.is_autocommit() && !conn.is_busy() {
            let mut idle = self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if idle.len() < self.max_idle {
                idle.push(conn);
            }
        }
        result.map_err(failed)
    }
}

fn failed(error: rusqlite::Error) -> ReadFailed {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => ReadFailed::Busy,
        _ => ReadFailed::Sqlite(error),
    }
}

fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    // Never sleep on this thread: "busy" goes to the pool (see above).
    conn.busy_timeout(std::time::Duration::ZERO)?;
    // These connections only read; a write through one would be a bug.
    conn.pragma_update(None, "query_only", true)?;
    conn.set_prepared_statement_cache_capacity(16);
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::config::PoolSettings;
    use crate::server::db::Db;

    async fn database() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("reader.db").display());
        let db = Db::connect(&url, &PoolSettings::default()).await.unwrap();
        sqlx::query("CREATE TABLE notes (n INTEGER NOT NULL)").execute(&db.pool).await.unwrap();
        (dir, db)
    }

    fn count(conn: &Connection) -> rusqlite::Result<i64> {
        conn.query_row("SELECT COUNT(*) FROM notes", [], |row| row.get(0))
    }

    #[tokio::test]
    async fn reads_see_what_the_pool_committed_and_reuse_their_connection() {
        let (_dir, db) = database().await;
        let reader = db.sqlite_reader().unwrap();
        assert_eq!(reader.read(count).unwrap(), 0);
        sqlx::query("INSERT INTO notes (n) VALUES (1), (2)").execute(&db.pool).await.unwrap();
        assert_eq!(reader.read(count).unwrap(), 2);
        assert_eq!(reader.idle.lock().unwrap().len(), 1, "one reader at a time needs one connection");
    }

    #[tokio::test]
    async fn reads_do_not_wait_for_a_writer() {
        let (_dir, db) = database().await;
        let reader = db.sqlite_reader().unwrap();
        // Another writer has written but not committed: the read sees the
        // last commit, at once.
        let mut write = db.begin_write().await.unwrap();
        sqlx::query("INSERT INTO notes (n) VALUES (1)").execute(&mut *write).await.unwrap();
        assert_eq!(reader.read(count).unwrap(), 0);
        write.commit().await.unwrap();
        assert_eq!(reader.read(count).unwrap(), 1);
    }

    #[tokio::test]
    async fn busy_sends_the_read_to_the_pool() {
        let (_dir, db) = database().await;
        let busy = || rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None);
        assert!(matches!(db.sqlite_reader().unwrap().read(|_| Err::<(), _>(busy())), Err(ReadFailed::Busy)));
        assert!(matches!(db.read_here(|_| Err::<(), _>(busy())), Ok(None)), "the caller reads through the pool");
        let failure = db.read_here(|conn| conn.query_row("SELECT nothing FROM notes", [], |_| Ok(())));
        assert!(matches!(failure, Err(ReadFailed::Sqlite(_))), "other errors are errors: {failure:?}");
    }

    #[tokio::test]
    async fn the_connections_cannot_write() {
        let (_dir, db) = database().await;
        let reader = db.sqlite_reader().unwrap();
        let write = reader.read(|conn| conn.execute("INSERT INTO notes (n) VALUES (1)", []));
        assert!(matches!(write, Err(ReadFailed::Sqlite(_))), "{write:?}");
    }

    #[tokio::test]
    async fn a_closed_pool_fails_reads() {
        let (_dir, db) = database().await;
        let reader = db.sqlite_reader().unwrap();
        db.pool.close().await;
        assert!(matches!(reader.read(count), Err(ReadFailed::Closed)));
    }
}
