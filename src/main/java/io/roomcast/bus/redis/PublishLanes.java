package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.Position;
import io.roomcast.concurrent.SerialDrain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
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
 * same pipelined batches. A batch that meets Redis without the script (restarted or flushed)
 * sends the refused calls again with the script's text, in order, when nothing after them ran;
 * a refused call followed by one that ran (another connection loaded the script meanwhile) is
 * failed instead of being sent out of order.
 *
 * <p>On a Redis Cluster a batch is split by the shard that owns each room's slot (one
 * publisher's messages to one room share a slot, so their order holds) and each part is sent
 * as its own pipeline; PUBLISH becomes SPUBLISH, and the script (whose keys all carry the
 * room's hash tag) runs on the room's shard.
 */
final class PublishLanes {

    private static final int MAX_BATCH = 128;

    private final Lane[] lanes;
    private final RedisConnections connections;
    private final Executor executor;
    private final int maxQueued;

    PublishLanes(int count, int maxQueued, RedisConnections connections, Executor executor) {
        this.connections = connections;
        this.executor = executor;
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
        return offer(orderKey, new Pending(null, List.of(channel), List.of(payload), new CompletableFuture<>()));
    }

    /**
     * Runs {@code script} like {@link #publish} sends a PUBLISH; the future completes with the
     * position the script answered ({@link RoomHistory#position}).
     */
    CompletableFuture<Position> run(String orderKey, LuaScript script, List<String> keys, List<String> args) {
        return offer(orderKey, new Pending(script, keys, args, new CompletableFuture<>()));
    }

    private CompletableFuture<Position> offer(String orderKey, Pending message) {
        lanes[Math.floorMod(orderKey.hashCode(), lanes.length)].offer(message);
        return message.done();
    }

    /** A PUBLISH (no script: keys = channel, args = payload) or a script call. */
    private record Pending(LuaScript script, List<String> keys, List<String> args, CompletableFuture<Position> done) {

        Response<?> queue(Pipeline pipeline, ProtocolCommand publish) {
            return script == null ? pipeline.sendCommand(publish, keys.get(0), args.get(0)) : script.queue(pipeline, keys, args);
        }

        /** The key that decides the shard: the channel, or the script's first key (same slot). */
        String shardKey() {
            return keys.get(0);
        }

        void settle(Object reply) {
            done.complete(script == null ? Position.NONE : RoomHistory.position(reply));
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
            try {
                connections.byShard(batch, Pending::shardKey).forEach(this::send);
            } catch (RuntimeException e) {
                fail(batch, e); // no shard owns a room's slot: the cluster is down
            }
        }

        /** One pipeline to one shard (the only one with one Redis). */
        private void send(HostAndPort shard, List<Pending> batch) {
            try (Jedis jedis = connections.borrow(shard, batch.get(0).shardKey())) {
                Pipeline pipeline = jedis.pipelined();
                List<Response<?>> replies = new ArrayList<>(batch.size());
                ProtocolCommand publish = connections.publishCommand();
                batch.forEach(m -> replies.add(m.queue(pipeline, publish)));
                pipeline.sync();
                List<Pending> retry = settle(batch, replies);
                if (!retry.isEmpty()) {
                    Pipeline again = jedis.pipelined();
                    List<Response<?>> retried = new ArrayList<>(retry.size());
                    retry.forEach(m -> retried.add(m.script().queueText(again, m.keys(), m.args())));
                    again.sync();
                    fail(settle(retry, retried), new IllegalStateException("Redis refused the script's text"));
                }
            } catch (RuntimeException e) {
                connections.refresh(); // the shard may have failed over
                fail(batch.stream().filter(m -> !m.done().isDone()).toList(), e);
            }
        }

        /** Completes what Redis answered; returns the NOSCRIPT refusals that may be sent again. */
        private List<Pending> settle(List<Pending> batch, List<Response<?>> replies) {
            int lastRan = -1;
            List<RuntimeException> errors = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                RuntimeException error = null;
                try {
                    batch.get(i).settle(replies.get(i).get());
                    lastRan = i;
                } catch (RuntimeException e) {
                    error = e;
                }
                errors.add(error);
            }
            List<Pending> retry = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                RuntimeException error = errors.get(i);
                if (error == null) {
                    continue;
                }
                if (i > lastRan && LuaScript.isNoScript(error)) {
                    retry.add(batch.get(i));
                } else {
                    connections.refresh(); // MOVED: the slot map changed (nothing with one Redis)
                    fail(List.of(batch.get(i)), error);
                }
            }
            return retry;
        }

        private void fail(List<Pending> batch, Exception cause) {
            BusUnavailableException failure = new BusUnavailableException("Redis publish failed: " + cause.getMessage(), cause);
            batch.forEach(m -> m.done().completeExceptionally(failure));
        }
    }
}
