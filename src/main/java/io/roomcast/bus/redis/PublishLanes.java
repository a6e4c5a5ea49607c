package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

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
 * subscribed node or none.
 *
 * <p>On a Redis Cluster a batch is split by the shard that owns each room's slot (one
 * publisher's messages to one room share a slot, so their order holds) and sent as SPUBLISH.
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
     * the future completes when Redis has taken it. Safe from any thread.
     */
    CompletableFuture<Void> publish(String orderKey, String channel, String payload) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lanes[Math.floorMod(orderKey.hashCode(), lanes.length)].offer(new Pending(channel, payload, done));
        return done;
    }

    private record Pending(String channel, String payload, CompletableFuture<Void> done) {
    }

    /** One ordered stream of publishes, sent by at most one thread at a time. */
    private final class Lane {

        private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger queued = new AtomicInteger();
        private final AtomicBoolean draining = new AtomicBoolean();

        void offer(Pending message) {
            if (queued.incrementAndGet() > maxQueued) {
                queued.decrementAndGet();
                message.done().completeExceptionally(new BusUnavailableException("Redis publish backlog is full"));
                return;
            }
            queue.add(message);
            if (draining.compareAndSet(false, true)) {
                List<Pending> batch = takeBatch(MAX_BATCH);
                if (!batch.isEmpty()) { // empty when a finishing drain took this message already
                    send(batch);
                }
                release();
            }
        }

        private void drain() {
            List<Pending> batch;
            while (!(batch = takeBatch(MAX_BATCH)).isEmpty()) {
                send(batch);
            }
            release();
        }

        /** Gives the lane up; what was queued after the last poll goes to an executor task. */
        private void release() {
            draining.set(false);
            // A message may have been queued after the last poll but before the flag cleared.
            if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                fail(takeBatch(Integer.MAX_VALUE), e); // shutting down
            }
        }

        private List<Pending> takeBatch(int max) {
            List<Pending> batch = new ArrayList<>();
            Pending next;
            while (batch.size() < max && (next = queue.poll()) != null) {
                queued.decrementAndGet();
                batch.add(next);
            }
            return batch;
        }

        private void send(List<Pending> batch) {
            try {
                connections.byShard(batch, Pending::channel).forEach(this::send);
            } catch (RuntimeException e) {
                fail(batch, e); // no shard owns a room's slot: the cluster is down
            }
        }

        /** One pipeline to one shard; a message Redis refused (MOVED after a failover) fails alone. */
        private void send(HostAndPort shard, List<Pending> batch) {
            List<Response<Object>> replies = new ArrayList<>(batch.size());
            try (Jedis jedis = connections.borrow(shard, batch.get(0).channel())) {
                Pipeline pipeline = jedis.pipelined();
                ProtocolCommand publish = connections.publishCommand();
                batch.forEach(m -> replies.add(pipeline.sendCommand(publish, m.channel(), m.payload())));
                pipeline.sync();
            } catch (RuntimeException e) {
                connections.refresh(); // the shard may have failed over
                fail(batch, e);
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                try {
                    replies.get(i).get();
                    batch.get(i).done().complete(null);
                } catch (JedisDataException e) {
                    connections.refresh();
                    fail(List.of(batch.get(i)), e);
                }
            }
        }

        private void fail(List<Pending> batch, Exception cause) {
            BusUnavailableException failure = new BusUnavailableException("Redis publish failed: " + cause.getMessage(), cause);
            batch.forEach(m -> m.done().completeExceptionally(failure));
        }
    }
}
