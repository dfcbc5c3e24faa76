package tofu.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One end of a raw byte conversation for the tap tests: writes a script of bytes in random-sized pieces on one
 * thread while reading everything the other side sends on another, then half-closes. Bounded waits throughout.
 */
final class RawStream implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Thread reader;
    private final Thread writer;
    private volatile IOException failure;

    private RawStream(SocketChannel channel, byte[] script, long seed) {
        this.channel = channel;
        this.reader = new Thread(this::read, "raw-read");
        this.writer = new Thread(() -> write(script, seed), "raw-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    /** Connects to {@code address} (tcp|host|port or uds|path) and starts the conversation. */
    static RawStream connect(String address, byte[] script, long seed) throws IOException {
        String[] parts = address.split("\\|");
        SocketChannel ch = parts[0].equals("tcp") ? SocketChannel.open(new InetSocketAddress(parts[1],
                Integer.parseInt(parts[2]))) : SocketChannel.open(UnixDomainSocketAddress.of(parts[1]));
        return new RawStream(ch, script, seed);
    }

    /** Accepts one connection on {@code server} and starts the conversation. */
    static RawStream accept(ServerSocketChannel server, byte[] script, long seed) throws IOException {
        return new RawStream(server.accept(), script, seed);
    }

    /** A listener on loopback TCP or a UDS socket under {@code dir}; returns it with its address in [0]. */
    static ServerSocketChannel listen(Transport transport, Path dir, String[] address) throws IOException {
        if (transport == Transport.TCP) {
            ServerSocketChannel s = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            address[0] = "tcp|127.0.0.1|" + ((InetSocketAddress) s.getLocalAddress()).getPort();
            return s;
        }
        Path path = dir.resolve("raw-" + System.nanoTime() + ".sock");
        address[0] = "uds|" + path;
        return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
    }

    private void write(byte[] script, long seed) {
        Random random = new Random(seed);
        try {
            for (int at = 0; at < script.length; ) {
                int n = Math.min(script.length - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 9000));
                ByteBuffer b = ByteBuffer.wrap(script, at, n);
                while (b.hasRemaining()) {
                    channel.write(b);
                }
                at += n;
            }
            channel.shutdownOutput();
        } catch (IOException e) {
            failure = e;
        }
    }

    private void read() {
        ByteBuffer b = ByteBuffer.allocate(8192);
        try {
            while (true) {
                b.clear();
                int n = channel.read(b);
                if (n < 0) {
                    return;
                }
                synchronized (received) {
                    received.write(b.array(), 0, n);
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Waits for the script to be written and the other side's end of stream; returns everything received. */
    byte[] awaitEnd() throws InterruptedException, IOException {
        writer.join(TimeUnit.SECONDS.toMillis(Background.WAIT_SECONDS));
        reader.join(TimeUnit.SECONDS.toMillis(Background.WAIT_SECONDS));
        if (writer.isAlive() || reader.isAlive()) {
            throw new AssertionError("the raw conversation did not end in time");
        }
        if (failure != null) {
            throw failure;
        }
        synchronized (received) {
            return received.toByteArray();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
