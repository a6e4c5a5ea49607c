package io.roomcast.presence;

import io.roomcast.concurrent.SerialDrain;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in the order they were given, on threads of another executor: the
 * store sees one node's presence changes in the order the node saw them, without a thread of
 * its own. A failing task is logged and does not stop the ones after it.
 */
final class SerialExecutor implements Executor {

    private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());

    private final SerialDrain<Runnable> tasks = new SerialDrain<>(Integer.MAX_VALUE);
    private final Executor threads;

    SerialExecutor(Executor threads) {
        this.threads = threads;
    }

    /** Queues {@code task}; never blocks. Tasks given while shutting down are dropped. */
    @Override
    public void execute(Runnable task) {
        tasks.offer(task);
        if (tasks.claim()) {
            tasks.startOn(threads, this::drain, (dropped, shuttingDown) -> { });
        }
    }

    private void drain() {
        do {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Presence task failed", e);
                }
            }
        } while (tasks.release());
    }
}
