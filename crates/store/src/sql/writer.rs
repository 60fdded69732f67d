//! The writer: one task that takes the units of work waiting, applies each in the batch's
//! transaction (`writes`), and answers each only after the batch's one commit.

use sqlx::{Executor, IntoArguments};
use tokio::sync::{mpsc, oneshot};
use zhenggai_core::Actor;

use super::write_tx::WriteTx;
use super::writes::Guard;
use super::{Sql, SqlStore};
use crate::api::{Applied, Work};
use crate::error::{Result, StoreError};

/// Units of work committed together at the most.
const MAX_BATCH: usize = 256;

type Reply = oneshot::Sender<Result<Vec<Applied>>>;

/// A unit of work waiting for the writer, and where to send its result.
pub(crate) struct Job {
    actor: Actor,
    work: Work,
    reply: Reply,
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
fn answer_all(replies: impl IntoIterator<Item = Reply>, e: &StoreError) {
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
            .send(job)
            .await
            .map_err(|_| StoreError::Internal("the writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Internal("the writer dropped a unit of work".into()))?
    }

    /// Starts the task that commits units of work: each batch is what has queued up while
    /// the last one was committed, each unit kept apart from the others (`Guard`), so that
    /// one refused unit changes nothing while the others share one commit (and one fsync).
    /// Each unit is answered only after that commit.
    pub(crate) fn start_writer(&mut self) {
        let (tx, mut rx) = mpsc::channel::<Job>(1024);
        let store = self.handle();
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut jobs = vec![first];
                while jobs.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(job) => jobs.push(job),
                        Err(_) => break,
                    }
                }
                store.commit_batch(jobs).await;
            }
        });
        self.writer = Some(tx);
    }

    async fn commit_batch(&self, jobs: Vec<Job>) {
        let (mut tx, mut linker) = match WriteTx::begin(self).await {
            Ok(begun) => begun,
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
                .apply_in(
                    tx.conn(),
                    &mut linker,
                    &job.actor,
                    job.work,
                    &mut Guard::default(),
                )
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
                    sqlx::query("SAVEPOINT unit")
                        .execute(tx.conn())
                        .await
                        .map(|_| ())
                };
                let applied = match opened {
                    Ok(()) => {
                        self.apply_in(tx.conn(), &mut linker, &job.actor, job.work, &mut guard)
                            .await
                    }
                    Err(e) => Err(e.into()),
                };
                // Only a refusal by the rules is sure to have left the transaction as it
                // was; a database error may not have (PostgreSQL aborts the transaction).
                let refused = matches!(&applied, Err(StoreError::Rule(_) | StoreError::Invalid(_)));
                let closed = match (&applied, guard.taken) {
                    (Ok(_), true) => sqlx::query("RELEASE SAVEPOINT unit")
                        .execute(tx.conn())
                        .await
                        .map(|_| ()),
                    (Ok(_), false) => Ok(()),
                    (Err(_), taken) => {
                        linker.head = before.0;
                        linker.events.truncate(before.1);
                        if taken {
                            sqlx::query("ROLLBACK TO SAVEPOINT unit")
                                .execute(tx.conn())
                                .await
                                .map(|_| ())
                        } else if guard.exposed || !refused {
                            Err(sqlx::Error::Protocol(
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
                    let e = StoreError::from(e);
                    answer_all(done.into_iter().map(|(r, _)| r), &e);
                    let _ = job.reply.send(Err(copy(&e)));
                    return;
                }
                done.push((job.reply, applied));
            }
        }
        let committed = async {
            self.append(tx.conn(), linker).await?;
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
