package io.roomcast.room;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids, unique for ever (contract section 7): {@code <node id>-<boot stamp>.<counter>},
 * stamp and counter in base 36, e.g. {@code node-1-mj3k2l0a.1f}.
 *
 * <p>Why unique: node ids are unique among running nodes (the counter makes ids unique within one
 * boot), and the boot stamp, the wall-clock millisecond this generator was made, differs between
 * two boots of one node id: a restart takes seconds, and boots within one JVM (a redeploy) get
 * strictly increasing stamps from {@link #LAST_BOOT}. So a node that keeps its
 * {@code roomcast.node-id} (a StatefulSet, {@code scripts/cluster}) never repeats an id, and a
 * stamp needs no storage. The one case left: a clock set back, between two boots, by more than
 * the time the restart took. Stamp and counter hold no {@code -} or {@code .}, so the last
 * {@code -} separates the node id and no two node ids can produce one id; ids of releases before
 * the stamp (no {@code .}) never equal these. Short: the stamp adds 9 characters to the node id.
 */
final class MessageIds {

    /** The latest boot stamp given in this JVM. */
    private static final AtomicLong LAST_BOOT = new AtomicLong();

    private final String prefix;
    private final AtomicLong sequence = new AtomicLong();

    MessageIds(String nodeId) {
        this(nodeId, System.currentTimeMillis());
    }

    /** @param nowMillis the wall clock at boot (a test's two "boots" pass the same one) */
    MessageIds(String nodeId, long nowMillis) {
        long boot = LAST_BOOT.accumulateAndGet(nowMillis, (last, now) -> Math.max(last + 1, now));
        prefix = nodeId + '-' + Long.toString(boot, 36) + '.';
    }

    /** The next id; safe from any thread. */
    String next() {
        return prefix + Long.toString(sequence.incrementAndGet(), 36);
    }
}
