package io.roomcast.bus.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One Lua script, run by its SHA1 (EVALSHA) so that only its 40-character digest travels per
 * call. Redis forgets scripts when it restarts or is flushed with SCRIPT FLUSH: a call answered
 * NOSCRIPT is sent again with the whole text (EVAL), which also loads it for the next calls.
 */
final class LuaScript {

    private final String text;
    private final String sha;

    LuaScript(String text) {
        this.text = text;
        this.sha = sha1(text);
    }

    /** One call on {@code jedis}, falling back to EVAL on NOSCRIPT. */
    Object run(Jedis jedis, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(sha, keys, args);
        } catch (JedisDataException e) {
            if (!isNoScript(e)) {
                throw e;
            }
            return jedis.eval(text, keys, args);
        }
    }

    /** Queues an EVALSHA; its response fails with NOSCRIPT ({@link #isNoScript}) when Redis lost the script. */
    Response<Object> queue(Pipeline pipeline, List<String> keys, List<String> args) {
        return pipeline.evalsha(sha, keys, args);
    }

    /** Queues the whole script (after a NOSCRIPT). */
    Response<Object> queueText(Pipeline pipeline, List<String> keys, List<String> args) {
        return pipeline.eval(text, keys, args);
    }

    static boolean isNoScript(RuntimeException e) {
        return e instanceof JedisDataException && e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JVM", e);
        }
    }
}
