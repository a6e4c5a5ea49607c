package it.io.roomcast.support;

import java.time.Duration;

/** Waits for a condition of a background loop or another process, where there is no event to wait on. */
public final class Poll {

    /** A condition that may need I/O to check. */
    public interface Check {
        boolean holds() throws Exception;
    }

    private Poll() {
    }

    /** Checks every 20 ms until {@code check} holds; fails naming {@code what} after {@code timeout}. */
    public static void until(Check check, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
