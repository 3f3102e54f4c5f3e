//! Copies SQLite's write-ahead log into the database file from a thread of
//! its own. With SQLite's automatic checkpoints, the commit that crosses the
//! threshold does the copying and its `fsync`s itself, while it holds the
//! single write turn: under load the registration writer spent about a third
//! of its time waiting for the disk there (BENCHMARKS.md). A passive
//! checkpoint on another connection takes no write lock, so commits go on
//! appending to the log meanwhile.

use std::path::Path;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

/// How often the log is copied over. Under load a few hundred registrations'
/// pages collect in between; idle, a checkpoint with nothing to copy is a
/// read of the log's index.
const INTERVAL: Duration = Duration::from_millis(50);

/// Log pages (4 KiB each) beyond which the log is brought back to empty.
/// A passive checkpoint copies what was committed when it began, but under
/// sustained writes the log never ends fully copied, so SQLite never starts
/// it over and the file would grow for as long as the load lasts. Past this,
/// the checkpointer takes this process's write turn to finish the copy and
/// start the log over (its file is then overwritten from the start): a stall of a few milliseconds every few thousand
/// registrations under load (BENCHMARKS.md).
const LOG_LIMIT_PAGES: i64 = 4096;

/// Keeps the checkpointer running; it stops (after one last checkpoint)
/// once every clone of this is dropped, with the database handle.
#[derive(Debug, Clone)]
pub struct Checkpointer {
    _running: mpsc::SyncSender<()>,
}

impl Checkpointer {
    pub fn start(path: &Path, busy_timeout: Duration, write_gate: Arc<Semaphore>) -> rusqlite::Result<Self> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        conn.busy_timeout(busy_timeout)?;
        let runtime = tokio::runtime::Handle::current();
        let (running, stopped) = mpsc::sync_channel(0);
        std::thread::Builder::new()
            .name("sqlite-checkpointer".into())
            .spawn(move || loop {
                let last = matches!(stopped.recv_timeout(INTERVAL), Err(mpsc::RecvTimeoutError::Disconnected));
                if let Err(error) = checkpoint(&conn, &write_gate, &runtime) {
                    tracing::warn!(%error, "copying the write-ahead log into the database failed; retrying");
                }
                if last {
                    return;
                }
            })
            .map_err(|error| rusqlite::Error::ToSqlConversionFailure(Box::new(error)))?;
        Ok(Self { _running: running })
    }
}

/// A passive checkpoint, which copies what no reader still needs and waits
/// for no one; then, if the log has grown past `LOG_LIMIT_PAGES`, one that
/// starts it over, inside the write turn.
fn checkpoint(conn: &Connection, write_gate: &Arc<Semaphore>, runtime: &tokio::runtime::Handle) -> rusqlite::Result<()> {
    let (log, copied) = run(conn, "PRAGMA wal_checkpoint(PASSIVE)")?;
    // Copied whole, the log starts over with the next commit by itself.
    if log > LOG_LIMIT_PAGES && copied < log {
        // Closed only when the database is going away.
        if let Ok(_turn) = runtime.block_on(write_gate.clone().acquire_owned()) {
            run(conn, "PRAGMA wal_checkpoint(RESTART)")?;
        }
    }
    Ok(())
}

/// Runs a checkpoint: the log's size and how much of it is copied, in pages.
fn run(conn: &Connection, sql: &str) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(sql, [], |row| Ok((row.get(1)?, row.get(2)?)))
}

#[cfg(test)]
mod tests {
    use crate::server::config::PoolSettings;
    use crate::server::db::Db;

    async fn file_sizes(path: &std::path::Path) -> (u64, u64) {
        let size = |suffix: &str| std::fs::metadata(format!("{}{suffix}", path.display())).map_or(0, |m| m.len());
        (size(""), size("-wal"))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn commits_leave_the_copying_to_the_checkpointer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("checkpoints.db");
        let db = Db::connect(&format!("sqlite://{}", path.display()), &PoolSettings::default()).await.unwrap();
        sqlx::query("CREATE TABLE blobs (b BLOB NOT NULL)").execute(&db.pool).await.unwrap();
        let (before, _) = file_sizes(&path).await;
        // 24 MiB in one transaction: more than the log may keep.
        let mut tx = db.begin_write().await.unwrap();
        for _ in 0..24 {
            sqlx::query("INSERT INTO blobs (b) VALUES (zeroblob(1048576))").execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
        let (after_commit, log) = file_sizes(&path).await;
        assert!(log > 24 << 20, "the commit went to the log: {log} bytes");
        assert!(after_commit < before + (1 << 20), "and the commit copied none of it: {before} → {after_commit} bytes");
        let mut waited = 0;
        loop {
            let (database, _) = file_sizes(&path).await;
            if database > 24 << 20 {
                break;
            }
            waited += 1;
            assert!(waited < 100, "within 5 s the checkpointer copies the log into the database ({database} bytes)");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        // Copied whole, the log starts over with the next commit.
        sqlx::query("INSERT INTO blobs (b) VALUES (zeroblob(16))").execute(&db.pool).await.unwrap();
        let (_, log_pages, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&db.pool).await.unwrap();
        assert!(log_pages < 16, "the log started over: {log_pages} pages");
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM blobs").fetch_one(&db.pool).await.unwrap();
        assert_eq!(rows, 25);
    }
}
