//! The SQLite registration fast path's engine: one thread with its own
//! connection that runs queued write jobs, several to a transaction.
//!
//! Through sqlx, every statement is handed to the connection's worker thread
//! and its answer handed back, so a registration of ten statements is twenty
//! thread hops, all taken while SQLite's single write turn is held; those
//! hops, not SQL, were its cost (BENCHMARKS.md). Here a job is handed over
//! once and runs its statements on the thread that owns the connection.
//! Jobs that queue up meanwhile share one transaction (group commit), each in
//! a savepoint of its own, so one job's failure undoes only its own writes.
//! Callers are answered only after the commit: an answer never reports
//! writes that could still be rolled back.

use std::fmt;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{mpsc, oneshot, Semaphore};

/// Jobs in one transaction at most: enough to amortise the commit, few
/// enough that a batch holds the write turn for a few milliseconds.
const MAX_BATCH: usize = 64;

/// The write could not be done; nothing of it was kept.
#[derive(Debug)]
pub struct WriteFailed(String);

impl fmt::Display for WriteFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SQLite write failed: {}", self.0)
    }
}

impl From<rusqlite::Error> for WriteFailed {
    fn from(error: rusqlite::Error) -> Self {
        Self(error.to_string())
    }
}

/// A handle to the writer thread; clones share it. The thread ends when the
/// last handle is dropped.
#[derive(Clone)]
pub struct SqliteWriter {
    jobs: mpsc::UnboundedSender<Box<dyn Job>>,
}

impl fmt::Debug for SqliteWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SqliteWriter")
    }
}

/// What the writer thread shares with the rest of the process.
pub struct WriterShared {
    /// The process's write turn (`Db::begin_write` takes the same one), held
    /// for each batch so that sqlx writers and this thread never meet
    /// SQLite's busy handler; other processes still do.
    pub write_gate: Arc<Semaphore>,
    /// Closed with the pool: the app is stopping, or a test took the
    /// database away, and writes must fail as sqlx's would.
    pub pool: sqlx::AnyPool,
}

impl SqliteWriter {
    /// Opens a connection to the database file with the pool's settings
    /// (`pragmas`) and starts the thread.
    pub fn start(path: &Path, pragmas: &[String], busy_timeout: Duration, shared: WriterShared) -> Result<Self, WriteFailed> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        for pragma in pragmas {
            // Some pragmas answer with a row (journal_mode), others not.
            conn.query_row(pragma, [], |_| Ok(())).or_else(|error| match error {
                rusqlite::Error::QueryReturnedNoRows => Ok(()),
                error => Err(error),
            })?;
        }
        conn.busy_timeout(busy_timeout)?;
        // Every statement of a registration stays prepared.
        conn.set_prepared_statement_cache_capacity(64);
        let runtime = tokio::runtime::Handle::current();
        let (jobs, queue) = mpsc::unbounded_channel();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run_batches(conn, queue, shared, runtime))
            .map_err(|error| WriteFailed(format!("cannot start the writer thread: {error}")))?;
        Ok(Self { jobs })
    }

    /// Runs `work` on the writer's connection inside a transaction. `Ok`
    /// keeps its writes, `Err` undoes them (and only them). The outer result
    /// is `Err` when the transaction could not be committed, or the job
    /// could not run: then nothing it wrote was kept.
    pub async fn run<T, E, F>(&self, work: F) -> Result<Result<T, E>, WriteFailed>
    where
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Pending { work: Some(work), outcome: None, reply };
        self.jobs.send(Box::new(job)).map_err(|_| WriteFailed("the writer thread has stopped".into()))?;
        // The writer always answers; a dropped reply means its thread is gone.
        answer.await.unwrap_or_else(|_| Err(WriteFailed("the writer thread has stopped".into())))
    }
}

/// A queued job, type-erased for the queue.
trait Job: Send {
    /// Its caller has gone (the request was abandoned): it must not run.
    fn abandoned(&self) -> bool;
    /// Runs the work; true to keep its writes.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answers the caller once the batch's fate is known.
    fn answer(self: Box<Self>, committed: Result<(), &WriteFailed>);
}

struct Pending<F, T, E> {
    work: Option<F>,
    outcome: Option<Result<T, E>>,
    reply: oneshot::Sender<Result<Result<T, E>, WriteFailed>>,
}

