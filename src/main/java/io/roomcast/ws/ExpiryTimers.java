package io.roomcast.ws;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A connection's two token timers (contract section 10): the {@code expiring} warning
 * {@code roomcast.auth.refresh-warning-seconds} before the identity's {@code expires}, and the
 * 1008 close at its {@code validUntil} ({@code expires} plus the clock skew). A refresh re-arms
 * both; the connection's release cancels them for good. Thread-safe: a timer that fires while a
 * refresh re-arms acts only if it still belongs to the current expiry, so a refreshed connection
 * is never closed by its old token's timer.
 */
final class ExpiryTimers {

    private final ScheduledExecutorService scheduler;
    private final Duration warning;
    private final Consumer<Instant> warn;
    private final Runnable expire;
    /** The expiry the armed timers belong to; null when none is armed. */
    private Instant armedFor;
    private Future<?> warningTimer;
    private Future<?> closeTimer;
    private boolean cancelled;

    /**
     * @param warn   sends the {@code expiring} frame with the given {@code expires}
     * @param expire closes the connection (1008 {@code Token expired})
     */
    ExpiryTimers(ScheduledExecutorService scheduler, Duration warning, Consumer<Instant> warn, Runnable expire) {
        this.scheduler = scheduler;
        this.warning = warning;
        this.warn = warn;
        this.expire = expire;
    }

    /** Replaces the timers of any earlier expiry; does nothing once {@link #cancel cancelled}. */
    synchronized void arm(Instant expires, Instant validUntil) {
        if (cancelled) {
            return;
        }
        stopTimers();
        armedFor = expires;
        Instant now = Instant.now();
        warningTimer = scheduler.schedule(() -> {
            if (isArmedFor(expires)) {
                warn.accept(expires);
            }
        }, warningDelayMillis(now, expires, warning), TimeUnit.MILLISECONDS);
        closeTimer = scheduler.schedule(() -> {
            if (isArmedFor(expires)) {
                expire.run();
            }
        }, Math.max(0, Duration.between(now, validUntil).toMillis()), TimeUnit.MILLISECONDS);
    }

    /** For good: the connection is gone. */
    synchronized void cancel() {
        cancelled = true;
        stopTimers();
    }

    /** The warning goes {@code warning} before {@code expires}, at once when less remains. */
    static long warningDelayMillis(Instant now, Instant expires, Duration warning) {
        return Math.max(0, Duration.between(now, expires.minus(warning)).toMillis());
    }

    private synchronized boolean isArmedFor(Instant expires) {
        return !cancelled && expires.equals(armedFor);
    }

    private void stopTimers() {
        armedFor = null;
        if (warningTimer != null) {
            warningTimer.cancel(false);
        }
        if (closeTimer != null) {
            closeTimer.cancel(false);
        }
    }
}
