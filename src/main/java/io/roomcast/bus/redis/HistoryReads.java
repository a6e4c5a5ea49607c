package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.concurrent.SerialDrain;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * History reads, off the caller's thread (a join's read may be asked for on the subscriber
 * thread, which must never wait for Redis). At most {@code maxReaders} executor tasks read at
 * once, each pipelining whatever reads are queued, so a reconnect storm of joins costs a few
 * round trips and a few pooled connections instead of one of each per join, and never takes
 * the connections the publishing lanes need.
 */
final class HistoryReads {

    private static final int MAX_BATCH = 64;

    private final SerialDrain<Read> queue;
    private final RoomHistory history;
    private final Redirected<Read> sender;
    private final Executor executor;

    HistoryReads(RoomHistory history, RedisConnections connections, Executor executor, int maxReaders) {
        this.history = history;
        this.sender = new Redirected<>(connections, new Reads(), Redirected.patience(connections));
        this.executor = executor;
        this.queue = new SerialDrain<>(Integer.MAX_VALUE, maxReaders);
    }

    /** Queues one read; the future completes on an executor thread, or fails with {@link BusUnavailableException}. */
    CompletableFuture<History> read(String room, HistoryQuery query) {
        Read read = new Read(room, query, new CompletableFuture<>());
        queue.offer(read);
        if (queue.claim()) {
            queue.startOn(executor, this::drain, HistoryReads::fail); // refused: shutting down
        }
        return read.done();
    }

    private record Read(String room, HistoryQuery query, CompletableFuture<History> done) {
    }

    private void drain() {
        do {
            List<Read> batch;
            while (!(batch = queue.poll(MAX_BATCH)).isEmpty()) {
                send(batch);
            }
        } while (queue.release());
    }

    private void send(List<Read> batch) {
        sender.send(batch);
    }

    /** How a read is sent and answered. */
    private final class Reads implements Redirected.Commands<Read> {

        @Override
        public String key(Read read) {
            return RedisNames.metaKey(read.room());
        }

        @Override
        public boolean ordered() {
            return false;
        }

        @Override
        public Response<?> queue(Pipeline pipeline, Read read, boolean scriptText) {
            return history.queueRead(pipeline, read.room(), read.query(), scriptText);
        }

        @Override
        public void settle(Read read, Object reply) {
            read.done().complete(RoomHistory.history(reply));
        }

        @Override
        public void fail(Read read, Exception cause) {
            HistoryReads.fail(List.of(read), cause);
        }

        @Override
        public boolean settled(Read read) {
            return read.done().isDone();
        }
    }

    private static void fail(List<Read> reads, Exception cause) {
        BusUnavailableException failure = new BusUnavailableException("Redis history read failed: " + cause.getMessage(), cause);
        reads.forEach(read -> read.done().completeExceptionally(failure));
    }
}
