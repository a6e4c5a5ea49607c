package io.roomcast.room;

import io.roomcast.config.RoomcastConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections open on this node, and the exact capacity limit. A slot is reserved with a
 * compare-and-set before the connection counts as open, so a connect storm can never admit
 * more than {@code roomcast.max-connections}; it is given back exactly once, whichever close
 * path (clean close, error, reset) fires first.
 */
@ApplicationScoped
public class ConnectedMembers {

    private final ConcurrentHashMap<String, RoomMember> byId = new ConcurrentHashMap<>();
    private final AtomicInteger slotsTaken = new AtomicInteger();
    private final Object emptied = new Object();
    private volatile boolean accepting = true;

    @Inject
    RoomcastConfig config;

    /** Takes a slot for {@code member}; false when the node is full or no longer accepting. */
    public boolean admit(RoomMember member) {
        int max = config.maxConnections();
        while (true) {
            int taken = slotsTaken.get();
            if (!accepting || taken >= max) {
                return false;
            }
            if (slotsTaken.compareAndSet(taken, taken + 1)) {
                byId.put(member.id(), member);
                return true;
            }
        }
    }

    /** Gives back {@code member}'s slot; calling it again, or for a refused member, does nothing. */
    public void release(RoomMember member) {
        if (byId.remove(member.id(), member) && slotsTaken.decrementAndGet() == 0) {
            synchronized (emptied) {
                emptied.notifyAll();
            }
        }
    }

    /**
     * Waits until no connection is open or {@code timeout} has passed; true when none is open.
     * Blocks the calling thread: for the drain only.
     */
    public boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (emptied) {
            while (count() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(emptied, left);
            }
        }
        return true;
    }

    /**
     * From now on {@link #admit} refuses everyone (the node is draining). An admission racing
     * with this call may still succeed: callers look at {@link #all} again afterwards.
     */
    public void stopAccepting() {
        accepting = false;
    }

    public boolean isAccepting() {
        return accepting;
    }

    public int count() {
        return slotsTaken.get();
    }

    public int capacity() {
        return config.maxConnections();
    }

    public boolean atCapacity() {
        return count() >= capacity();
    }

    public Optional<RoomMember> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** A live view of the open connections. */
    public Collection<RoomMember> all() {
        return byId.values();
    }
}
