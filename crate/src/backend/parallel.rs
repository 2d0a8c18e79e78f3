//! Two threads: [`join`] runs two jobs side by side, on this thread and on one worker thread.
//!
//! nnlab's parallelism is one split at a time: the two halves of a matrix product's output, of a
//! from-scratch mini-batch, of an element-wise loop. Each half is computed by the same code wherever it
//! runs, so the bits never depend on the thread count.
//!
//! ## Why a worker of our own
//! A training step hands the worker a job every 50-500 µs (a product, an activation, an optimizer update),
//! with a little single-threaded work in between. What matters is how long the worker takes to start a job
//! after such a pause, and on this course's machine (2 vCPUs under KVM) waking a sleeping thread is slow:
//! the thread pools that nnlab measured (`thread-tree`, which matrixmultiply's threads use, and `rayon-core`)
//! lost tens of µs per join after such a pause, because their idle workers go to sleep at once and the
//! hypervisor takes that long to wake a sleeping vCPU (figures: `bench/RESULTS.md`, "Why nnlab's own
//! worker thread").
//!
//! So the worker here *spins* for [`SPIN`] after each job (checking an atomic flag), which catches every
//! job of a training loop within a µs or two, and only then sleeps (`thread::park`), so an idle notebook
//! costs nothing. The measured cost of a join with two 40 µs halves: 1-6 µs after pauses up to 1 ms.
//! And when the worker is asleep or busy with another thread's job, the caller takes its second job back
//! and runs it itself: a join never waits for a thread to wake up.
//! (In a notebook, evcxr links a copy of nnlab into each cell that uses it, statics included, so such cells
//! start a worker each: they sleep 2 ms after their last job and cost nothing after that.)
//!
//! Most of nnlab's `unsafe` code is here (the rest is elsewhere in `backend`: writing into fresh memory,
//! in the callers of [`written_by`] and in the matrix product, and the values shared by every cell's
//! copy of nnlab). Here: the second job lives on the caller's stack and the
//! worker reaches it through a raw pointer (as in every scoped thread pool: rayon, thread-tree). Why it is
//! sound is written next to each `unsafe` block; in short, [`join`] does not return (or unwind) before the
//! job is either taken back unrun or marked done by the worker, and the worker touches it no more after that.

use std::cell::{Cell, UnsafeCell};
use std::mem::MaybeUninit;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

/// How long the worker keeps looking for a job after its last one before it sleeps.
pub(crate) const SPIN: Duration = Duration::from_millis(2);

/// Runs `a` and `b` and returns both results: `b` on nnlab's worker thread when there is one
/// ([`threads`] ≥ 2) and it is free, else (and inside a job: nested joins run their halves in turn) one
/// after the other on this thread. The results never depend on which: callers give each job its own data.
/// A panic in either job is passed on: side by side after both have finished, one after the other at once
/// (a panic in `a` then means `b` does not run).
///
/// ```
/// let (x, y) = nnlab::linalg::join(|| 1 + 1, || 2 * 3);
/// assert_eq!((x, y), (2, 6));
/// ```
pub fn join<RA: Send, RB: Send>(a: impl FnOnce() -> RA + Send, b: impl FnOnce() -> RB + Send) -> (RA, RB) {
    if threads() < 2 || IN_JOB.with(Cell::get) {
        return (a(), b());
    }
    let Some(worker) = WORKER.get_or_init(start_worker) else {
        return (in_job(a), in_job(b)); // no worker thread could be started: one after the other
    };
    let job = StackJob::new(b);
    let job_ref = job.as_job_ref();
    let id = job_ref.data;
    {
        let mut slot = slot();
        if slot.is_some() {
            // Another thread's job is waiting for the worker: do both here.
            drop(slot);
            return (in_job(a), in_job(job.take_fn()));
        }
        *slot = Some(job_ref);
        PENDING.store(true, Ordering::SeqCst);
    }
    // (SeqCst with the worker's `SLEEPING` store then `PENDING` load: either it sees the job, or we see it
    // asleep and wake it.)
    if SLEEPING.load(Ordering::SeqCst) {
        worker.unpark();
    }
    let ra = panic::catch_unwind(AssertUnwindSafe(|| in_job(a)));
    // `b`: taken back if the worker has not started it, else waited for.
    let taken_back = {
        let mut slot = slot();
        if slot.as_ref().is_some_and(|j| j.data == id) {
            PENDING.store(false, Ordering::SeqCst);
            slot.take()
        } else {
            None
        }
    };
    match taken_back {
        // SAFETY: this thread took the only `JobRef` to `job` back out of the slot: nobody else runs it.
        Some(j) => unsafe { (j.run)(j.data) },
        None => wait_until_done(&job.done),
    }
    let rb = job.into_result();
    match (ra, rb) {
        (Ok(ra), Ok(rb)) => (ra, rb),
        (Err(p), _) | (_, Err(p)) => panic::resume_unwind(p),
    }
}

