package tofu.bench;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;

/**
 * tofu engine to engine, as a user runs it: a sender thread posting into the client engine, the two engines' I/O
 * threads, and a receiver thread draining the server group (4 threads). Over TCP loopback or a Unix-domain socket.
 */
final class TofuStack implements Stack {
    private static final AtomicInteger SOCKETS = new AtomicInteger();

    private final boolean uds;
    private final Path dir;
    /** tofu-tls: TCP with mutual TLS on {@link BenchTls}'s context. */
    private final boolean tls;

    /** A stack over TCP ({@code dir == null}) or over UDS socket files created in {@code dir}. */
    TofuStack(Path dir) {
        this(dir, false);
    }

    /** A stack over TCP, with mutual TLS when {@code tls}, or over UDS socket files created in {@code dir}. */
    TofuStack(Path dir, boolean tls) {
        this.uds = dir != null;
        this.dir = dir;
        this.tls = tls && dir == null;
    }

    @Override
    public String name() {
        return uds ? "tofu-uds" : tls ? "tofu-tls" : "tofu-tcp";
    }

    private Address listenAddress() {
        if (uds) {
            return Address.udsServer(dir.resolve("tofu-" + SOCKETS.incrementAndGet() + ".sock").toString());
        }
        return tls ? Address.tlsServer("127.0.0.1", 0) : Address.tcpServer("127.0.0.1", 0);
    }

    private tofu.Options options() {
        return tls ? TofuLink.OPTIONS.withTls(BenchTls.context(), true) : TofuLink.OPTIONS;
    }

    @Override
    public Stream openStream(int bodySize, int channels) throws Exception {
        TofuLink link = TofuLink.open(listenAddress(), channels, options());
        link.warmPools(bodySize);
        return new TofuStream(link, bodySize);
    }

    @Override
    public Pinger openPinger(int bodySize) throws Exception {
        TofuLink link = TofuLink.open(listenAddress(), 1, options());
        try {
            return new TofuPinger(link, bodySize);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** Sender thread → client engine → socket → server engine → receiver thread. */
    private static final class TofuStream implements Stream {
        private final TofuLink link;
        private final TofuSender sender;
        private final TofuReceiver receiver;
        private final Threads.Worker receiving;
        private Threads.Worker sending;

        TofuStream(TofuLink link, int bodySize) {
            this.link = link;
            this.sender = new TofuSender(link.clientEngine.ampe(), link.client, link.clientChannels, bodySize);
            this.receiver = new TofuReceiver(link.serverEngine.ampe(), link.server);
            this.receiving = Threads.start("tofu-bench-receiver", receiver);
        }

        @Override
        public void start() {
            sending = Threads.start("tofu-bench-sender", sender);
        }

        @Override
        public long received() {
            return receiver.received();
        }

        @Override
        public void close() {
            sender.stop();
            try {
                if (sending != null) {
                    sending.join();
                }
            } finally {
                link.close();
                receiving.join();
            }
        }
    }

    /**
     * The calling thread posts a REQUEST and waits for the RESPONSE; an echo thread on the server group turns each
     * request around by changing its opcode and posting the same message back.
     */
    private static final class TofuPinger implements Pinger {
        private final TofuLink link;
        private final Ampe ampe;
        private final int channel;
        private final byte[] body;
        private final BinaryHeader into = new BinaryHeader();
        private final Threads.Worker echo;

        TofuPinger(TofuLink link, int bodySize) {
            this.link = link;
            this.ampe = link.clientEngine.ampe();
            this.channel = link.clientChannels[0];
            this.body = Wire.payload(bodySize);
            this.echo = Threads.start("tofu-bench-echo", () -> echo(link.serverEngine.ampe(), link.server));
        }

        private static void echo(Ampe serverAmpe, ChannelGroup server) throws InterruptedException {
            BinaryHeader into = new BinaryHeader();
            try {
                while (true) {
                    Message m = server.waitReceive(ChannelGroup.INFINITE_TIMEOUT);
                    if (m.isFromApplication() && m.bhdr().opCode() == OpCode.REQUEST) {
                        m.bhdr().opCode(OpCode.RESPONSE);
                        server.post(m, into);
                    } else {
                        serverAmpe.put(m);
                    }
                }
            } catch (AmpeException e) {
                if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                    throw e;
                }
            }
        }

        @Override
        public void roundTrip() throws InterruptedException {
            Message m = ampe.get(AllocationStrategy.ALWAYS);
            m.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);
            m.body().append(body, 0, body.length);
            link.client.post(m, into);
            Message r = TofuOps.receive(link.client);
            if (r.isFromEngine() || r.bhdr().opCode() != OpCode.RESPONSE) {
                String what = r + " " + r.bhdr().status();
                ampe.put(r);
                throw new IllegalStateException("expected a RESPONSE, got " + what);
            }
            ampe.put(r);
        }

        @Override
        public void close() {
            link.close();
            echo.join();
        }
    }
}
