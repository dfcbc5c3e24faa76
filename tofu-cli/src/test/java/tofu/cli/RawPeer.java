package tofu.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import tofu.cli.wire.FrameScanner;
import tofu.cli.wire.WireFrame;

/**
 * A tofu echo peer written on plain sockets, independent of the library, with bugs that can be switched on one by
 * one: the "deliberately broken peer" that {@code tofu check} must catch, and a hostile peer for the output-safety
 * tests. Without bugs it follows the protocol: hello first, echo of requests and signals, bye answered, anything
 * malformed drops the connection.
 *
 * <p>One thread accepts, one thread serves each connection; {@link #close()} stops them all (bounded).
 */
final class RawPeer implements AutoCloseable {
    /** Header value with every kind of control character a terminal reacts to. */
    static final String HOSTILE = "\u001b[2J\u001b]0;pwned\u0007\rforged\nline\u007f\u009b31m\u202eevil";

    /** The bugs. */
    enum Bug {
        /** The HelloResponse carries the request's id + 1. */
        WRONG_HELLO_ID,
        /** Echoes clear the more flag. */
        DROP_MORE_FLAG,
        /** Every frame sent has status byte 5. */
        STATUS_BYTE,
        /** Frames with opcodes 8..15 are ignored instead of dropping the connection. */
        IGNORE_BAD_OPCODES,
        /** A connection may start with any frame. */
        ANSWER_BEFORE_HELLO,
        /** After the bye exchange and the client's FIN, the connection is reset instead of closed. */
        RESET_AFTER_BYE,
        /** An echoed 65535-byte body comes back cut to 65000 bytes. */
        TRUNCATE_BIG_BODY,
        /** Requests with even ids get no answer. */
        ODD_ONLY,
        /** Every frame sent carries a header whose value is {@link #HOSTILE}, and a body with an ESC sequence. */
        HOSTILE_HEADERS
    }

    private final ServerSocketChannel server;
    private final String address;
    private final Set<Bug> bugs;
    private final Thread acceptor;
    private final List<SocketChannel> connections = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private RawPeer(ServerSocketChannel server, String address, Set<Bug> bugs) {
        this.server = server;
        this.address = address;
        this.bugs = bugs;
        this.acceptor = new Thread(this::accept, "raw-peer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a peer on loopback TCP or a UDS socket under {@code dir}, with the given bugs. */
    static RawPeer start(Transport transport, Path dir, Bug... bugs) throws IOException {
        Set<Bug> set = bugs.length == 0 ? EnumSet.noneOf(Bug.class) : EnumSet.copyOf(Arrays.asList(bugs));
        if (transport == Transport.TCP) {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return new RawPeer(s, "tcp|127.0.0.1|" + ((InetSocketAddress) s.getLocalAddress()).getPort(), set);
        }
        Path path = dir.resolve("raw-" + System.nanoTime() + ".sock");
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(path));
        return new RawPeer(s, "uds|" + path, set);
    }

    /** Returns the address a client dials. */
    String address() {
        return address;
    }

    private void accept() {
        try {
            while (true) {
                SocketChannel ch = server.accept();
                Thread t = new Thread(() -> serve(ch), "raw-peer-conn");
                t.setDaemon(true);
                synchronized (connections) {
                    connections.add(ch);
                    threads.add(t);
                }
                t.start();
            }
        } catch (IOException e) {
            // Closed: stop accepting.
        }
    }

    private void serve(SocketChannel ch) {
        FrameScanner scanner = new FrameScanner();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        boolean[] state = new boolean[2]; // [0] hello seen, [1] bye answered
        try (ch) {
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    if (bugs.contains(Bug.RESET_AFTER_BYE) && state[1]
                            && ch.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) { // TCP only
                        ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                    }
                    return;
                }
                List<WireFrame> frames = new ArrayList<>();
                scanner.feed(buf.array(), 0, n, frames::add);
                for (WireFrame f : frames) {
                    if (!handle(ch, f, state)) {
                        return; // dropped: close
                    }
                }
            }
        } catch (IOException e) {
            // The client went away.
        }
    }

    /** Answers one frame; returns false to drop the connection. */
    private boolean handle(SocketChannel ch, WireFrame f, boolean[] state) throws IOException {
        int op = f.opcode();
        if (!state[0] && op != 3 && !bugs.contains(Bug.ANSWER_BEFORE_HELLO)) {
            return false;
        }
        if (op >= 8) {
            return bugs.contains(Bug.IGNORE_BAD_OPCODES);
        }
        switch (op) {
            case 3:
                state[0] = true;
                reply(ch, 4, bugs.contains(Bug.WRONG_HELLO_ID) ? f.messageId() + 1 : f.messageId(), false,
                        new byte[0], new byte[0]);
                return true;
            case 0:
                if (bugs.contains(Bug.ODD_ONLY) && f.messageId() % 2 == 0) {
                    return true;
                }
                byte[] body = f.body();
                if (bugs.contains(Bug.TRUNCATE_BIG_BODY) && body.length == WireFrame.MAX_BLOCK) {
                    body = Arrays.copyOf(body, 65_000);
                }
                reply(ch, 1, f.messageId(), f.more() && !bugs.contains(Bug.DROP_MORE_FLAG), f.headerBlock(), body);
                return true;
            case 2:
                reply(ch, 2, f.messageId(), f.more() && !bugs.contains(Bug.DROP_MORE_FLAG), f.headerBlock(),
                        f.body());
                return true;
            case 5:
                state[1] = true;
                reply(ch, 6, f.messageId(), false, new byte[0], new byte[0]);
                return true;
            default:
                return true; // responses and bye signals: nothing to answer
        }
    }

    private void reply(SocketChannel ch, int opcode, long id, boolean more, byte[] headers, byte[] body)
            throws IOException {
        if (bugs.contains(Bug.HOSTILE_HEADERS)) {
            headers = ("Note:" + HOSTILE + "\r\n").getBytes(StandardCharsets.UTF_8);
            body = "\u001b[31mred\r".getBytes(StandardCharsets.UTF_8);
        }
        int status = bugs.contains(Bug.STATUS_BYTE) ? 5 : 0;
        WireFrame out = new WireFrame(7, opcode | (more ? WireFrame.MORE_BIT : 0), status, id, headers, body);
        ByteBuffer b = ByteBuffer.wrap(out.encode());
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        List<Thread> all;
        synchronized (connections) {
            for (SocketChannel c : connections) {
                c.close();
            }
            all = new ArrayList<>(threads);
        }
        acceptor.join(TimeUnit.SECONDS.toMillis(5));
        for (Thread t : all) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
    }
}
