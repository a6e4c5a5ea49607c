package it.io.roomcast.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on its own port, for one test class. Keeps nothing on
 * disk. Can be stopped and started again on the same port to simulate an outage.
 */
@SuppressWarnings("try") // close() waits for the process to end; an interrupt there must reach the test
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port) throws IOException {
        this.port = port;
        this.dir = Files.createTempDirectory("roomcast-redis-" + port);
    }

    /** Starts a new server on a free port and waits until it answers PING. */
    public static RedisServer start() throws Exception {
        RedisServer server = new RedisServer(FreePorts.next());
        server.launch();
        return server;
    }

    /** Starts the process (again) on this server's port. */
    public void launch() throws Exception {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (answersPing()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + dir.resolve("redis.log"));
            }
            Thread.sleep(50); // polling a starting process: there is no event to wait on
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port);
    }

    /** Ends the process at once (SIGKILL): connected clients see the connection drop. */
    public void kill() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    public int port() {
        return port;
    }

    /** The redis-server process id, for CPU and memory figures. */
    public long pid() {
        return process.pid();
    }

    /** {@code redis://127.0.0.1:PORT}, the form {@code roomcast.redis.url} takes. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Sends one inline command (e.g. {@code PUBSUB CHANNELS *}) and returns the raw reply. */
    public String command(String inline) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder reply = new StringBuilder(in.readLine()).append('\n');
            char kind = reply.charAt(0);
            if (kind == '*') {
                int items = Integer.parseInt(reply.substring(1).trim());
                for (int i = 0; i < items * 2 && items > 0; i++) {
                    reply.append(in.readLine()).append('\n');
                }
            } else if (kind == '$' && !reply.toString().startsWith("$-1")) {
                reply.append(in.readLine()).append('\n');
            }
            return reply.toString();
        }
    }

    private boolean answersPing() {
        try {
            return command("PING").startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        kill();
    }
}
