package tofu.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import tofu.Address;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Transport;

/**
 * The soak run: for a given duration, alternating TCP and UDS, it repeats {@link LossMix} rounds (connection churn with
 * posts, byes, aborts, group destroys, engine deaths and pool starvation, every message accounted for) while hostile
 * raw peers keep hitting a long-lived server beside a well-behaved client. It prints the figures that
 * docs/RELIABILITY.md quotes: messages exchanged, connections cycled, faults injected, messages lost (must be 0), max
 * heap, and open descriptors at start and end.
 *
 * <p>Run it with {@code mvn -B -pl tofu -Psoak verify -Dsoak.minutes=N} (see {@link SoakTest}), or as a main with the
 * test class path: {@code java -cp ... tofu.hostile.Soak <minutes>}.
 */
public final class Soak {
    /** The figures of one soak run. */
    record Figures(Duration ran, long rounds, long messagesPosted, long messagesDelivered, long connectionsCycled,
                   long hostileConnections, long churnFaults, long lostAtAbort, long discardedByDestroy,
                   long messagesLost, long goodRoundTrips, long maxHeap, long fdsAtStart, long fdsAtEnd, long seed) {
        /** Faults of every kind: those of the churn rounds plus one per hostile connection. */
        long faultsInjected() {
            return churnFaults + hostileConnections;
        }

        @Override
        public String toString() {
            return String.format("soak %s (seed %d): %d churn rounds; messages posted %d, delivered %d; connections "
                            + "cycled %d (+%d hostile); faults injected %d (%d in churn rounds: aborts, destroys, "
                            + "engine deaths, starvation; %d hostile connections); lost at abort %d, discarded by own "
                            + "destroy %d; messages LOST %d; good round trips beside hostile peers %d; max heap in use "
                            + "%s; open fds %d at start, %d at end", ran, seed, rounds, messagesPosted,
                    messagesDelivered, connectionsCycled, hostileConnections, faultsInjected(), churnFaults,
                    hostileConnections, lostAtAbort, discardedByDestroy, messagesLost, goodRoundTrips,
                    ProcessProbe.mib(maxHeap), fdsAtStart, fdsAtEnd);
        }
    }

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        Figures f = run(Duration.ofMillis((long) (minutes * 60_000)), Seeds.seed("Soak"));
        System.out.println(f);
        System.exit(f.messagesLost() == 0 ? 0 : 1);
    }

    /** Soaks for {@code duration}; violations of the ledger are counted as lost messages and printed. */
    static Figures run(Duration duration, long seed) throws Exception {
        Path dir = Files.createTempDirectory("tofu-soak");
        Random rnd = new Random(seed);
        AtomicLong maxHeap = new AtomicLong();
        long fdsAtStart = ProcessProbe.openFds();
        long start = System.nanoTime();
        Totals totals = new Totals();
        Background heap = Background.paced("soak-heap-sampler", 50,
                () -> maxHeap.accumulateAndGet(ProcessProbe.heapNow(), Math::max));
        Reactor target = Reactor.create(Options.DEFAULT.withHandshakeTimeout(Duration.ofMillis(500)));
        Reactor goodEngine = Reactor.create();
        Hostility hostility;
        long goodTrips;
        try {
            ServerApp server = ServerApp.start(target, Transport.TCP.listenAddress(dir));
            GoodClient good = GoodClient.connect(goodEngine, server.address);
            hostility = new Hostility(server.address, new Random(rnd.nextLong()));
            // Both paced, a millisecond apart, so the two cores are shared with the churn rounds.
            Background attack = Background.paced("soak-hostile", 1, hostility::strike);
            Background traffic = Background.paced("soak-good-traffic", 1, () -> good.roundTrips(8, 1024));
            try {
                churn(start + duration.toNanos(), rnd, dir, totals);
            } finally {
                traffic.close();
                attack.close();
            }
            goodTrips = good.completed();
            server.close();
        } finally {
            heap.close();
            target.close();
            goodEngine.close();
            deleteTree(dir);
        }
        long fdsAtEnd = awaitFds(fdsAtStart);
        return new Figures(Duration.ofNanos(System.nanoTime() - start), totals.rounds, totals.posted,
                totals.delivered, totals.links, hostility.connections, totals.faults,
                totals.lostAtAbort, totals.discarded, totals.lost, goodTrips, maxHeap.get(), fdsAtStart, fdsAtEnd,
                seed);
    }

    /** Runs {@link LossMix} rounds, alternating TCP and UDS, until {@code end} (System.nanoTime). */
    private static void churn(long end, Random rnd, Path dir, Totals totals) throws InterruptedException {
        while (System.nanoTime() < end) {
            Transport t = totals.rounds % 2 == 0 ? Transport.TCP : Transport.UDS;
            long roundSeed = rnd.nextLong();
            LossMix.Result r = LossMix.run(roundSeed, t, dir, 150);
            totals.add(r);
            if (r.report().lost() > 0) {
                System.out.println("[Soak] round " + totals.rounds + " " + t + " seed " + roundSeed + ": "
                        + r.report());
            }
        }
    }

    /** Sums over the churn rounds. */
    private static final class Totals {
        long rounds;
        long posted;
        long delivered;
        long links;
        long faults;
        long lostAtAbort;
        long discarded;
        long lost;

        void add(LossMix.Result r) {
            Ledger.Report report = r.report();
            rounds++;
            posted += report.posted();
            delivered += report.count(Ledger.Fate.DELIVERED);
            links += report.links();
            faults += r.faults();
            lostAtAbort += report.count(Ledger.Fate.LOST_AT_ABORT);
            discarded += report.count(Ledger.Fate.DISCARDED_BY_DESTROY);
            lost += report.lost();
        }
    }

    /** Waits (bounded) for descriptors to come back near {@code start}; returns the count then. */
    private static long awaitFds(long start) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long now = ProcessProbe.openFds();
        while (now > start + 3 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            now = ProcessProbe.openFds();
        }
        return now;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Hostile raw peers against the long-lived server: one attack per call, picked at random. */
    private static final class Hostility {
        private final Address target;
        private final Random rnd;
        long connections;

        Hostility(Address target, Random rnd) {
            this.target = target;
            this.rnd = rnd;
        }

        void strike() throws IOException {
            connections++;
            try (HostilePeer p = HostilePeer.connect(target)) {
                switch (rnd.nextInt(5)) {
                    case 0 -> p.trySend(Frames.garbage(rnd, 1 + rnd.nextInt(4096)));
                    case 1 -> p.trySend(Frames.withOpCode(8 + rnd.nextInt(8), new byte[rnd.nextInt(64)]));
                    case 2 -> p.trySend(Arrays.copyOf(Frames.hello(target, "x"), 1 + rnd.nextInt(20)));
                    case 3 -> p.reset();
                    default -> {
                        // connect and vanish
                    }
                }
            }
        }
    }
}
