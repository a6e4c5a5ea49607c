package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.Position;
import io.roomcast.concurrent.SerialDrain;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Publishes through the connection pool without reordering one publisher's messages. Two
 * publishes handed to two pooled connections can reach Redis in either order, so every
 * message carries an order key (publisher and room) and each key maps to one fixed lane. A
 * lane sends one pipelined batch at a time, in offer order, on one borrowed connection; Redis
 * delivers what one connection published in the order it was published. Different keys share
 * lanes, which only costs them some parallelism.
 *
 * <p>An idle lane sends on the caller's thread: one round trip to Redis, bounded by the
 * command timeout. Handing every publish to an executor thread cost a thread wake-up, 0.3 to
 * 0.4 ms at the median on a 2-core VM and far more in the tail (docs/BENCHMARKS.md, "Cross-node
 * latency"). What arrives while a lane is busy queues, and an executor task drains it in
 * batches, so no caller sends for others. A lane holds at most {@code maxQueued} messages;
 * beyond that, and whenever Redis cannot be reached, the message's future fails with
 * {@link BusUnavailableException}. Each Redis PUBLISH is atomic: a message reaches every
 * subscribed node or none. A failure is ambiguous: a connection that fails (a read timeout, a
 * reset) fails every unsettled message of its batch, and Redis may have run some of them already.
 * Publishers make the retry safe with an idempotency key (the publish script answers a repeated
 * key with the first message, {@link RoomHistory}).
 *
 * <p>With history on, a message is one call of the publish script instead of a PUBLISH, in the
 * same pipelined batches.
 *
 * <p>On a Redis Cluster a batch is split by the shard that owns each room's slot (one
 * publisher's messages to one room share a slot, so their order holds) and each part is sent
 * as its own pipeline; PUBLISH becomes SPUBLISH, and the script (whose keys all carry the
 * room's hash tag) runs on the room's shard.
 *
 * <p>What Redis refuses without running it is sent again ({@link Redirected}): the script's
 * text after NOSCRIPT (Redis restarted or flushed), the new owner after MOVED, ASKING on the
 * target after ASK, and after a pause on TRYAGAIN while a resharding migrates the room's slot,
 * for at most the command timeout. A publish Redis accepted is never refused, and none is sent
 * twice; a refused call followed by one of its room that ran is failed rather than reordered.
 *
 * <p>A shard that a send could not reach is marked unreachable for a while
 * ({@code roomcast.redis.unreachable-ms}): its messages then fail at once, unsent, and the
 * batch's other shards go out without waiting out the timeout first, batch after batch. A
 * lane still sends one batch at a time, so a room's later message never runs before an
 * earlier one that is still being sent; a failed one is never sent again.
 */
final class PublishLanes {

    private static final int MAX_BATCH = 128;

    private final Lane[] lanes;
    private final RedisConnections connections;
    private final Redirected<Pending> sender;
    private final Executor executor;
    private final int maxQueued;

    PublishLanes(int count, int maxQueued, RedisConnections connections, Executor executor) {
        this.connections = connections;
        this.executor = executor;
        this.sender = new Redirected<>(connections, new Publishes(), Redirected.patience(connections));
        this.maxQueued = maxQueued;
        this.lanes = new Lane[count];
        for (int i = 0; i < count; i++) {
            lanes[i] = new Lane();
        }
    }

    /**
     * Sends one PUBLISH, on this thread when its lane is idle, else after the lane's queue;
     * the future completes ({@link Position#NONE}) when Redis has taken it. Safe from any thread.
     */
    CompletableFuture<Position> publish(String orderKey, String channel, String payload) {
        return offer(orderKey, new Pending(null, List.of(channel), List.of(payload), false, new CompletableFuture<>()));
    }

    /**
     * Publishes a shard's probe like {@link #publish}, on the lane of its channel; unlike other
     * messages it is sent even while its shard is marked unreachable, since its coming back is
     * what clears the mark ({@link UnreachableShards}).
     */
    CompletableFuture<Position> probe(String channel, String payload) {
        return offer(channel, new Pending(null, List.of(channel), List.of(payload), true, new CompletableFuture<>()));
    }

    /**
     * Runs {@code script} like {@link #publish} sends a PUBLISH; the future completes with the
     * position the script answered ({@link RoomHistory#position}).
     */
    CompletableFuture<Position> run(String orderKey, LuaScript script, List<String> keys, List<String> args) {
        return offer(orderKey, new Pending(script, keys, args, false, new CompletableFuture<>()));
    }

    private CompletableFuture<Position> offer(String orderKey, Pending message) {
        lanes[Math.floorMod(orderKey.hashCode(), lanes.length)].offer(message);
        return message.done();
    }

    /** A PUBLISH (no script: keys = channel, args = payload) or a script call; {@code probe}: a shard's probe. */
    private record Pending(LuaScript script, List<String> keys, List<String> args, boolean probe,
                           CompletableFuture<Position> done) {

        Response<?> queue(Pipeline pipeline, ProtocolCommand publish, boolean scriptText) {
            if (script == null) {
                return pipeline.sendCommand(publish, keys.get(0), args.get(0));
            }
            return scriptText ? script.queueText(pipeline, keys, args) : script.queue(pipeline, keys, args);
        }

        /** The key that decides the shard: the channel, or the script's first key (same slot). */
        String shardKey() {
            return keys.get(0);
        }

        void settle(Object reply) {
            done.complete(script == null ? Position.NONE : RoomHistory.position(reply));
        }
    }

    /** How a publish is sent, answered and failed. */
    private final class Publishes implements Redirected.Commands<Pending> {

        @Override
        public String key(Pending message) {
            return message.shardKey();
        }

        @Override
        public boolean ordered() {
            return true;
        }

        @Override
        public Response<?> queue(Pipeline pipeline, Pending message, boolean scriptText) {
            return message.queue(pipeline, connections.publishCommand(), scriptText);
        }

        @Override
        public void settle(Pending message, Object reply) {
            message.settle(reply);
        }

        @Override
        public void fail(Pending message, Exception cause) {
            message.done().completeExceptionally(new BusUnavailableException("Redis publish failed: " + cause.getMessage(), cause));
        }

        @Override
        public boolean settled(Pending message) {
            return message.done().isDone();
        }

        @Override
        public boolean probe(Pending message) {
            return message.probe();
        }
    }

    /** One ordered stream of publishes, sent by at most one thread at a time. */
    private final class Lane {

        private final SerialDrain<Pending> queue = new SerialDrain<>(maxQueued);

        void offer(Pending message) {
            if (!queue.offer(message)) {
                message.done().completeExceptionally(new BusUnavailableException("Redis publish backlog is full"));
                return;
            }
            if (queue.claim()) {
                List<Pending> batch = queue.poll(MAX_BATCH);
                if (!batch.isEmpty()) { // empty when a finishing drain took this message already
                    send(batch);
                }
                // What was queued meanwhile goes to an executor task: no caller sends for others.
                if (queue.release()) {
                    queue.startOn(executor, this::drain, this::fail); // refused: shutting down
                }
            }
        }

        private void drain() {
            do {
                List<Pending> batch;
                while (!(batch = queue.poll(MAX_BATCH)).isEmpty()) {
                    send(batch);
                }
            } while (queue.release());
        }

        private void send(List<Pending> batch) {
            sender.send(batch);
        }

        private void fail(List<Pending> batch, Exception cause) {
            BusUnavailableException failure = new BusUnavailableException("Redis publish failed: " + cause.getMessage(), cause);
            batch.forEach(m -> m.done().completeExceptionally(failure));
        }
    }
}
