package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.concurrent.SerialDrain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import redis.clients.jedis.HostAndPort;
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

    private final SerialDrain<Read> queue;
    private final RoomHistory history;
    private final RedisConnections connections;
    private final Executor executor;

    HistoryReads(RoomHistory history, RedisConnections connections, Executor executor, int maxReaders) {
        this.history = history;
        this.connections = connections;
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
        try {
            connections.byShard(batch, read -> RedisNames.metaKey(read.room())).forEach(this::send);
        } catch (RuntimeException e) {
            fail(batch, e); // no shard owns a room's slot: the cluster is down
        }
    }

    /** One pipeline to one shard (the only one with one Redis). */
    private void send(HostAndPort shard, List<Read> batch) {
        try (Jedis jedis = connections.borrow(shard, RedisNames.metaKey(batch.get(0).room()))) {
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
