//! The writer: one task that takes the units of work waiting, applies each in the batch's
//! transaction (`writes`), and answers each only after the batch's one commit.

use std::time::{Duration, Instant};

use sqlx::{Executor, IntoArguments};
use tokio::sync::mpsc::error::TryRecvError;
use tokio::sync::{mpsc, oneshot};
use zhenggai_core::Actor;

use super::writes::Guard;
use super::{Sql, SqlStore, WriteTx};
use crate::api::{Applied, Work};
use crate::error::{Result, StoreError};

/// Units of work committed together at the most.
const MAX_BATCH: usize = 256;

pub(crate) type Reply = oneshot::Sender<Result<Vec<Applied>>>;

/// A unit of work waiting for the writer, and where to send its result.
pub struct Job {
    actor: Actor,
    work: Work,
    reply: Reply,
}

impl Job {
    pub(crate) fn into_reply(self) -> Reply {
        self.reply
    }
}

/// What the writer is sent: a unit of work, or a request to close its connection (answered
/// once it is closed).
pub enum Msg {
    Job(Job),
    Close(oneshot::Sender<()>),
}

/// The units of work waiting, and whether the writer is to close after them.
pub(crate) struct Batch {
    pub jobs: Vec<Job>,
    pub close: Option<oneshot::Sender<()>>,
}

/// The next batch: what has queued up while the last one was committed. `None` once every
/// sender is gone. A writer on a thread of its own first watches for `awake` (see
/// `AWAKE`) before it sleeps.
pub(crate) async fn next_batch(rx: &mut mpsc::Receiver<Msg>, awake: Duration) -> Option<Batch> {
    let mut batch = Batch {
        jobs: Vec::new(),
        close: None,
    };
    let first = match watch(rx, awake) {
        Some(msg) => msg,
        None => rx.recv().await?,
    };
    match first {
        Msg::Job(job) => batch.jobs.push(job),
        Msg::Close(done) => batch.close = Some(done),
    }
    while batch.close.is_none() && batch.jobs.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(Msg::Job(job)) => batch.jobs.push(job),
            Ok(Msg::Close(done)) => batch.close = Some(done),
            Err(_) => break,
        }
    }
    Some(batch)
}

/// How long a writer on a thread of its own stays awake for the next unit of work. Someone
/// sending one change after another sends the next within tens of microseconds of the
/// last answer; a sleeping thread takes about as long again to be woken (on a virtual
/// machine, an interrupt to the other CPU). Single changes one after another on a freshly
/// imported 1,000-unit ledger, interleaved runs: 1,897–1,993 /s asleep against 2,078–2,249
/// awake, and 1,549–1,760 against 1,739–2,134 on another hour. Costs at most this much CPU
/// a batch.
pub(crate) const AWAKE: Duration = Duration::from_micros(200);

/// A message that arrives within `awake`, watched for without sleeping.
fn watch(rx: &mut mpsc::Receiver<Msg>, awake: Duration) -> Option<Msg> {
    if awake.is_zero() {
        return None;
    }
    let until = Instant::now() + awake;
    loop {
        match rx.try_recv() {
            Ok(msg) => return Some(msg),
            Err(TryRecvError::Empty) if Instant::now() < until => std::hint::spin_loop(),
            Err(_) => return None,
        }
    }
}

/// Store errors are not `Clone` (they may hold a database error): a batch's failure is
/// told to each of its units by code and message, the cause logged once.
fn copy(e: &StoreError) -> StoreError {
    match e {
        StoreError::Rule(r) => StoreError::Rule(r.clone()),
        other => StoreError::Internal(format!("{} ({})", other, other.code())),
    }
}

/// Tells each of these units that the batch failed.
pub(crate) fn answer_all(replies: impl IntoIterator<Item = Reply>, e: &StoreError) {
    for reply in replies {
        let _ = reply.send(Err(copy(e)));
    }
}

