package it.io.roomcast.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP proxy in front of one server port, for network failures no client library
 * produces on purpose: {@link #blackHole()} makes every connection, open or new, go silent in
 * both directions (bytes are read and dropped, no FIN, no RST, no close frame), as a dead
 * network path does; {@link #refuse()} resets every connection, open or new, as a host that
 * is unreachable does; {@link #restore()} ends either outage; {@link #delay} makes the path
 * slow instead (each request waits before it is passed on, as over a long or congested link).
 * The servers behind stay real.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final URI target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private enum Mode { OPEN, SILENT, REFUSING }

    private volatile Mode mode = Mode.OPEN;
    private volatile long delayNanos;

    private TcpProxy(ServerSocket listener, URI target) {
        this.listener = listener;
        this.target = target;
    }

    /** Listens on a free loopback port and forwards every connection to {@code target}'s port. */
    public static TcpProxy start(URI target) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TcpProxy proxy = new TcpProxy(listener, target);
        daemon("proxy-accept-" + listener.getLocalPort(), proxy::acceptLoop);
        return proxy;
    }

    /** The target URI (e.g. a node's WebSocket endpoint), reached through this proxy. */
    public URI uri() {
        return URI.create(target.getScheme() + "://127.0.0.1:" + listener.getLocalPort() + target.getRawPath());
    }

    /**
     * From now on every chunk a client sends waits {@code latency} before it is passed on (the
     * server's answers pass at once): on a connection that waits for each answer, as a Redis
     * client does, every command takes {@code latency} more. Zero ends the delay.
     */
    public void delay(Duration latency) {
        delayNanos = latency.toNanos();
    }

    /** From now on nothing passes, on open connections nor on new ones, until {@link #restore()}. */
    public void blackHole() {
        mode = Mode.SILENT;
        links.forEach(Link::silence);
    }

    /** From now on every connection, open or new, is reset at once, until {@link #restore()}. */
    public void refuse() {
        mode = Mode.REFUSING;
        links.forEach(Link::reset);
    }

    /**
     * Ends the outage: connections that went silent are reset on both sides (their peers learn
     * of the loss only now, without a close frame), new connections pass again.
     */
    public void restore() {
        mode = Mode.OPEN;
        for (Link link : links) {
            if (link.silent) {
                link.reset();
            }
        }
    }

    /** Ends every connection now with a reset: no close frame reaches either side. */
    public void cutAll() {
        blackHole();
        restore();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Link link = new Link(client);
                links.add(link);
                if (mode == Mode.REFUSING) {
                    link.reset();
                } else if (mode == Mode.SILENT) {
                    // The handshake goes nowhere: the client's own timeout has to notice.
                    link.silence();
                    daemon("proxy-sink", () -> link.pump(client, null, false));
                } else {
                    link.open(target.getPort());
                }
            } catch (IOException closedOrRefused) {
                // The listener was closed, or the target refused one connection: go on or end.
            }
        }
    }

    /** One proxied connection: the client's socket and, once connected, the server's. */
    private final class Link {
        private final Socket client;
        private volatile Socket server;
        private volatile boolean silent;

        Link(Socket client) {
            this.client = client;
        }

        void open(int port) throws IOException {
            try {
                server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            } catch (IOException refused) {
                reset();
                throw refused;
            }
            daemon("proxy-up", () -> pump(client, server, true));
            daemon("proxy-down", () -> pump(server, client, false));
        }

        void silence() {
            silent = true;
        }

        /**
         * Copies {@code from} to {@code to} (drops the bytes while silent or without a target);
         * {@code upstream}: the client's side, which {@link #delay} slows.
         */
        void pump(Socket from, Socket to, boolean upstream) {
            byte[] buffer = new byte[16_384];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    long delay = delayNanos;
                    if (upstream && delay > 0) {
                        LockSupport.parkNanos(delay); // the simulated link's latency
                    }
                    if (!silent && out != null) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
                // An orderly end on one side passes on as an orderly end, unless the path is dead.
                if (!silent && to != null) {
                    to.shutdownOutput();
                }
            } catch (IOException ended) {
                if (!silent) {
                    reset();
                }
            }
        }

        void reset() {
            links.remove(this);
            abort(client);
            if (server != null) {
                abort(server);
            }
        }
    }

    /** Closes with a reset (RST), the way a connection lost in the network finally ends. */
    private static void abort(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException alreadyGone) {
            // nothing left to end
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        links.forEach(Link::reset);
    }
}
