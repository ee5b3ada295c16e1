package org.remaptarget.target.scsi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The task set of one logical unit (SAM-5 §8): every task from every nexus from admission until its completion has
 * been delivered, in arrival order.
 *
 * <p>Ordering (simple task-set management, QUEUE ALGORITHM MODIFIER 0 semantics kept conservative): SIMPLE,
 * UNTAGGED and ACA tasks start at once unless an earlier ORDERED task is still in the set; an ORDERED task starts
 * only when every earlier task has left; a HEAD OF QUEUE task starts at once. Started tasks run on the executor.
 *
 * <p>Abort: matching tasks are flagged; waiting ones complete (as aborted) immediately, running ones are awaited
 * (bounded by {@link #ABORT_WAIT_MS}) so the caller knows no further I/O comes from them.
 *
 * <p>Locks: one monitor per task set, held only to add/remove entries and pick startable ones — never during I/O.
 */
public final class TaskSet {
    /** How long an abort waits for running tasks to finish. */
    public static final long ABORT_WAIT_MS = 30_000;

    /** One admitted task. */
    private final class Entry implements Runnable {
        final ScsiTask task;
        final Runnable body;
        final CountDownLatch done = new CountDownLatch(1);
        boolean started;

        Entry(ScsiTask task, Runnable body) {
            this.task = task;
            this.body = body;
        }

        @Override
        public void run() {
            try {
                if (task.isAborted()) {
                    task.complete(ScsiResult.abortedTask());
                } else {
                    body.run();
                }
            } finally {
                finish(this);
            }
        }
    }

    private final Executor executor;
    private final LinkedHashSet<Entry> entries = new LinkedHashSet<>();
    private int ordered;
    private int waiting;

    public TaskSet(Executor executor) {
        this.executor = executor;
    }

    /** Admits {@code task}; {@code body} runs it to completion (it must call {@link ScsiTask#complete}). */
    public void admit(ScsiTask task, Runnable body) {
        Entry e = new Entry(task, body);
        boolean start;
        synchronized (this) {
            TaskAttribute a = task.attribute();
            if (a == TaskAttribute.ORDERED) {
                start = entries.isEmpty();
                ordered++;
            } else {
                start = a == TaskAttribute.HEAD_OF_QUEUE || ordered == 0;
            }
            entries.add(e);
            e.started = start;
            if (!start) {
                waiting++;
            }
        }
        if (start) {
            launch(e);
        }
    }

    private void launch(Entry e) {
        try {
            executor.execute(e);
        } catch (RejectedExecutionException rex) {
            e.task.complete(ScsiResult.status(ScsiResult.TASK_SET_FULL));
            finish(e);
        }
    }

    private void finish(Entry e) {
        List<Entry> next;
        synchronized (this) {
            if (!entries.remove(e)) {
                return;
            }
            if (e.task.attribute() == TaskAttribute.ORDERED) {
                ordered--;
            }
            if (!e.started) {
                waiting--;
            }
            next = waiting == 0 ? List.of() : startable();
        }
        e.done.countDown();
        next.forEach(this::launch);
    }

    /** Under the lock: marks and returns the waiting entries that may start now. */
    private List<Entry> startable() {
        List<Entry> out = new ArrayList<>();
        boolean earlierOrdered = false;
        boolean anyEarlier = false;
        for (Entry e : entries) {
            TaskAttribute a = e.task.attribute();
            if (!e.started) {
                boolean can = a == TaskAttribute.ORDERED ? !anyEarlier
                        : a == TaskAttribute.HEAD_OF_QUEUE || !earlierOrdered;
                if (can) {
                    e.started = true;
                    waiting--;
                    out.add(e);
                }
            }
            anyEarlier = true;
            earlierOrdered |= a == TaskAttribute.ORDERED;
        }
        return out;
    }

    /**
     * Aborts every task matching {@code which} and waits until each has completed. Returns how many were aborted.
     */
    public int abort(Predicate<ScsiTask> which) {
        List<Entry> running = new ArrayList<>();
        List<Entry> dropped = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (which.test(e.task)) {
                    e.task.abort();
                    if (e.started) {
                        running.add(e);
                    } else {
                        dropped.add(e);
                    }
                }
            }
        }
        for (Entry e : dropped) {
            e.task.complete(ScsiResult.abortedTask());
            finish(e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ABORT_WAIT_MS);
        for (Entry e : running) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !e.done.await(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return running.size() + dropped.size();
    }

    /**
     * Flags every task matching {@code which} as aborted without waiting (for use from inside a running task,
     * e.g. PREEMPT AND ABORT, which must not wait for itself). Waiting tasks complete as aborted at once.
     */
    public void abortLater(Predicate<ScsiTask> which) {
        List<Entry> dropped = new ArrayList<>();
        synchronized (this) {
            for (Entry e : entries) {
                if (which.test(e.task)) {
                    e.task.abort();
                    if (!e.started) {
                        dropped.add(e);
                    }
                }
            }
        }
        for (Entry e : dropped) {
            e.task.complete(ScsiResult.abortedTask());
            finish(e);
        }
    }

    /** True when some task matches {@code which}. */
    public synchronized boolean contains(Predicate<ScsiTask> which) {
        for (Entry e : entries) {
            if (which.test(e.task)) {
                return true;
            }
        }
        return false;
    }

    /** Number of tasks in the set. */
    public synchronized int size() {
        return entries.size();
    }
}
