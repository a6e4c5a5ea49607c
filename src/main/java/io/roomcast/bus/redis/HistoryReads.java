package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.Jedis;
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

    private final Queue<Read> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readers = new AtomicInteger();
    private final RoomHistory history;
    private final RedisConnections connections;
    private final Executor executor;
    private final int maxReaders;

    HistoryReads(RoomHistory history, RedisConnections connections, Executor executor, int maxReaders) {
        this.history = history;
        this.connections = connections;
        this.executor = executor;
        this.maxReaders = maxReaders;
    }

    /** Queues one read; the future completes on an executor thread, or fails with {@link BusUnavailableException}. */
    CompletableFuture<History> read(String room, HistoryQuery query) {
        Read read = new Read(room, query, new CompletableFuture<>());
        queue.add(read);
        startReader();
        return read.done();
    }

    private record Read(String room, HistoryQuery query, CompletableFuture<History> done) {
    }

    private void startReader() {
        while (!queue.isEmpty()) {
            int running = readers.get();
            if (running >= maxReaders) {
                return; // a running reader takes it
            }
            if (readers.compareAndSet(running, running + 1)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    readers.decrementAndGet();
                    fail(take(Integer.MAX_VALUE), e); // shutting down
                }
                return;
            }
        }
    }

    private void drain() {
        try {
            List<Read> batch;
            while (!(batch = take(MAX_BATCH)).isEmpty()) {
                send(batch);
            }
        } finally {
            readers.decrementAndGet();
            startReader(); // a read queued after the last poll but before the decrement
        }
    }

    private List<Read> take(int max) {
        List<Read> batch = new ArrayList<>();
        Read next;
        while (batch.size() < max && (next = queue.poll()) != null) {
            batch.add(next);
        }
        return batch;
    }

    private void send(List<Read> batch) {
        try (Jedis jedis = connections.borrow()) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<Object>> replies = new ArrayList<>(batch.size());
            batch.forEach(read -> replies.add(history.queueRead(pipeline, read.room(), read.query())));
            pipeline.sync();
            for (int i = 0; i < batch.size(); i++) {
                Read read = batch.get(i);
                try {
                    read.done().complete(RoomHistory.history(replies.get(i).get()));
                } catch (RuntimeException e) {
                    if (LuaScript.isNoScript(e)) {
                        read.done().complete(history.read(jedis, read.room(), read.query())); // loads the script again
                    } else {
                        fail(List.of(read), e);
                    }
                }
            }
        } catch (RuntimeException e) {
            fail(batch.stream().filter(read -> !read.done().isDone()).toList(), e);
        }
    }

    private static void fail(List<Read> reads, Exception cause) {
        BusUnavailableException failure = new BusUnavailableException("Redis history read failed: " + cause.getMessage(), cause);
        reads.forEach(read -> read.done().completeExceptionally(failure));
    }
}
