package tofu.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import tofu.Address;
import tofu.OpCode;
import tofu.TcpClientAddress;
import tofu.UdsClientAddress;

/**
 * The hostile peers of issue 11, made of plain JDK sockets and hand-written frames, against one listener: each says a
 * valid HelloRequest, then stalls after a REQUEST header that announces a body, stalls near the end of a maximal frame
 * (65535 + 65535 bytes), trickles a REQUEST one byte per tick (slowloris), or floods 32 KiB REQUESTs and never reads;
 * besides, connections that send garbage or connect and reset come and go. Sockets are blocking; the slowloris, the
 * flood and the noise run on their own threads. {@link #close()} stops the threads and closes every socket (ending a
 * stalled write). Only the test thread calls the methods.
 */
final class Attackers implements AutoCloseable {
    private static final int HEADER = 16;

    private final SocketAddress target;
    private final String dial;
    private final List<SocketChannel> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong flooded = new AtomicLong();
    private volatile boolean stop;

    /** Attackers of the listener a client reaches at {@code dial} ({@code tcp|host|port} or {@code uds|path}). */
    Attackers(String dial) {
        this.dial = dial;
        Address a = Address.parseClient(dial);
        this.target = a instanceof TcpClientAddress
                ? new InetSocketAddress(((TcpClientAddress) a).host(), ((TcpClientAddress) a).port())
                : UnixDomainSocketAddress.of(((UdsClientAddress) a).path());
    }

    /** {@code n} connections that say hello, send a REQUEST header announcing 1000 body bytes, and stall. */
    void stallAfterHeader(int n) throws IOException {
        byte[] header = Arrays.copyOf(request(0, 1000), HEADER);
        for (int i = 0; i < n; i++) {
            write(helloed("stalled-" + i), header);
        }
    }

    /** {@code n} connections that say hello, send all but the last 4 KiB of a 65535 + 65535-byte REQUEST, stall. */
    void stallNearTheEndOfMaximalFrames(int n) throws IOException {
        byte[] frame = request(0xFFFF, 0xFFFF);
        byte[] most = Arrays.copyOf(frame, frame.length - 4096);
        for (int i = 0; i < n; i++) {
            write(helloed("big-claim-" + i), most);
        }
    }

    /** {@code n} connections that say hello, then send a 1016-byte REQUEST one byte each {@code tickMillis}. */
    void slowloris(int n, long tickMillis) throws IOException {
        List<SocketChannel> slow = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            slow.add(helloed("slowloris-" + i));
        }
        byte[] frame = request(0, 1000);
        long tick = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        spawn("slowloris", () -> {
            long next = System.nanoTime();
            for (int b = 0; b < frame.length && !stop; b++) {
                for (SocketChannel s : slow) {
                    tryWrite(s, new byte[] {frame[b]});
                }
                next += tick;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        });
    }

    /** One connection that says hello, then writes 32 KiB REQUESTs as fast as it can and never reads. */
    void flood() throws IOException {
        SocketChannel s = helloed("flooder");
        byte[] frame = request(0, 32 * 1024);
        spawn("flooder", () -> {
            while (!stop && tryWrite(s, frame)) {
                flooded.addAndGet(frame.length);
            }
        });
    }

    /** Connections that come and go, one every {@code pauseMillis}: random garbage, or a connect and a reset. */
    void noise(long pauseMillis, long seed) {
        Random rnd = new Random(seed);
        spawn("noise", () -> {
            while (!stop) {
                try (SocketChannel s = connect()) {
                    if (rnd.nextBoolean()) {
                        byte[] junk = new byte[HEADER + rnd.nextInt(2048)];
                        rnd.nextBytes(junk);
                        junk[2] = (byte) (8 + rnd.nextInt(8)); // an opcode that never travels: not a hello
                        tryWrite(s, junk);
                    } else if (target instanceof InetSocketAddress) {
                        s.setOption(StandardSocketOptions.SO_LINGER, 0);
                    }
                } catch (IOException e) {
                    // a refused or reset connection is part of the noise
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
            }
        });
    }

    /** Bytes of whole frames the flooder has written. */
    long floodedBytes() {
        return flooded.get();
    }

    private SocketChannel helloed(String who) throws IOException {
        SocketChannel s = connect();
        synchronized (sockets) {
            sockets.add(s);
        }
        String block = Address.CONNECT_TO + ":" + dial + "\r\nwho:" + who + "\r\n";
        write(s, frame(OpCode.HELLO_REQUEST, block.getBytes(StandardCharsets.UTF_8), new byte[0]));
        return s;
    }

    private SocketChannel connect() throws IOException {
        SocketChannel s = SocketChannel.open(target instanceof InetSocketAddress ? StandardProtocolFamily.INET
                : StandardProtocolFamily.UNIX);
        try {
            s.connect(target);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void spawn(String name, Runnable task) {
        Thread t = new Thread(task, "attacker-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private static void write(SocketChannel s, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            s.write(b);
        }
    }

    private static boolean tryWrite(SocketChannel s, byte[] bytes) {
        try {
            write(s, bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A valid REQUEST with a text-header block of exactly {@code headerBytes} (0 or at least 4) and a body. */
    private static byte[] request(int headerBytes, int bodyBytes) {
        byte[] block = new byte[headerBytes];
        if (headerBytes > 0) {
            Arrays.fill(block, (byte) 'a');
            block[0] = 'p';
            block[1] = ':';
            block[headerBytes - 2] = '\r';
            block[headerBytes - 1] = '\n';
        }
        byte[] body = new byte[bodyBytes];
        Arrays.fill(body, (byte) 'b');
        return frame(OpCode.REQUEST, block, body);
    }

    /** A frame written by hand as docs/WIRE.md lays it out: channel 7, message id 1, big-endian lengths. */
    private static byte[] frame(OpCode op, byte[] textHeaders, byte[] body) {
        ByteBuffer f = ByteBuffer.allocate(HEADER + textHeaders.length + body.length);
        f.putShort((short) 7).put((byte) op.code()).put((byte) 0).putLong(1)
                .putShort((short) textHeaders.length).putShort((short) body.length).put(textHeaders).put(body);
        return f.array();
    }

    @Override
    public void close() {
        stop = true;
        synchronized (sockets) {
            for (SocketChannel s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing is all that is left to do
                }
            }
            sockets.clear();
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(Background.WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not stop within the bound");
            }
        }
    }
}
