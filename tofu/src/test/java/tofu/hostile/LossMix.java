package tofu.hostile;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.ChannelGroup;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Engines;
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * One round of the no-silent-loss check: a client engine with two groups and a server engine with one, a few links
 * between them, and a seeded random mix of posts (bursts too), ByeRequests, ByeSignals, destroying a client group,
 * closing either engine (peer death), and receivers that stop putting messages back (pool starvation on tiny pools).
 * Every posted message is tagged and recorded in a {@link Ledger}; at the end the surviving channels are closed
 * gracefully, the run is fenced so every fate has arrived, and the ledger is verified.
 */
final class LossMix implements AutoCloseable {
    private static final Options TINY_POOLS = new Options(2, 8);

    private final Random rnd;
    private final Ledger ledger = new Ledger();
    private final LedgerApp client;
    private final LedgerApp server;
    private final ChannelGroup serverGroup;
    private final ChannelGroup clientA;
    private final ChannelGroup clientB;
    private final Address serverAddress;
    private final Path dir;
    private int faults;

    private LossMix(Random rnd, Transport transport, Path dir) throws InterruptedException {
        this.rnd = rnd;
        this.dir = dir;
        Reactor serverEngine = Reactor.create(Engines.withTestTls(TINY_POOLS));
        Reactor clientEngine = Reactor.create(Engines.withTestTls(TINY_POOLS));
        server = new LedgerApp("server", serverEngine, ledger, false);
        client = new LedgerApp("client", clientEngine, ledger, true);
        serverGroup = serverEngine.ampe().create();
        serverAddress = Peers.listen(serverEngine.ampe(), serverGroup, transport.listenAddress(dir));
        clientA = clientEngine.ampe().create();
        clientB = clientEngine.ampe().create();
        server.serve(serverGroup);
        client.serve(clientA);
        client.serve(clientB);
    }

    /** The outcome of one round: the ledger's accounting and the number of faults injected. */
    record Result(Ledger.Report report, int faults) {
    }

    /** Runs one round of {@code steps} random actions and returns the verified accounting. */
    static Result run(long seed, Transport transport, Path dir, int steps) throws InterruptedException {
        try (LossMix mix = new LossMix(new Random(seed), transport, dir)) {
            mix.play(steps);
            mix.finish();
            Ledger.Report report = mix.ledger.verify();
            if (!report.violations().isEmpty()) {
                mix.printTimeline(report.violations().get(0));
            }
            return new Result(report, mix.faults);
        }
    }