impl<F, T, E> Job for Pending<F, T, E>
where
    F: FnOnce(&Connection) -> Result<T, E> + Send,
    T: Send,
    E: Send,
{
    fn abandoned(&self) -> bool {
        self.reply.is_closed()
    }

    fn run(&mut self, conn: &Connection) -> bool {
        let work = self.work.take().expect("a job runs once");
        let outcome = work(conn);
        let keep = outcome.is_ok();
        self.outcome = Some(outcome);
        keep
    }

    fn answer(self: Box<Self>, committed: Result<(), &WriteFailed>) {
        let answer = match (committed, self.outcome) {
            (Ok(()), Some(outcome)) => Ok(outcome),
            (Err(error), _) => Err(WriteFailed(error.0.clone())),
            // It panicked (logged, its writes undone), or its caller had gone.
            (Ok(()), None) => Err(WriteFailed("the job failed and was undone".into())),
        };
        // The caller may have gone meanwhile; its writes stand, as any
        // committed write does when its answer is lost.
        let _ = self.reply.send(answer);
    }
}

fn run_batches(conn: Connection, mut queue: mpsc::UnboundedReceiver<Box<dyn Job>>, shared: WriterShared, runtime: tokio::runtime::Handle) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if shared.pool.is_closed() {
            let closed = WriteFailed("the database pool is closed".into());
            batch.drain(..).for_each(|job| job.answer(Err(&closed)));
            continue;
        }
        let Ok(_turn) = runtime.block_on(shared.write_gate.clone().acquire_owned()) else {
            let closed = WriteFailed("the write gate is closed".into());
            batch.drain(..).for_each(|job| job.answer(Err(&closed)));
            continue;
        };
        // A failed ROLLBACK (an I/O error) can leave the connection inside a
        // transaction; without this every later batch would fail to begin.
        if !conn.is_autocommit() {
            if let Err(error) = execute(&conn, "ROLLBACK") {
                tracing::error!(%error, "the registration writer cannot leave a failed transaction");
            }
        }
        let committed = run_batch(&conn, &mut batch);
        for job in batch.drain(..) {
            job.answer(committed.as_ref().map(|_| ()));
        }
    }
}

/// One transaction for the whole batch, one savepoint per job.
fn run_batch(conn: &Connection, batch: &mut [Box<dyn Job>]) -> Result<(), WriteFailed> {
    if batch.iter().all(|job| job.abandoned()) {
        return Ok(());
    }
    execute(conn, "BEGIN IMMEDIATE")?;
    let outcome = (|| {
        for job in batch.iter_mut() {
            // Checked as late as possible: a request abandoned while it
            // waited for its turn must not spend its token.
            if job.abandoned() {
                continue;
            }
            execute(conn, "SAVEPOINT job")?;
            let keep = std::panic::catch_unwind(AssertUnwindSafe(|| job.run(conn))).unwrap_or_else(|_| {
                tracing::error!("a write job panicked; its writes are undone");
                false
            });
            // Its caller may have gone while it ran: then it is undone too.
            if !keep || job.abandoned() {
                execute(conn, "ROLLBACK TO job")?;
            }
            execute(conn, "RELEASE job")?;
        }
        execute(conn, "COMMIT")
    })();
    if outcome.is_err() && !conn.is_autocommit() {
        if let Err(error) = execute(conn, "ROLLBACK") {
            tracing::warn!(%error, "rolling back a failed batch failed");
        }
    }
    outcome
}

fn execute(conn: &Connection, sql: &str) -> Result<(), WriteFailed> {
    conn.prepare_cached(sql)?.raw_execute()?;
    Ok(())
}

