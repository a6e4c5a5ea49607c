package it.io.roomcast.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written on a plain socket, for what a well-behaved client library will
 * not do: stop reading, reset the TCP connection without a close frame, send invalid UTF-8,
 * connect from a chosen local address, or send handshake headers of its choosing.
 */
public final class RawWebSocket implements AutoCloseable {

    /** A frame as read from the server. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The reason of a close frame (empty when it has none). */
        public String closeReason() {
            return opcode == 8 && payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        /** The close code of a close frame, or -1. */
        public int closeCode() {
            return opcode == 8 && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String handshakeHead;

    private RawWebSocket(Socket socket, String handshakeHead) throws IOException {
        this.socket = socket;
        // Buffered: a pipelining test reads hundreds of thousands of small frames.
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65_536));
        this.out = socket.getOutputStream();
        this.handshakeHead = handshakeHead;
    }

    public static RawWebSocket connect(URI uri) throws IOException {
        return connect(uri, null, Map.of());
    }

    /**
     * Opens a socket (from {@code localAddress} when given), sends the upgrade request with
     * {@code headers} added, and reads the response head.
     */
    public static RawWebSocket connect(URI uri, InetAddress localAddress, Map<String, String> headers) throws IOException {
        Socket socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        socket.setSoTimeout(10_000);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(uri.getRawPath()).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                .append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(uri.getPort())
                .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ")
                .append(Base64.getEncoder().encodeToString(key)).append("\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        return new RawWebSocket(socket, readHead(socket));
    }

    private static String readHead(Socket socket) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        var in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The HTTP status line of the handshake answer, e.g. {@code HTTP/1.1 101 Switching Protocols}. */
    public String handshakeStatus() {
        int end = handshakeHead.indexOf('\r');
        return end < 0 ? handshakeHead : handshakeHead.substring(0, end);
    }

    /** The values of the handshake answer's header {@code name} (case-insensitive), in order. */
    public List<String> handshakeHeader(String name) {
        return handshakeHead.lines().skip(1).filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(line -> line.substring(name.length() + 1).trim()).toList();
    }

    public boolean upgraded() {
        return handshakeStatus().contains(" 101 ");
    }

    public void sendText(String text) throws IOException {
        sendFrame(1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one final, masked frame with any opcode and payload (bytes need not be valid UTF-8). */
    public void sendFrame(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads the next frame from the server (server frames are unmasked). */
    public Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0f, payload);
    }

    /** Reads frames until a close frame arrives; returns its code (-1 if the socket just ended). */
    public int readUntilClose() throws IOException {
        Frame close = readCloseFrame();
        return close == null ? -1 : close.closeCode();
    }

    /** Reads frames until a close frame arrives and returns it (reason included); null if the socket just ended. */
    public Frame readCloseFrame() throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = readFrame();
            } catch (java.io.EOFException | java.net.SocketException ended) {
                return null;
            }
            if (frame.opcode() == 8) {
                return frame;
            }
        }
    }

    /** Ends the TCP connection with a reset: no close frame, no FIN, as a crashed client would. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