impl<DB: Sql> SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'a> String: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> Vec<u8>: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> Option<String>: sqlx::Encode<'a, DB>,
    for<'a> Option<i64>: sqlx::Encode<'a, DB>,
    for<'r> &'r str: sqlx::ColumnIndex<DB::Row>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    pub(crate) async fn apply_work(&self, actor: &Actor, work: Work) -> Result<Vec<Applied>> {
        if let Some(big) = work.blobs.iter().find(|b| b.len() as u64 > self.max_file) {
            return Err(StoreError::TooLarge {
                size: big.len() as u64,
                max: self.max_file,
            });
        }
        let Some(writer) = &self.writer else {
            return Err(StoreError::Internal(
                "store opened without its writer".into(),
            ));
        };
        let (reply, answer) = oneshot::channel();
        let job = Job {
            actor: actor.clone(),
            work,
            reply,
        };
        writer
            .send(Msg::Job(job))
            .await
            .map_err(|_| StoreError::Internal("the writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Internal("the writer dropped a unit of work".into()))?
    }

    /// Starts the writer, which commits units of work: each batch is what has queued up
    /// while the last one was committed, each unit kept apart from the others (`Guard`), so
    /// that one refused unit changes nothing while the others share one commit (and one
    /// fsync). Each unit is answered only after that commit. Where it runs, and on which
    /// connection, is the backend's (`Sql::start_writer`).
    pub(crate) fn start_writer(&mut self) {
        let (tx, rx) = mpsc::channel::<Msg>(1024);
        DB::start_writer(self.handle(), rx);
        self.writer = Some(tx);
    }

    /// Asks the writer to close its connection, and waits until it has.
    pub(crate) async fn close_writer(&self) {
        if let Some(writer) = &self.writer {
            let (done, closed) = oneshot::channel();
            if writer.send(Msg::Close(done)).await.is_ok() {
                let _ = closed.await;
            }
        }
    }

    /// Commits one batch in the writer's transaction `tx`.
    pub(crate) async fn commit_batch(&self, tx: &mut impl WriteTx, jobs: Vec<Job>) {
        let mut linker = match tx.begin().await {
            Ok(head) => self.linker(head),
            Err(e) => return answer_all(jobs.into_iter().map(|j| j.reply), &e),
        };
        let mut done: Vec<(Reply, Result<Vec<Applied>>)> = Vec::new();
        // A unit of work alone in its batch needs no savepoint: if it is refused, the
        // whole transaction is rolled back (two statements fewer for a lone change).
        if jobs.len() == 1 {
            let Some(job) = jobs.into_iter().next() else {
                return;
            };
            let applied = self
                .apply_in(tx, &mut linker, &job.actor, job.work, &mut Guard::default())
                .await;
            if applied.is_err() {
                let _ = tx.rollback().await;
                let _ = job.reply.send(applied);
                return;
            }
            done.push((job.reply, applied));
        } else {
            for job in jobs {
                let before = (linker.head.clone(), linker.events.len());
                let mut guard = Guard {
                    lazy: job.work.changes.len() == 1 && job.work.blobs.is_empty(),
                    ..Guard::default()
                };
                let opened = if guard.lazy {
                    Ok(())
                } else {
                    guard.taken = true;
                    tx.execute("SAVEPOINT unit", Vec::new()).await
                };
                let applied = match opened {
                    Ok(()) => {
                        self.apply_in(tx, &mut linker, &job.actor, job.work, &mut guard)
                            .await
                    }
                    Err(e) => Err(e),
                };
                // Only a refusal by the rules is sure to have left the transaction as it
                // was; a database error may not have (PostgreSQL aborts the transaction).
                let refused = matches!(&applied, Err(StoreError::Rule(_) | StoreError::Invalid(_)));
                let closed = match (&applied, guard.taken) {
                    (Ok(_), true) => tx.execute("RELEASE SAVEPOINT unit", Vec::new()).await,
                    (Ok(_), false) => Ok(()),
                    (Err(_), taken) => {
                        linker.head = before.0;
                        linker.events.truncate(before.1);
                        if taken {
                            tx.execute("ROLLBACK TO SAVEPOINT unit", Vec::new()).await
                        } else if guard.exposed || !refused {
                            Err(StoreError::Internal(
                                "a unit of work failed after writing without a savepoint".into(),
                            ))
                        } else {
                            // Refused before it wrote anything.
                            Ok(())
                        }
                    }
                };
                if let Err(e) = closed {
                    // The transaction is in an unknown state: nothing of this batch stands.
                    answer_all(done.into_iter().map(|(r, _)| r), &e);
                    let _ = job.reply.send(Err(copy(&e)));
                    return;
                }
                done.push((job.reply, applied));
            }
        }
        let committed = async {
            self.append(tx, linker).await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        }
        .await;
        match committed {
            Ok(()) => {
                for (reply, result) in done {
                    let _ = reply.send(result);
                }
            }
            Err(e) => answer_all(done.into_iter().map(|(r, _)| r), &e),
        }
    }
}