/// The number of threads nnlab's products and from-scratch training use: `MATMUL_NUM_THREADS` if set,
/// else the number of cores; read once per process, at most 2.
///
/// ```
/// assert!((1..=2).contains(&nnlab::linalg::threads()));
/// ```
pub fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        let from_env = std::env::var("MATMUL_NUM_THREADS").ok().and_then(|s| s.trim().parse::<usize>().ok());
        from_env.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).clamp(1, 2)
    })
}

/// A job on the stack of the thread that called [`join`]: the closure until it runs, then its result.
struct StackJob<F, R> {
    f: UnsafeCell<Option<F>>,
    result: UnsafeCell<Option<thread::Result<R>>>,
    done: AtomicBool,
}

impl<F: FnOnce() -> R + Send, R: Send> StackJob<F, R> {
    fn new(f: F) -> Self {
        StackJob { f: UnsafeCell::new(Some(f)), result: UnsafeCell::new(None), done: AtomicBool::new(false) }
    }

    /// The closure, to call it directly (the job was never published).
    fn take_fn(self) -> F {
        self.f.into_inner().expect("a job that has not run")
    }

    /// A type-erased pointer to this job, for the worker.
    fn as_job_ref(&self) -> JobRef {
        JobRef { data: (self as *const Self).cast(), run: Self::run }
    }

    /// Runs the job and marks it done; the last access to the job.
    ///
    /// # Safety
    /// `data` comes from `as_job_ref` of a job that is still alive, and the caller holds the only
    /// `JobRef` to it (so the job runs once, and nobody else touches `f` or `result` meanwhile).
    unsafe fn run(data: *const ()) {
        // SAFETY: see above; `join` keeps the job alive until `done` is set or the JobRef is taken back.
        let job = unsafe { &*data.cast::<Self>() };
        // SAFETY: the only runner has exclusive access to `f` and `result` until `done` is set.
        let f = unsafe { (*job.f.get()).take() }.expect("a job runs once");
        let result = panic::catch_unwind(AssertUnwindSafe(|| in_job(f)));
        // SAFETY: as for `f`: until `done` is set, the only runner alone touches `result`.
        unsafe { *job.result.get() = Some(result) };
        // Release: the result is written before `done` is seen. After this store the job may be gone.
        job.done.store(true, Ordering::Release);
    }

    fn into_result(self) -> thread::Result<R> {
        self.result.into_inner().expect("the job ran")
    }
}

/// A job handed to the worker: a pointer to a [`StackJob`] and the function that runs it.
struct JobRef {
    data: *const (),
    run: unsafe fn(*const ()),
}

// SAFETY: a JobRef is only made from a StackJob whose closure and result are `Send`, and it is run by one
// thread at a time (whoever takes it out of the slot).
unsafe impl Send for JobRef {}

/// The job waiting for the worker (at most one), its flag (read by the spinning worker without the lock),
/// and whether the worker is asleep.
static SLOT: Mutex<Option<JobRef>> = Mutex::new(None);
static PENDING: AtomicBool = AtomicBool::new(false);
static SLEEPING: AtomicBool = AtomicBool::new(false);
static WORKER: OnceLock<Option<Thread>> = OnceLock::new();

