package io.roomcast.ops;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Drains on SIGTERM (a container or pod stop, systemd, {@code kill}) before the JVM starts to
 * shut down. Liberty stops on SIGTERM through a JVM shutdown hook, and its first step (the
 * server quiesce) removes the HTTP endpoint, which destroys every upgraded WebSocket within
 * milliseconds, in parallel with any quiesce listener; so the drain must run before the JVM is
 * told to exit. This handler runs the drain, waits for it (at most the drain time plus one
 * second), then hands the signal on to the handler it replaced, which starts the normal stop.
 *
 * <p>{@code server stop} reaches Liberty through its command port, not a signal: run
 * {@code scripts/drain} before it (docs/operations.md).
 */
@ApplicationScoped
class StopSignalDrain {

    private static final Logger LOG = Logger.getLogger(StopSignalDrain.class.getName());
    private static final Signal TERM = new Signal("TERM");

    @Inject
    Drain drain;

    private SignalHandler previous;
    private SignalHandler mine;

    /** Installs the handler; called once at start-up. */
    void install() {
        mine = this::onTerm;
        try {
            previous = Signal.handle(TERM, mine);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // e.g. the JVM runs with -Xrs: SIGTERM then stops Liberty without a drain.
            LOG.log(Level.WARNING, "SIGTERM handler not installed; a stop signal will not drain first", e);
        }
    }

    @PreDestroy
    void uninstall() {
        if (previous != null) {
            SignalHandler current = Signal.handle(TERM, previous);
            if (current != mine) {
                Signal.handle(TERM, current); // someone installed theirs after ours: leave it
            }
        }
    }

    private void onTerm(Signal signal) {
        LOG.info("SIGTERM: draining before the server stops");
        try {
            drain.start().get(drain.drainTime().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.log(Level.WARNING, "Drain did not finish; stopping anyway", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (previous != null && previous != SignalHandler.SIG_DFL && previous != SignalHandler.SIG_IGN) {
            previous.handle(signal);
        } else {
            System.exit(128 + signal.getNumber()); // what the JVM's default handler does
        }
    }
}
