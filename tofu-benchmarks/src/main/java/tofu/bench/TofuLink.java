package tofu.bench;

import tofu.Address;
import tofu.Ampe;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.Options;
import tofu.Reactor;

/**
 * Two tofu engines in one process, as two applications would run them: a server engine listening, a client engine
 * with {@code n} channels connected to it, handshakes completed. Each engine has its own I/O thread.
 */
final class TofuLink implements AutoCloseable {
    /**
     * Pool of each engine (initial = max): large enough that a sender taking its messages with POOL_ONLY keeps a full
     * socket buffer in flight (SPEC §6.5: the pool is tofu's send window). 4096 × 80-byte frames is about the loopback
     * send buffer; with 1024 the 64 B sender waits for its window and runs at half the rate, with 256 at a third
     * (docs/PERFORMANCE.md). JeroMQ's default high-water mark plays the same role. {@code -Dtofu.bench.pool=N}.
     */
    static final int POOL = Integer.getInteger("tofu.bench.pool", 4096);
    static final Options OPTIONS = new Options(POOL, POOL);

    final Reactor clientEngine;
    final Reactor serverEngine;
    final ChannelGroup client;
    final ChannelGroup server;
    final int[] clientChannels;

    private TofuLink(Reactor clientEngine, Reactor serverEngine, ChannelGroup client, ChannelGroup server, int n) {
        this.clientEngine = clientEngine;
        this.serverEngine = serverEngine;
        this.client = client;
        this.server = server;
        this.clientChannels = new int[n];
    }

    /** Opens the engines, listens on {@code listenAddress} and connects {@code n} channels (n ≤ 1024). */
    static TofuLink open(Address listenAddress, int n) throws InterruptedException {
        return open(listenAddress, n, OPTIONS);
    }

    /** As {@link #open(Address, int)}, both engines with {@code options} (e.g. with TLS). */
    static TofuLink open(Address listenAddress, int n, Options options) throws InterruptedException {
        Reactor serverEngine = Reactor.create(options);
        Reactor clientEngine = Reactor.create(options);
        TofuLink link = new TofuLink(clientEngine, serverEngine, clientEngine.ampe().create(),
                serverEngine.ampe().create(), n);
        try {
            link.connect(listenAddress);
            return link;
        } catch (InterruptedException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    private void connect(Address listenAddress) throws InterruptedException {
        Address address = TofuOps.listen(serverEngine.ampe(), server, listenAddress);
        BinaryHeader into = new BinaryHeader();
        for (int i = 0; i < clientChannels.length; i++) {
            clientChannels[i] = TofuOps.connect(clientEngine.ampe(), client, address, into);
        }
        for (int accepted = 0; accepted < clientChannels.length; ) {
            Message m = TofuOps.receive(server);
            if (TofuOps.acceptIfHello(server, m, into)) {
                accepted++;
            } else {
                throw new IllegalStateException("expected a HelloRequest, got " + m + " " + m.bhdr().status());
            }
        }
        Ampe ampe = clientEngine.ampe();
        for (int done = 0; done < clientChannels.length; done++) {
            Message m = TofuOps.receive(client);
            if (!TofuOps.isHelloResponse(m)) {
                throw new IllegalStateException("expected a HelloResponse, got " + m + " " + m.bhdr().status());
            }
            ampe.put(m);
        }
    }

    /**
     * Warms both pools for bodies of {@code bodySize}: every pooled message's body buffer is grown once, as in an
     * application that has run for a while. Buffers grow on first use and the pool is LIFO, so without this the
     * deepest messages are first used (and grown, that is allocated) minutes into a large-message stream, which the
     * allocation meter would count against the steady state.
     */
    void warmPools(int bodySize) {
        byte[] body = new byte[bodySize];
        for (Reactor engine : new Reactor[] {clientEngine, serverEngine}) {
            Ampe ampe = engine.ampe();
            java.util.List<Message> taken = new java.util.ArrayList<>();
            Message m;
            while ((m = ampe.get(tofu.AllocationStrategy.POOL_ONLY)) != null) {
                m.body().append(body, 0, bodySize);
                taken.add(m);
            }
            taken.forEach(ampe::put);
        }
    }

    @Override
    public void close() {
        clientEngine.close();
        serverEngine.close();
    }
}