/// The slot, locked (nothing panics while holding it; a poisoned lock is still consistent).
fn slot() -> MutexGuard<'static, Option<JobRef>> {
    SLOT.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The worker thread (with a main thread's 8 MiB of stack, as a job may need as much as on the caller),
/// or `None` if the system refuses one.
fn start_worker() -> Option<Thread> {
    let handle = thread::Builder::new().name("nnlab-worker".into()).stack_size(8 << 20).spawn(worker_loop);
    handle.ok().map(|h| h.thread().clone())
}

/// The worker: runs jobs from the slot, spins for [`SPIN`] after each, then sleeps until woken.
fn worker_loop() {
    IN_JOB.with(|j| j.set(true)); // joins inside a job run their halves in turn
    loop {
        let mut idle_since = Instant::now();
        while idle_since.elapsed() < SPIN {
            if PENDING.load(Ordering::Acquire) {
                let job = {
                    let mut slot = slot();
                    PENDING.store(false, Ordering::SeqCst);
                    slot.take()
                };
                if let Some(j) = job {
                    // SAFETY: the worker took the only JobRef out of the slot; `join` waits for `done`.
                    unsafe { (j.run)(j.data) };
                }
                idle_since = Instant::now();
            }
            // A few `pause`s between looks (one is ~140 cycles on recent Intel cores: with 32 of them the
            // worker saw a job up to ~2 µs late, which cost 2 % of a Keras epoch).
            for _ in 0..4 {
                std::hint::spin_loop();
            }
        }
        SLEEPING.store(true, Ordering::SeqCst);
        if !PENDING.load(Ordering::SeqCst) {
            thread::park(); // (may also return spuriously: the loop looks again)
        }
        SLEEPING.store(false, Ordering::SeqCst);
    }
}

/// Waits for the worker to finish a job: spinning (the other half takes about as long as this one did),
/// then, if it takes long (a busy machine), yielding the core.
fn wait_until_done(done: &AtomicBool) {
    let start = Instant::now();
    while !done.load(Ordering::Acquire) {
        if start.elapsed() < Duration::from_micros(50) {
            std::hint::spin_loop();
        } else {
            thread::yield_now();
        }
    }
}

thread_local! {
    /// Whether this thread is running a [`join`] job (a nested `join` then runs its jobs in turn).
    static IN_JOB: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with [`IN_JOB`] set, and restores it afterwards (even if `f` panics).
fn in_job<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            IN_JOB.with(|j| j.set(self.0));
        }
    }
    let _restore = Restore(IN_JOB.with(|j| j.replace(true)));
    f()
}

/// Element-wise loops with at least this many elements run in two halves side by side.
pub(crate) const PAR_MIN: usize = 1 << 15;

/// `zip.for_each(f)` for an ndarray `Zip`, in two halves side by side ([`join`]) when it has at least
/// [`PAR_MIN`] elements. Each element is computed by the same `f` either way, so the bits do not
/// depend on the split or the thread count. `f` must not capture anything it mutates (it is shared).
macro_rules! par_for_each {
    // (a `match`, so that temporaries in `$zip`, such as a borrowed tensor value, live to the end)
    ($zip:expr, $f:expr) => {
        match ($zip, $f) {
            (zip, f) => {
                if zip.size() >= $crate::backend::parallel::PAR_MIN {
                    let (first, second) = zip.split();
                    $crate::backend::parallel::join(|| first.for_each(&f), || second.for_each(&f));
                } else {
                    zip.for_each(f);
                }
            }
        }
    };
}
pub(crate) use par_for_each;

/// Row-major slices, or a tuple of them, that can be cut at one index into two halves: what
/// [`par_slices`] splits.
pub(crate) trait SplitAt: Sized + Send {
    /// The parts before and after `mid` (every slice is at least `mid` long).
    fn split_at_index(self, mid: usize) -> (Self, Self);
}

impl<T: Sync> SplitAt for &[T] {
    fn split_at_index(self, mid: usize) -> (Self, Self) {
        self.split_at(mid)
    }
}

impl<T: Send> SplitAt for &mut [T] {
    fn split_at_index(self, mid: usize) -> (Self, Self) {
        self.split_at_mut(mid)
    }
}

