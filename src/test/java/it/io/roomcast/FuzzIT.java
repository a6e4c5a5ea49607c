package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.FrameFuzzer;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.RawWebSocket;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Over 100,000 malformed and random frames from many pipelining connections: every frame is
 * answered (an error where one is due) or ends in a clean close, the server stays up, and a
 * client that only listens receives every message of a steady stream published meanwhile.
 * The seed is printed; rerun one with {@code -Dfuzz.seed=N}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FuzzIT {

    static final int PIPELINES = 20;
    static final int FRAMES_PER_PIPELINE = 5_000;
    static final int CLOSERS = Integer.getInteger("fuzz.closers", 60);
    static final int MAX_BYTES = 65_536;

    @Deployment(testable = false)
    static WebArchive deployment() {
        // No rate limit in the way: every frame must reach the parser.
        return Deployments.roomcast("fuzz", Map.of(
                "roomcast.rate.messages-per-second", "1000000",
                "roomcast.outbox.max-messages", "100000",
                "roomcast.max-message-bytes", String.valueOf(MAX_BYTES)));
    }

    @ArquillianResource
    URL base;

    @Test
    void serverAnswersEveryMalformedFrameAndKeepsServingOthers() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("FuzzIT seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        URI ws = Urls.websocket(base);
        Random seeds = new Random(seed);
        AtomicInteger framesSent = new AtomicInteger();
        Map<Integer, Integer> closeCodes = new ConcurrentHashMap<>();
        List<String> containerCloses = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(PIPELINES + 4);
        try (WsClient watcher = WsClient.connect(ws); WsClient publisher = WsClient.connect(ws)) {
            watcher.join("steady");
            publisher.join("steady");
            List<Future<?>> fuzzers = new ArrayList<>();
            for (int i = 0; i < PIPELINES; i++) {
                long pipelineSeed = seeds.nextLong();
                fuzzers.add(pool.submit(() -> pipeline(ws, pipelineSeed, framesSent, containerCloses)));
            }
            FrameFuzzer closerFuzzer = new FrameFuzzer(new Random(seeds.nextLong()), MAX_BYTES);
            fuzzers.add(pool.submit(() -> closers(ws, closerFuzzer, framesSent, closeCodes)));
            AtomicBoolean fuzzing = new AtomicBoolean(true);
            Future<Integer> stream = pool.submit(() -> steadyStream(publisher, fuzzing));
            for (Future<?> fuzzer : fuzzers) {
                fuzzer.get();
            }
            fuzzing.set(false);
            int published = stream.get();
            List<JsonObject> received = watcher.messages(published);
            for (int n = 0; n < published; n++) {
                assertEquals(n, received.get(n).getInt("data"), "steady message " + n);
            }
            System.out.println("FuzzIT: " + framesSent.get() + " frames; close codes of closing frames " + closeCodes
                    + "; steady stream of " + published + " messages all received in order; innocent connections"
                    + " closed by the container: " + containerCloses.size());
            assertTrue(framesSent.get() >= 100_000, "only " + framesSent.get() + " frames");
            assertTrue(published > 0);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, Http.get(Urls.serverRoot(base, "/health/live")).statusCode());
        try (WsClient after = WsClient.connect(ws)) {
            assertEquals("pong", after.request("{\"type\":\"ping\"}").getString("type"));
        }
    }

    /**
     * One connection sends its frames back to back while a reader counts the answers; the final
     * ping's pong proves every earlier frame was handled, and the count of errors must match.
     *
     * <p>Liberty 26.0.0.3 now and then closes such a connection with 1007 (invalid UTF-8) although
     * every frame on it is valid UTF-8, apparently when other connections misbehave at the same
     * time (seen in about one run in five). That close is clean, so it meets the contract, but it
     * is recorded and printed, and the same frames are sent once more on a new connection so that
     * every frame is still answered. Any other close, or a second one, fails the test.
     */
    private static Void pipeline(URI ws, long seed, AtomicInteger framesSent, List<String> containerCloses)
            throws Exception {
        FrameFuzzer fuzzer = new FrameFuzzer(new Random(seed), MAX_BYTES);
        List<FrameFuzzer.Fuzz> frames = new ArrayList<>(FRAMES_PER_PIPELINE);
        for (int i = 0; i < FRAMES_PER_PIPELINE; i++) {
            frames.add(fuzzer.next());
        }
        for (int attempt = 1; true; attempt++) {
            RawWebSocket.Frame close = sendAndCount(ws, frames);
            if (close == null) {
                framesSent.addAndGet(FRAMES_PER_PIPELINE + 1);
                return null;
            }
            String what = "pipeline seed " + seed + " closed with " + close.closeCode() + " " + close.closeReason();
            assertTrue(close.closeCode() == 1007 && attempt == 1, "server closed a connection that sent no closing frame: "
                    + what);
            containerCloses.add(what);
            System.out.println("FuzzIT WARNING: " + what + "; sending its frames again on a new connection");
        }
    }

    /** Sends {@code frames} pipelined and checks the answers; the close frame if the server closed instead. */
    private static RawWebSocket.Frame sendAndCount(URI ws, List<FrameFuzzer.Fuzz> frames) throws Exception {
        long expectedErrors = frames.stream().filter(FrameFuzzer.Fuzz::expectsError).count();
        try (RawWebSocket socket = RawWebSocket.connect(ws, null, Map.of())) {
            assertEquals("welcome", typeOf(socket.readFrame()));
            Thread writer = new Thread(() -> {
                try {
                    for (FrameFuzzer.Fuzz frame : frames) {
                        socket.sendFrame(1, frame.bytes());
                    }
                    socket.sendText("{\"type\":\"ping\",\"ref\":\"fuzz-end\"}");
                } catch (Exception closedMeanwhile) {
                    // the reader reports why
                }
            });
            writer.start();
            long errors = 0;
            while (true) {
                RawWebSocket.Frame reply = socket.readFrame();
                if (reply.opcode() == 8) {
                    return reply;
                }
                String text = reply.text();
                if (text.startsWith("{\"type\":\"error\"")) {
                    errors++;
                } else if (text.startsWith("{\"type\":\"pong\"") && text.contains("fuzz-end")) {
                    break;
                }
            }
            writer.join();
            assertEquals(expectedErrors, errors, "error answers");
            return null;
        }
    }

    /** Connections that each end with a frame that must close them (bad UTF-8, binary, too big, bad opcode). */
    private static Void closers(URI ws, FrameFuzzer fuzzer, AtomicInteger framesSent, Map<Integer, Integer> codes)
            throws Exception {
        for (int i = 0; i < CLOSERS; i++) {
            try (RawWebSocket socket = RawWebSocket.connect(ws, null, Map.of())) {
                assertEquals("welcome", typeOf(socket.readFrame()));
                for (int k = 0; k < 20; k++) {
                    socket.sendFrame(1, fuzzer.next().bytes());
                }
                FrameFuzzer.Fuzz last = fuzzer.closing(i);
                socket.sendFrame(last.opcode(), last.bytes());
                RawWebSocket.Frame close = socket.readCloseFrame();
                assertNotNull(close, "closing frame " + i + ": the socket ended without a close frame");
                codes.merge(close.closeCode(), 1, Integer::sum);
                assertTrue(close.closeCode() >= 1002 && close.closeCode() <= 1009,
                        "closing frame " + i + " closed with " + close.closeCode());
                framesSent.addAndGet(21);
            }
        }
        return null;
    }

    /** Publishes 0, 1, 2... to {@code steady}, each after the previous one's ack, while fuzzing lasts. */
    private static int steadyStream(WsClient publisher, AtomicBoolean fuzzing) throws Exception {
        int n = 0;
        while (fuzzing.get()) {
            String ref = "s" + n;
            publisher.send("{\"type\":\"publish\",\"room\":\"steady\",\"data\":" + n + ",\"ref\":\"" + ref + "\"}");
            publisher.next(f -> "ack".equals(f.getString("type")) && ref.equals(f.getString("ref")));
            n++;
        }
        return n;
    }

    private static String typeOf(RawWebSocket.Frame frame) {
        return frame.text().replaceFirst("^\\{\"type\":\"([a-z]+)\".*$", "$1");
    }
}
