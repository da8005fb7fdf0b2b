//! Group commit: concurrent webhook requests share one database transaction.
//!
//! Each request hands its messages to one writer loop and waits; the loop takes everything
//! queued at that moment, writes it in one transaction, and answers every request only after
//! that transaction committed. Under load, one commit (SQLite's single writer, PostgreSQL's WAL
//! flush) is shared by many deliveries; when idle, a batch is just the one request. On
//! PostgreSQL a few requests may instead wait for the commit in flight, to go with the next
//! (see [`WriterLoop::run_in_parallel`]).

use std::collections::VecDeque;
use std::sync::Arc;

use tokio::sync::{Mutex, Notify, Semaphore, mpsc, oneshot};
use tracing::Instrument;

use crate::store::{InboundBatches, InboundReceipt, InboundWrite, Store, StoreError, StoreResult};

/// Rows per transaction at most: bounds how long one commit holds the writer.
const MAX_BATCH_ROWS: usize = 256;
/// Requests waiting for the writer at most; beyond that, callers wait to enqueue.
const QUEUE: usize = 4096;
/// Batches committed on one hold of SQLite's writer at most, before it is handed back so that
/// the conversation engine and the outbox get to write between them (a few milliseconds).
const BATCHES_PER_HOLD: usize = 8;
/// Group-commit transactions in flight at once on PostgreSQL, which flushes two transactions'
/// WAL together. More make smaller batches, and the per-commit work (round trips, statement
/// start-up, the flush) then costs more than the overlap saves: under `bench/ingest-ratio`, 4
/// committed about 7 rows each and 2 about 15, for equal or better throughput, a lower p99
/// and a fifth less CPU per delivery in `serve`.
const PARALLEL_COMMITS: usize = 2;
/// Rows at least for a group commit to start beside one already in flight (PostgreSQL); see
/// [`WriterLoop::run_in_parallel`].
const PIPELINED_ROWS: usize = 32;

struct Job {
    writes: Vec<InboundWrite>,
    done: Answer,
}

/// Where a request waits for its receipts.
type Answer = oneshot::Sender<StoreResult<Vec<InboundReceipt>>>;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The runtime is shutting down.
    #[error("the inbox writer has stopped")]
    Stopped,
}

/// A handle to the writer loop. Cheap to clone; the loop ends when every handle is dropped.
#[derive(Clone)]
pub struct InboxWriter {
    jobs: mpsc::Sender<Job>,
}

/// The writer loop: takes what the [`InboxWriter`] handles queue and commits it in batches.
/// `serve` runs it under its supervisor.
pub struct WriterLoop {
    store: Arc<dyn Store>,
    /// Behind a lock held while the loop runs, so a loop restarted after a panic takes over the
    /// same queue and the handles keep working.
    queue: Mutex<mpsc::Receiver<Job>>,
    /// One permit per transaction that may be in flight (PostgreSQL).
    slots: Arc<Semaphore>,
    /// Told each time a transaction in flight ends (PostgreSQL).
    ended: Arc<Notify>,
}

impl InboxWriter {
    /// A handle and the loop behind it, which must run for [`InboxWriter::write`] to answer.
    pub fn new(store: Arc<dyn Store>) -> (InboxWriter, WriterLoop) {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let slots = Arc::new(Semaphore::new(PARALLEL_COMMITS));
        let ended = Arc::new(Notify::new());
        (InboxWriter { jobs }, WriterLoop { store, queue: Mutex::new(queue), slots, ended })
    }

    /// Stores `writes` (in one transaction with whatever else is queued) and answers their
    /// receipts, in order, once committed.
    pub async fn write(&self, writes: Vec<InboundWrite>) -> Result<Vec<InboundReceipt>, WriteError> {
        if writes.is_empty() {
            return Ok(Vec::new());
        }
        let (done, receipt) = oneshot::channel();
        self.jobs.send(Job { writes, done }).await.map_err(|_| WriteError::Stopped)?;
        Ok(receipt.await.map_err(|_| WriteError::Stopped)??)
    }
}