/// Polls a future that cannot wait (its statements run synchronously on
/// this thread) to its end.
pub fn complete_now<F: std::future::Future>(future: F) -> F::Output {
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::pin!(future).poll(&mut context) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => unreachable!("a write job's future never waits"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::config::PoolSettings;
    use crate::server::db::Db;

    async fn database() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("writer.db").display());
        let db = Db::connect(&url, &PoolSettings::default()).await.unwrap();
        sqlx::query("CREATE TABLE notes (n INTEGER NOT NULL UNIQUE)").execute(&db.pool).await.unwrap();
        (dir, db)
    }

    async fn notes(db: &Db) -> Vec<i64> {
        sqlx::query_scalar("SELECT n FROM notes ORDER BY n").fetch_all(&db.pool).await.unwrap()
    }

    fn insert(n: i64) -> impl FnOnce(&Connection) -> Result<usize, String> + Send + 'static {
        move |conn| conn.execute("INSERT INTO notes (n) VALUES (?1)", [n]).map_err(|e| e.to_string())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn jobs_queued_together_commit_together_and_a_failing_one_undoes_only_itself() {
        let (_dir, db) = database().await;
        let writer = db.registration_writer().unwrap().clone();
        // Hold the process's write turn: the writer takes a first job and
        // waits for the turn with it; every job queued meanwhile forms the
        // next batch.
        let turn = db.begin_write().await.unwrap();
        let first = tokio::spawn({
            let writer = writer.clone();
            async move { writer.run(insert(100)).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let calls: Vec<_> = (0..10)
            .map(|n| {
                let writer = writer.clone();
                tokio::spawn(async move {
                    writer
                        .run(move |conn| {
                            insert(n)(conn)?;
                            // Job 5 writes, then fails: its row must go, the others stay.
                            if n == 5 { Err("job 5 fails after writing".to_owned()) } else { Ok(n) }
                        })
                        .await
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(notes(&db).await.is_empty(), "nothing is written while another writer holds the turn");
        drop(turn);
        let mut answers = Vec::new();
        for call in calls {
            answers.push(call.await.unwrap().unwrap());
        }
        assert_eq!(first.await.unwrap().unwrap(), Ok(1));
        assert_eq!(answers.iter().filter(|a| a.is_err()).count(), 1);
        assert_eq!(notes(&db).await, vec![0, 1, 2, 3, 4, 6, 7, 8, 9, 100]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_job_whose_caller_has_gone_never_runs() {
        let (_dir, db) = database().await;
        let writer = db.registration_writer().unwrap().clone();
        let turn = db.begin_write().await.unwrap();
        // Queued, then abandoned before its batch could start.
        let abandoned = tokio::time::timeout(Duration::from_millis(50), writer.run(insert(1))).await;
        assert!(abandoned.is_err(), "it was still waiting for the write turn");
        drop(turn);
        assert_eq!(writer.run(insert(2)).await.unwrap(), Ok(1));
        assert_eq!(notes(&db).await, vec![2]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_commit_answers_every_job_of_the_batch_with_an_error() {
        let (_dir, db) = database().await;
        let writer = db.registration_writer().unwrap().clone();
        // A deferred foreign key fails at COMMIT, after every job has run.
        sqlx::query("CREATE TABLE parents (id INTEGER PRIMARY KEY)").execute(&db.pool).await.unwrap();
        sqlx::query("CREATE TABLE children (parent INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)")
            .execute(&db.pool)
            .await
            .unwrap();
        let turn = db.begin_write().await.unwrap();
        // The writer takes this one alone and waits for the turn with it;
        // the next two are queued meanwhile and share the next batch.
        let alone = tokio::spawn({
            let writer = writer.clone();
            async move { writer.run(insert(0)).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let good = tokio::spawn({
            let writer = writer.clone();
            async move { writer.run(insert(1)).await }
        });
        let orphan = tokio::spawn({
            let writer = writer.clone();
            async move { writer.run(|conn| conn.execute("INSERT INTO children (parent) VALUES (42)", []).map_err(|e| e.to_string())).await }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        drop(turn);
        assert_eq!(alone.await.unwrap().unwrap(), Ok(1));
        assert!(good.await.unwrap().is_err(), "its batch was not committed");
        assert!(orphan.await.unwrap().is_err());
        assert_eq!(notes(&db).await, vec![0]);
        // The writer goes on.
        assert_eq!(writer.run(insert(3)).await.unwrap(), Ok(1));
        assert_eq!(notes(&db).await, vec![0, 3]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_closed_pool_fails_writes() {
        let (_dir, db) = database().await;
        let writer = db.registration_writer().unwrap().clone();
        db.pool.close().await;
        assert!(writer.run(insert(1)).await.is_err());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_writer_connection_has_the_pools_settings() {
        let (_dir, db) = database().await;
        let writer = db.registration_writer().unwrap().clone();
        let read = |name: &'static str| {
            let writer = writer.clone();
            async move {
                writer
                    .run(move |conn| conn.query_row(&format!("PRAGMA {name}"), [], |row| row.get::<_, rusqlite::types::Value>(0)).map_err(|e| e.to_string()))
                    .await
                    .unwrap()
                    .unwrap()
            }
        };
        use rusqlite::types::Value::{Integer, Text};
        assert_eq!(read("journal_mode").await, Text("wal".into()));
        assert_eq!(read("synchronous").await, Integer(1), "NORMAL");
        assert_eq!(read("foreign_keys").await, Integer(1));
        assert_eq!(read("temp_store").await, Integer(2), "MEMORY: no file per savepoint");
        assert_eq!(read("wal_autocheckpoint").await, Integer(250));
    }

    #[test]
    fn complete_now_runs_a_future_that_never_waits() {
        assert_eq!(complete_now(async { 40 + 2 }), 42);
    }
}
