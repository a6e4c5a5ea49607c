package io.roomcast.bench;

import it.io.roomcast.support.RedisServer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis pub/sub by itself, the ceiling a Redis bus cannot beat: the generator publishes the
 * same frames at the same rate straight to Redis, and one subscriber per node (as each
 * Roomcast node holds one subscription per room) receives them. On a Redis Cluster each room
 * goes to its own primary with SPUBLISH, and each subscriber holds one connection per shard. Counts, order and latency
 * use the same {@link Tally} as the fan-out passes; CPU is Redis's own.
 */
final class RedisCeiling {

    static final String NAME = "redis-pubsub-ceiling";

    private RedisCeiling() {
    }

    static Result run(RedisTarget redis, int rooms, int subscribers, int publishers, FanoutPass.Plan plan)
            throws Exception {
        int[] publisherNode = new int[publishers];
        java.util.Arrays.fill(publisherNode, -1); // every hop goes through Redis: all "cross-node"
        Tally tally = new Tally(publisherNode);
        int[] everyPublisher = java.util.stream.IntStream.range(0, publishers).toArray();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int s = 0; s < subscribers; s++) {
                Tally.Receiver receiver = tally.receiver(s, everyPublisher);
                for (int shard = 0; shard < redis.shards().size(); shard++) {
                    sockets.add(subscribe(redis, shard, rooms, receiver));
                }
            }
            List<OutputStream> outs = new ArrayList<>();
            for (RedisServer shard : redis.shards()) {
                Socket publisher = new Socket("127.0.0.1", shard.port());
                sockets.add(publisher);
                drain(publisher.getInputStream());
                outs.add(new BufferedOutputStream(publisher.getOutputStream()));
            }
            return publish(redis, tally, outs, subscribers, publishers, rooms, plan);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static Result publish(RedisTarget redis, Tally tally, List<OutputStream> outs, int subscribers,
            int publishers, int rooms, FanoutPass.Plan plan) throws Exception {
        double[] cpuAtStart = new double[2];
        long total = PublishSchedule.run(plan, publishers, rooms, tally, () -> {
            cpuAtStart[0] = redis.cpuSeconds();
            cpuAtStart[1] = Proc.cpuSeconds(Proc.self());
        }, (p, room, frame) -> {
            // What a Roomcast node would forward: the message frame, published to the room's channel.
            OutputStream out = outs.get(redis.shardOf().get(room));
            out.write(command(redis.publishCommand(), room, frame.replace("\"type\":\"publish\"", "\"type\":\"message\"")));
            out.flush();
        });
        long expected = total * subscribers;
        tally.awaitAll(expected);
        double redisCpu = cpuAtStart[0];
        double selfCpu = cpuAtStart[1];
        long measured = (long) plan.rate() * plan.seconds() * subscribers;
        Tally.Totals t = tally.totals();
        double redisUsed = redis.cpuSeconds() - redisCpu;
        return new Result(NAME)
                .put("publishes_per_s", plan.rate())
                .put("deliveries_per_s", Result.round((double) measured / plan.seconds(), 0))
                .put("expected", expected)
                .put("lost", expected - (t.received - t.duplicates))
                .put("duplicates", t.duplicates)
                .put("reordered", t.reordered)
                .put("p50_ms", Result.ms(t.all.percentile(50)))
                .put("p95_ms", Result.ms(t.all.percentile(95)))
                .put("p99_ms", Result.ms(t.all.percentile(99)))
                .put("max_ms", Result.ms(t.all.percentile(100)))
                .put("redis_cpu_s", Result.round(redisUsed, 2))
                .put("generator_cpu_s", Result.round(Proc.cpuSeconds(Proc.self()) - selfCpu, 2))
                .put("redis_cpu_ms_per_1k_messages", Result.round(redisUsed * 1e6 / measured, 2));
    }

    /**
     * One subscriber connection to {@code shard} for each of its rooms, read by its own daemon
     * thread. One command per room: SSUBSCRIBE takes channels of one slot only.
     */
    private static Socket subscribe(RedisTarget redis, int shard, int rooms, Tally.Receiver receiver) throws IOException {
        Socket socket = new Socket("127.0.0.1", redis.shards().get(shard).port());
        List<String> owned = redis.roomsOf(shard, rooms);
        OutputStream out = new BufferedOutputStream(socket.getOutputStream());
        for (String room : owned) {
            out.write(command(redis.subscribeCommand(), room));
        }
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        for (int r = 0; r < owned.size(); r++) {
            readArray(in); // the subscribe confirmations
        }
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    String[] message = readArray(in);
                    receiver.onMessage(message[2]);
                }
            } catch (IOException closed) {
                // the pass is over
            }
        }, "redis-subscriber");
        reader.setDaemon(true);
        reader.start();
        return socket;
    }

    /** Reads PUBLISH replies so Redis never blocks on a full socket. */
    private static void drain(InputStream in) {
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                while (in.read(buffer) >= 0) {
                    // replies are subscriber counts; nothing to check
                }
            } catch (IOException closed) {
                // the pass is over
            }
        }, "redis-publisher-replies");
        reader.setDaemon(true);
        reader.start();
    }

    private static byte[] command(String... args) {
        StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            resp.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One RESP array of bulk strings or integers, as pub/sub pushes them. */
    private static String[] readArray(InputStream in) throws IOException {
        String header = readLine(in);
        if (header.charAt(0) != '*') {
            throw new IOException("Unexpected Redis reply " + header);
        }
        String[] items = new String[Integer.parseInt(header.substring(1))];
        for (int i = 0; i < items.length; i++) {
            String line = readLine(in);
            if (line.charAt(0) == '$') {
                byte[] bulk = in.readNBytes(Integer.parseInt(line.substring(1)) + 2);
                items[i] = new String(bulk, 0, bulk.length - 2, StandardCharsets.UTF_8);
            } else {
                items[i] = line.substring(1);
            }
        }
        return items;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.append((char) c);
        }
        in.read(); // '\n'
        return line.toString();
    }
}