    private void play(int steps) {
        for (int i = 0; i < 3; i++) {
            connect(rnd.nextBoolean() ? clientA : clientB);
        }
        settle(TimeUnit.SECONDS.toNanos(2));
        for (int step = 0; step < steps && client.alive() && server.alive(); step++) {
            boolean late = step > steps / 3; // destruction only once traffic is flowing
            int dice = rnd.nextInt(100);
            if (dice < 45) {
                post(randomLink(), rnd.nextBoolean(), rnd.nextBoolean() ? OpCode.REQUEST : OpCode.SIGNAL);
            } else if (dice < 57) {
                Ledger.Link l = randomLink();
                boolean fromClient = rnd.nextBoolean();
                for (int i = 0; i < 20; i++) {
                    post(l, fromClient, OpCode.SIGNAL);
                }
            } else if (dice < 62) {
                post(randomLink(), rnd.nextBoolean(), OpCode.BYE_REQUEST);
            } else if (dice < 66) {
                post(randomLink(), rnd.nextBoolean(), OpCode.BYE_SIGNAL);
            } else if (dice < 72) {
                connect(rnd.nextBoolean() ? clientA : clientB);
            } else if (dice < 80) {
                LedgerApp side = rnd.nextBoolean() ? client : server;
                side.starve(!side.starving());
                faults++;
            } else if (dice < 82 && late) {
                destroy(clientB);
            } else if (dice < 83 && late) {
                faults++;
                (rnd.nextBoolean() ? client : server).kill();
            } else if (dice >= 88) {
                settle(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    /**
     * Lets the engines catch up: waits until every message posted so far has a fate, or {@code nanos} pass (a starving
     * receiver may hold things up). Only pacing, so the mix is not all over before the first byte moves; the
     * accounting never depends on it.
     */
    private void settle(long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (ledger.pending() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private Ledger.Link randomLink() {
        List<Ledger.Link> links = ledger.links();
        return links.isEmpty() ? null : links.get(rnd.nextInt(links.size()));
    }

    private void connect(ChannelGroup group) {
        if (client.alive() && server.alive() && !ledger.isDestroyed(group)) {
            client.connect(group, serverGroup, serverAddress);
        }
    }

    private void post(Ledger.Link link, boolean fromClient, OpCode op) {
        if (link == null) {
            return;
        }
        LedgerApp side = fromClient ? client : server;
        if (op == OpCode.BYE_SIGNAL && link.channel(fromClient) != 0
                && !ledger.isClosed(link.group(fromClient), link.channel(fromClient))) {
            ledger.aborted(link); // an abort only if the channel may still be open; on a closed one it is a no-op
            faults++;
        }
        side.post(link, op, 16 + rnd.nextInt(4096),
                rnd.nextBoolean() ? AllocationStrategy.POOL_ONLY : AllocationStrategy.ALWAYS);
    }

    private void destroy(ChannelGroup group) {
        if (!ledger.isDestroyed(group) && client.alive()) {
            ledger.destroyed(group);
            faults++;
            client.ampe.destroy(group);
        }
    }

    /**
     * Ends the round: receivers put everything back, every live channel gets a ByeRequest, and the round waits until
     * each living side has seen the CHANNEL_CLOSED signal of each of its channels; then a fence makes sure late
     * returns have arrived too.
     */
    private void finish() {
        client.starve(false);
        server.starve(false);
        for (Ledger.Link l : ledger.links()) {
            boolean fromClient = client.alive() && !ledger.isDestroyed(l.clientGroup);
            if (!ledger.isClosed(l.group(fromClient), l.channel(fromClient))) {
                (fromClient ? client : server).post(l, OpCode.BYE_REQUEST, 16, AllocationStrategy.ALWAYS);
            }
        }
        try {
            Await.until("every living side saw CHANNEL_CLOSED for every link", this::allClosed, ledger::links);
        } catch (AssertionError e) {
            printStuck();
            throw e;
        }
        client.fence(dir);
        server.fence(dir);
    }

    private boolean allClosed() {
        for (Ledger.Link l : ledger.links()) {
            boolean clientDone = ledger.isDestroyed(l.clientGroup) || l.clientChannel == 0
                    || ledger.isClosed(l.clientGroup, l.clientChannel);
            boolean serverDone = ledger.isDestroyed(l.serverGroup) || (l.serverChannel != 0
                    ? ledger.isClosed(l.serverGroup, l.serverChannel) : l.abortedAt != 0 || clientDone);
            if (!clientDone || !serverDone) {
                return false;
            }
        }
        return true;
    }

    /** Prints what each living engine says of its channels and the end of the timeline, to diagnose a hang. */
    private void printStuck() {
        for (LedgerApp side : new LedgerApp[] {client, server}) {
            String name = side == client ? "client" : "server";
            if (side.alive()) {
                try {
                    System.out.println("stuck: " + name + " engine " + side.reactor.stats());
                } catch (RuntimeException e) {
                    System.out.println("stuck: " + name + " engine stats unavailable: " + e);
                }
            }
        }
        List<String> timeline = ledger.timeline("");
        timeline.subList(Math.max(0, timeline.size() - 60), timeline.size())
                .forEach(e -> System.out.println("    " + e));
    }

    /** Prints the timeline of the link a violation names (and every CHANNEL_CLOSED), to diagnose it. */
    private void printTimeline(String violation) {
        Matcher m = Pattern.compile("link\\d+\\[").matcher(violation);
        String needle = m.find() ? m.group() : "";
        System.out.println("timeline of " + needle + " for: " + violation);
        ledger.timeline("").stream().filter(e -> e.contains(needle) || e.contains("CHANNEL_CLOSED ch")).limit(400)
                .forEach(e -> System.out.println("    " + e));
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