impl WriterLoop {
    /// Commits batches until every [`InboxWriter`] is dropped (in `serve`, once the HTTP server
    /// has drained), then waits for the transactions still in flight, so that every request
    /// answered 200 is committed before the process ends.
    pub async fn run(&self) {
        let mut queue = self.queue.lock().await;
        if self.store.has_one_writer() {
            self.run_on_held_writer(&mut queue).await;
        } else {
            self.run_in_parallel(&mut queue).await;
        }
    }

    /// SQLite: one transaction at a time, on the writer connection held from one batch to the
    /// next for as long as requests keep coming (up to [`BATCHES_PER_HOLD`]), so that taking it
    /// (two round trips to sqlx's thread) is paid once for several batches.
    async fn run_on_held_writer(&self, queue: &mut mpsc::Receiver<Job>) {
        while let Some(first) = queue.recv().await {
            let mut first = Some(first);
            let mut commits = |batches: &mut dyn InboundBatches| {
                for _ in 0..BATCHES_PER_HOLD {
                    let jobs = take_batch(first.take(), queue);
                    if jobs.is_empty() {
                        return;
                    }
                    let group = Group::of(jobs);
                    let result = group.span.in_scope(|| batches.record(&group.rows));
                    if let Some(group) = group.answer(result) {
                        for (rows, done) in group.into_requests() {
                            let _ = done.send(batches.record(&rows));
                        }
                    }
                }
            };
            if let Err(error) = self.store.hold_inbound_writer(&mut commits).await {
                // The writer could not be taken: the first request hears why; the others stay
                // queued for the next try.
                tracing::warn!(error = &error as &dyn std::error::Error, "could not take the inbox writer");
                if let Some(job) = first {
                    let _ = job.done.send(Err(error));
                }
            }
        }
    }

    /// PostgreSQL: up to [`PARALLEL_COMMITS`] transactions in flight, each on a connection of
    /// its own. With none in flight, what is queued is committed at once. Beside one in
    /// flight, a second starts only with [`PIPELINED_ROWS`] rows or more: right after a
    /// commit was answered, the queue holds the one or two requests that came meanwhile, and
    /// a transaction of their own would pay a statement and a WAL flush for them, then hold
    /// its slot while the requests answered by the first pile up behind it. Under
    /// `bench/ingest-ratio`, 44 % of the commits carried one or two rows that way. Held back,
    /// they go with the next commit, which starts when the one in flight ends: 7 % did then,
    /// and a commit carried 28 rows on average instead of 15 (docs/architecture.md).
    async fn run_in_parallel(&self, queue: &mut mpsc::Receiver<Job>) {
        let mut gathering = Gathering::default();
        let mut open = true;
        while open || !gathering.jobs.is_empty() {
            if gathering.jobs.is_empty() {
                match queue.recv().await {
                    Some(job) => gathering.push(job),
                    None => break,
                }
            }
            gathering.take_queued(queue);
            let in_flight = PARALLEL_COMMITS - self.slots.available_permits();
            let start =
                !open || in_flight == 0 || (in_flight < PARALLEL_COMMITS && gathering.rows >= PIPELINED_ROWS);
            if start {
                let Ok(slot) = Arc::clone(&self.slots).acquire_owned().await else { return };
                let jobs = gathering.next_batch();
                let store = Arc::clone(&self.store);
                let ended = Arc::clone(&self.ended);
                tokio::spawn(async move {
                    let group = Group::of(jobs);
                    let result = store.record_inbound_batch(&group.rows).instrument(group.span.clone()).await;
                    if let Some(group) = group.answer(result) {
                        for (rows, done) in group.into_requests() {
                            let _ = done.send(store.record_inbound_batch(&rows).await);
                        }
                    }
                    drop(slot);
                    ended.notify_one();
                });
                continue;
            }
            // Too few rows for a transaction beside the ones in flight: wait for more, or for
            // one of those to end.
            tokio::select! {
                job = queue.recv(), if open && gathering.rows < MAX_BATCH_ROWS => match job {
                    Some(job) => gathering.push(job),
                    None => open = false,
                },
                () = self.ended.notified() => {}
            }
        }
        // Every slot back means every transaction in flight has ended.
        let _ = self.slots.acquire_many(PARALLEL_COMMITS as u32).await;
    }
}

