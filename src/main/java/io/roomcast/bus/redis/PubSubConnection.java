package io.roomcast.bus.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A subscriber's connection in pub/sub mode (SUBSCRIBE, or SSUBSCRIBE on a Redis Cluster): any
 * thread sends, one loop thread {@link #read reads}. Every command names one channel and gets
 * exactly one reply, in the order sent, so the queue of commands sent tells what each reply
 * answers. That is why Jedis's pub/sub classes are not used: to them Redis's own unsubscribe
 * (its slot moved) looks like the confirmation of ours, and a refused command (MOVED, for a
 * subscribe sent on a stale slot map) ends the whole connection, with every room on it.
 */
final class PubSubConnection extends Connection {

    /** What this connection's replies and messages mean; all on the reading thread. */
    interface Replies {

        /** Redis confirmed our subscribe of {@code channel}. */
        void subscribed(String channel);

        /** {@code channel} is no longer subscribed: confirming our unsubscribe ({@code asked}), or by Redis itself. */
        void unsubscribed(String channel, boolean asked);

        /** Redis refused our (un)subscribe of {@code channel}: nothing changed on the connection. */
        void refused(String channel, boolean subscribe, JedisDataException error);

        void message(String channel, String payload);
    }

    private record Sent(boolean subscribe, String channel) {
    }

    private final Protocol.Command subscribe;
    private final Protocol.Command unsubscribe;
    /** Added to under the write lock in the order sent; polled by the reading thread. */
    private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final Object writeLock = new Object();

    /** Connects (and authenticates) at once; throws when {@code shard} cannot be reached. */
    PubSubConnection(HostAndPort shard, JedisClientConfig config, boolean sharded) {
        super(shard, config);
        this.subscribe = sharded ? Protocol.Command.SSUBSCRIBE : Protocol.Command.SUBSCRIBE;
        this.unsubscribe = sharded ? Protocol.Command.SUNSUBSCRIBE : Protocol.Command.UNSUBSCRIBE;
    }

    void subscribe(String channel) {
        send(new Sent(true, channel));
    }

    void unsubscribe(String channel) {
        send(new Sent(false, channel));
    }

    private void send(Sent command) {
        synchronized (writeLock) {
            sent.add(command);
            sendCommand(command.subscribe() ? subscribe : unsubscribe, command.channel());
            flush();
        }
    }

    /** Hands every reply and message to {@code replies} until the connection ends (by an exception). */
    void read(Replies replies) {
        setTimeoutInfinite(); // a silent but live subscriber is normal; the probe finds a dead one
        while (true) {
            List<?> reply;
            try {
                reply = (List<?>) getUnflushedObject();
            } catch (JedisDataException refused) { // an error reply: the stream goes on
                Sent command = sent.poll();
                if (command == null) {
                    throw refused;
                }
                replies.refused(command.channel(), command.subscribe(), refused);
                continue;
            }
            dispatch(reply, replies);
        }
    }

    private void dispatch(List<?> reply, Replies replies) {
        String kind = text(reply.get(0));
        String channel = text(reply.get(1));
        switch (kind) {
            case "message", "smessage" -> replies.message(channel, text(reply.get(2)));
            case "subscribe", "ssubscribe" -> {
                sent.remove(); // only ever a reply: its command heads the queue
                replies.subscribed(channel);
            }
            case "unsubscribe", "sunsubscribe" -> {
                Sent next = sent.peek();
                boolean asked = next != null && !next.subscribe() && next.channel().equals(channel);
                if (asked) {
                    sent.remove();
                }
                replies.unsubscribed(channel, asked);
            }
            default -> throw new IllegalStateException("Unexpected pub/sub reply " + kind);
        }
    }

    private static String text(Object raw) {
        return new String((byte[]) raw, StandardCharsets.UTF_8);
    }
}
