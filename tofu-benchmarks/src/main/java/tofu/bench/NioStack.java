package tofu.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Raw Java NIO with the tofu framing: the practical limit of this machine for a JVM. Throughput: one sender thread
 * packs as many whole frames as fit into a 256 KiB direct buffer and writes it with blocking writes (round-robin over
 * the connections); one receiver thread multiplexes the accepted connections on a selector, reads in bulk into a
 * 256 KiB direct buffer and parses frames, copying each body out. Round trips: blocking sockets, one echo thread.
 */
final class NioStack implements Stack {
    static final int IO_BUFFER = 256 * 1024;
    /** Bytes the sender packs per write (-Dtofu.bench.nioBatch). */
    static final int SEND_BATCH = Integer.getInteger("tofu.bench.nioBatch", IO_BUFFER);
    /**
     * SO_SNDBUF of UDS senders, 0 for the system default (-Dtofu.bench.nioUdsSendBuffer=N). tofu asks 4 MiB for its
     * UDS sockets; for raw NIO that was measured slower at 64 B (10-19 M against 29-31 M msg/s, alternating runs)
     * and no better at 16 KiB and 65535 B, so the strongest raw NIO keeps the default.
     */
    static final int UDS_SEND_BUFFER = Integer.getInteger("tofu.bench.nioUdsSendBuffer", 0);
    private static final int READS_PER_EVENT = 16;
    private static final AtomicInteger SOCKETS = new AtomicInteger();

    private final boolean uds;
    private final Path dir;

    /** A stack over TCP ({@code dir == null}) or over UDS socket files created in {@code dir}. */
    NioStack(Path dir) {
        this.uds = dir != null;
        this.dir = dir;
    }

    @Override
    public String name() {
        return uds ? "nio-uds" : "nio-tcp";
    }

