package io.roomcast.concurrent;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fixed-rate task that survives its own failures. A {@link ScheduledExecutorService} ends a
 * periodic task for good at its first exception, and says nothing: a watchdog that threw once
 * would never watch again. Here a failure is logged and counted, and the next period runs as
 * usual.
 */
public final class Periodic implements Runnable {

    private static final Logger LOG = Logger.getLogger(Periodic.class.getName());

    private final String name;
    private final Runnable task;
    private final Runnable failed;
    /** Failures in a row; only the task's own runs touch it (a fixed-rate task never overlaps itself). */
    private int failing;

    private Periodic(String name, Runnable task, Runnable failed) {
        this.name = name;
        this.task = task;
        this.failed = failed;
    }

    /**
     * Runs {@code task} every {@code periodMillis} on {@code scheduler}, first after one period.
     *
     * @param name   for the log
     * @param failed called once per failed run (a metric); must not throw
     */
    public static ScheduledFuture<?> atFixedRate(ScheduledExecutorService scheduler, String name, long periodMillis,
            Runnable task, Runnable failed) {
        return scheduler.scheduleAtFixedRate(new Periodic(name, task, failed), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try {
            task.run();
            if (failing > 0) {
                LOG.info(name + " runs again after " + failing + " failed runs");
                failing = 0;
            }
        } catch (RuntimeException | Error e) {
            // An Error too (a thread that could not be created, say): a watchdog that stops is
            // worse than one that runs after it. The JVM's own handling of fatal errors is unaffected.
            failed.run();
            // The first failure of a streak with its stack; the rest only counted, not a log line every period.
            LOG.log(failing++ == 0 ? Level.WARNING : Level.FINE, name + " failed; it runs again next period", e);
        }
    }
}