/// Requests taken from the queue and not committed yet.
#[derive(Default)]
struct Gathering {
    jobs: VecDeque<Job>,
    rows: usize,
}

impl Gathering {
    fn push(&mut self, job: Job) {
        self.rows += job.writes.len();
        self.jobs.push_back(job);
    }

    /// Takes whatever else is queued now, up to [`MAX_BATCH_ROWS`] waiting.
    fn take_queued(&mut self, queue: &mut mpsc::Receiver<Job>) {
        while self.rows < MAX_BATCH_ROWS {
            match queue.try_recv() {
                Ok(job) => self.push(job),
                Err(_) => break,
            }
        }
    }

    /// The oldest requests, up to [`MAX_BATCH_ROWS`] (at least one).
    fn next_batch(&mut self) -> Vec<Job> {
        let mut jobs = Vec::new();
        let mut rows = 0;
        while let Some(job) = self.jobs.front() {
            if !jobs.is_empty() && rows + job.writes.len() > MAX_BATCH_ROWS {
                break;
            }
            rows += job.writes.len();
            jobs.extend(self.jobs.pop_front());
        }
        self.rows -= rows;
        jobs
    }
}

/// `first` and whatever else is queued now, up to [`MAX_BATCH_ROWS`].
fn take_batch(first: Option<Job>, queue: &mut mpsc::Receiver<Job>) -> Vec<Job> {
    let mut gathering = Gathering::default();
    first.into_iter().for_each(|job| gathering.push(job));
    gathering.take_queued(queue);
    gathering.jobs.into()
}

/// One group commit: the rows of every request taken, in one transaction. Its span says how
/// well requests were grouped (`rows` per commit is what ingest throughput rides on).
struct Group {
    rows: Vec<InboundWrite>,
    /// How many of `rows` each request brought, in order.
    sizes: Vec<usize>,
    waiting: Vec<Answer>,
    span: tracing::Span,
}

impl Group {
    fn of(jobs: Vec<Job>) -> Group {
        let sizes: Vec<usize> = jobs.iter().map(|job| job.writes.len()).collect();
        let (rows, waiting): (Vec<Vec<InboundWrite>>, Vec<Answer>) =
            jobs.into_iter().map(|job| (job.writes, job.done)).unzip();
        let rows: Vec<InboundWrite> = rows.into_iter().flatten().collect();
        let span = tracing::debug_span!("inbox_commit", requests = waiting.len(), rows = rows.len());
        Group { rows, sizes, waiting, span }
    }

    /// Answers every request its receipts, or its error. When one transaction failed for
    /// several requests, one request's rows must not fail everyone else's: the group comes
    /// back, for each request to be written on its own.
    fn answer(self, result: StoreResult<Vec<InboundReceipt>>) -> Option<Group> {
        let span = self.span.clone();
        let _entered = span.enter();
        tracing::debug!(ok = result.is_ok(), "inbox batch committed");
        match result {
            Ok(receipts) => {
                let mut receipts = receipts.into_iter();
                for (size, done) in self.sizes.iter().zip(self.waiting) {
                    // A caller that went away (client disconnected) is fine: its rows are stored.
                    let _ = done.send(Ok(receipts.by_ref().take(*size).collect()));
                }
                None
            }
            Err(error) if self.waiting.len() == 1 => {
                let _ = self.waiting.into_iter().next().map(|done| done.send(Err(error)));
                None
            }
            Err(error) => {
                tracing::warn!(%error, requests = self.waiting.len(), "a grouped inbox commit failed; retrying one by one");
                Some(self)
            }
        }
    }

    /// Each request's rows, with where it waits for them.
    fn into_requests(self) -> Vec<(Vec<InboundWrite>, Answer)> {
        let mut rows = self.rows.into_iter();
        self.sizes
            .into_iter()
            .zip(self.waiting)
            .map(|(size, done)| (rows.by_ref().take(size).collect(), done))
            .collect()
    }
}