macro_rules! split_at_tuple {
    ($($s:ident),+) => {
        impl<$($s: SplitAt),+> SplitAt for ($($s,)+) {
            #[allow(non_snake_case)]
            fn split_at_index(self, mid: usize) -> (Self, Self) {
                let ($($s,)+) = self;
                let ($($s,)+) = ($($s.split_at_index(mid),)+);
                (($($s.0,)+), ($($s.1,)+))
            }
        }
    };
}
split_at_tuple!(A, B);
split_at_tuple!(A, B, C);
split_at_tuple!(A, B, C, D);
split_at_tuple!(A, B, C, D, E);

/// `f(slices)` for slices of `n` elements each, as `f(first halves)` and `f(second halves)` side by side
/// ([`join`]) when `n` is at least [`PAR_MIN`]. For an element-wise `f` the bits do not depend on the
/// split or the thread count. (The slice counterpart of `par_for_each`, for loops written on slices,
/// such as the ones compiled for AVX2 with `multiversion`.)
pub(crate) fn par_slices<S: SplitAt>(n: usize, slices: S, f: impl Fn(S) + Sync) {
    if n >= PAR_MIN {
        // A multiple of 16, so that both halves start on a whole vector of lanes.
        let (first, second) = slices.split_at_index(n / 2 / 16 * 16);
        join(|| f(first), || f(second));
    } else {
        f(slices);
    }
}

/// A vector of `n` values that `fill` writes into fresh memory, without zero-filling it first (for a
/// 400 KB batch the `memset` costs about as much as the loop that then overwrites it).
///
/// # Safety
/// `fill` must write every one of the `n` slots it is given (`MaybeUninit::write`): the kernels that
/// use this are loops over every index of their output.
pub(crate) unsafe fn written_by(n: usize, fill: impl FnOnce(&mut [MaybeUninit<f32>])) -> Vec<f32> {
    let mut v = Vec::with_capacity(n);
    fill(&mut v.spare_capacity_mut()[..n]);
    // SAFETY: the caller's promise: all `n` elements are initialised.
    unsafe { v.set_len(n) };
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn join_runs_both_and_passes_results() {
        for i in 0..1000 {
            let (a, b) = join(|| i * 2, || vec![i; 3]);
            assert_eq!((a, b), (i * 2, vec![i; 3]));
        }
    }

    #[test]
    fn joins_from_many_threads_and_nested_joins() {
        let count = AtomicUsize::new(0);
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..500 {
                        let add = || count.fetch_add(1, Ordering::Relaxed);
                        let (a, (b, c)) = join(add, || join(add, add));
                        assert!(a != b && b != c && a != c); // three different increments
                    }
                });
            }
        });
        assert_eq!(count.load(Ordering::Relaxed), 4 * 500 * 3);
    }

    #[test]
    fn a_panic_in_either_job_reaches_the_caller_and_the_worker_goes_on() {
        let in_b = panic::catch_unwind(|| join(|| 1, || -> i32 { panic!("in b") }));
        assert!(in_b.is_err());
        let in_a = panic::catch_unwind(|| join(|| -> i32 { panic!("in a") }, || 2));
        assert!(in_a.is_err());
        assert_eq!(join(|| 3, || 4), (3, 4));
    }

    #[test]
    fn joins_after_the_worker_has_slept() {
        assert_eq!(join(|| 1, || 2), (1, 2));
        thread::sleep(SPIN * 3);
        let data = vec![1.0f32; 100_000];
        let (a, b) = join(|| data[..50_000].iter().sum::<f32>(), || data[50_000..].iter().sum::<f32>());
        assert_eq!(a + b, 100_000.0);
    }

    #[test]
    fn par_slices_splits_tuples_of_slices() {
        let n = PAR_MIN + 7;
        let x: Vec<f32> = (0..n).map(|i| i as f32).collect();
        let mut y = vec![0.0f32; n];
        par_slices(n, (&x[..], &mut y[..]), |(x, y)| {
            for (y, x) in y.iter_mut().zip(x) {
                *y = 2.0 * x;
            }
        });
        assert!(y.iter().enumerate().all(|(i, &v)| v == 2.0 * i as f32));
    }
}
