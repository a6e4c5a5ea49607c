package io.roomcast.ws;

/**
 * One connection's dead-peer state ({@link DeadPeerCheck}): whether the client was heard from
 * since the last check, and when it was pinged. {@link #heard} runs on the connection's message
 * thread; {@link #check} only on the dead-peer check's thread, one at a time.
 */
final class Liveness {

    /** What a check found. */
    enum Verdict {
        /** Heard from since the last check, or pinged and still within the timeout. */
        ALIVE,
        /** Silent for a whole interval: send it a ping now. */
        PING,
        /** Still silent the timeout after its ping: close it. */
        DEAD
    }

    /** Something (a frame, a pong) came from the client since the last check. */
    private volatile boolean heard = true;
    private boolean pinged;
    private long pingedAtNanos;

    /** A frame or a pong came from the client: it is alive. */
    void heard() {
        if (!heard) {
            heard = true; // a volatile write per frame only when the check reset it
        }
    }

    /**
     * One check, every {@code roomcast.ping.interval-ms}: a connection heard from since the
     * last check is alive; one silent since then is to be pinged; one still silent
     * {@code timeoutNanos} after its ping is dead.
     */
    Verdict check(long nowNanos, long timeoutNanos) {
        if (heard) {
            heard = false;
            pinged = false;
            return Verdict.ALIVE;
        }
        if (!pinged) {
            pinged = true;
            pingedAtNanos = nowNanos;
            return Verdict.PING;
        }
        return nowNanos - pingedAtNanos >= timeoutNanos ? Verdict.DEAD : Verdict.ALIVE;
    }
}
