package io.roomcast.presence;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in the order they were given, on threads of another executor: the
 * store sees one node's presence changes in the order the node saw them, without a thread of
 * its own. A failing task is logged and does not stop the ones after it.
 */
final class SerialExecutor implements Executor {

    private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Executor threads;

    SerialExecutor(Executor threads) {
        this.threads = threads;
    }

    /** Queues {@code task}; never blocks. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (running.compareAndSet(false, true)) {
            try {
                threads.execute(this::drain);
            } catch (RuntimeException rejected) { // shutting down
                running.set(false);
                tasks.clear();
            }
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Presence task failed", e);
                }
            }
        } finally {
            running.set(false);
            if (!tasks.isEmpty()) { // queued after the last poll, before the flag cleared
                schedule();
            }
        }
    }
}