    private ServerSocketChannel listen() throws IOException {
        if (uds) {
            Path path = dir.resolve("nio-" + SOCKETS.incrementAndGet() + ".sock");
            Files.deleteIfExists(path);
            return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path), 1024);
        }
        return ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    }

    /** Connects {@code n} blocking client sockets and accepts them; returns {clients, accepted}. */
    private SocketChannel[][] connect(ServerSocketChannel server, int n) throws IOException {
        SocketAddress address = server.getLocalAddress();
        SocketChannel[] clients = new SocketChannel[n];
        SocketChannel[] accepted = new SocketChannel[n];
        for (int i = 0; i < n; i++) {
            clients[i] = SocketChannel.open(address);
            accepted[i] = server.accept();
            if (!uds) {
                clients[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
                accepted[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
            } else if (UDS_SEND_BUFFER > 0) {
                clients[i].setOption(StandardSocketOptions.SO_SNDBUF, UDS_SEND_BUFFER);
            }
        }
        return new SocketChannel[][] {clients, accepted};
    }

    @Override
    public Stream openStream(int bodySize, int channels) throws IOException {
        try (ServerSocketChannel server = listen()) {
            SocketChannel[][] pair = connect(server, channels);
            return new NioStream(pair[0], pair[1], bodySize);
        }
    }

    @Override
    public Pinger openPinger(int bodySize) throws IOException {
        try (ServerSocketChannel server = listen()) {
            SocketChannel[][] pair = connect(server, 1);
            return new NioPinger(pair[0][0], pair[1][0], bodySize);
        }
    }

    private static void closeQuietly(Selector selector) {
        try {
            selector.close();
        } catch (IOException ignored) {
            // the measurement is over; a failing close changes nothing
        }
    }

    static void closeAll(SocketChannel... sockets) {
        for (SocketChannel s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing for cleanup; nothing else to do
            }
        }
    }

    private static final class NioStream extends SenderReceiverStream {
        private final SocketChannel[] clients;
        private final SocketChannel[] accepted;
        private final byte[] body;
        private final Selector selector;
        private final ByteBuffer in = ByteBuffer.allocateDirect(IO_BUFFER);

        NioStream(SocketChannel[] clients, SocketChannel[] accepted, int bodySize) throws IOException {
            super("nio");
            this.clients = clients;
            this.accepted = accepted;
            this.body = Wire.payload(bodySize);
            this.selector = Selector.open();
            for (SocketChannel s : accepted) {
                s.configureBlocking(false);
                s.register(selector, SelectionKey.OP_READ, new FrameScanner());
            }
            startReceiving();
        }


        @Override
        void receive() throws IOException {
            while (!stopReceiving) {
                selector.select(this::onReadable, 100);
            }
        }

        private void onReadable(SelectionKey key) {
            SocketChannel ch = (SocketChannel) key.channel();
            FrameScanner scanner = (FrameScanner) key.attachment();
            try {
                for (int i = 0; i < READS_PER_EVENT; i++) {
                    in.clear();
                    int n = ch.read(in);
                    if (n < 0) {
                        key.cancel();
                        break;
                    }
                    if (n == 0) {
                        break;
                    }
                    in.flip();
                    counter.add(scanner.scan(in));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void send() throws IOException {
            ByteBuffer out = ByteBuffer.allocateDirect(SEND_BATCH);
            int frame = Wire.HEADER + body.length;
            long id = 0;
            while (!stopSending) {
                for (int c = 0; c < clients.length; c++) {
                    out.clear();
                    while (out.remaining() >= frame) {
                        Wire.putHeader(out, c + 1, Wire.OP_SIGNAL, ++id, body.length);
                        out.put(body);
                    }
                    out.flip();
                    while (out.hasRemaining()) {
                        clients[c].write(out);
                    }
                }
            }
        }

        @Override
        void release() {
            closeQuietly(selector);
            closeAll(clients);
            closeAll(accepted);
        }
    }

    private static final class NioPinger implements Pinger {
        private final SocketChannel client;
        private final SocketChannel server;
        private final byte[] body;
        private final ByteBuffer out = ByteBuffer.allocateDirect(Wire.HEADER + Wire.MAX_BODY);
        private final ByteBuffer in = ByteBuffer.allocateDirect(Wire.HEADER + 2 * Wire.MAX_BODY);
        private final Threads.Worker echo;
        private long id;

        NioPinger(SocketChannel client, SocketChannel server, int bodySize) {
            this.client = client;
            this.server = server;
            this.body = Wire.payload(bodySize);
            this.echo = Threads.start("nio-bench-echo", this::echo);
        }

        private void echo() throws IOException {
            ByteBuffer buf = ByteBuffer.allocateDirect(Wire.HEADER + 2 * Wire.MAX_BODY);
            byte[] header = new byte[Wire.HEADER];
            try {
                while (true) {
                    readFrame(server, buf, header);
                    buf.put(Wire.PROTO_OFFSET, (byte) Wire.OP_RESPONSE);
                    buf.flip();
                    while (buf.hasRemaining()) {
                        server.write(buf);
                    }
                }
            } catch (EOFException | java.nio.channels.ClosedChannelException e) {
                // the client closed: the pinger is done
            }
        }

        /** Reads one whole frame into {@code buf} (position = frame end). */
        private static void readFrame(SocketChannel ch, ByteBuffer buf, byte[] header) throws IOException {
            buf.clear();
            readFully(ch, buf, Wire.HEADER);
            buf.get(0, header);
            readFully(ch, buf, Wire.HEADER + Wire.payloadLength(header));
        }

        private static void readFully(SocketChannel ch, ByteBuffer buf, int upTo) throws IOException {
            buf.limit(upTo);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    throw new EOFException("peer closed");
                }
            }
        }

        @Override
        public void roundTrip() throws IOException {
            out.clear();
            Wire.putHeader(out, 1, Wire.OP_REQUEST, ++id, body.length);
            out.put(body).flip();
            while (out.hasRemaining()) {
                client.write(out);
            }
            in.clear();
            readFully(client, in, Wire.HEADER);
            int payload = ((in.get(12) & 0xFF) << 8 | (in.get(13) & 0xFF)) + ((in.get(14) & 0xFF) << 8
                    | (in.get(15) & 0xFF));
            readFully(client, in, Wire.HEADER + payload);
            if (in.get(Wire.PROTO_OFFSET) != Wire.OP_RESPONSE) {
                throw new IllegalStateException("expected a RESPONSE frame");
            }
        }

        @Override
        public void close() {
            closeAll(client);
            try {
                echo.join();
            } finally {
                closeAll(server);
            }
        }
    }
}
