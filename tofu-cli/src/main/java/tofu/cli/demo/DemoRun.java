package tofu.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import tofu.Address;
import tofu.Options;
import tofu.Reactor;
import tofu.cli.CliException;
import tofu.cli.Deadline;

/**
 * The print-shop conversation on one transport, in one process: a spool server with its own engine, and the RIP
 * workers with theirs, each actor with its own channel group and receiving thread.
 *
 * <p>Bounded: every wait ends at the demo's deadline, and the first failure closes both engines, which wakes every
 * actor at once. A UDS socket lives in a fresh temporary folder, deleted afterwards.
 */
public final class DemoRun {
    /** How long to wait for the actors' threads once the engines are closed. */
    private static final long STOP_WAIT_MILLIS = 2000;

    /** The transports the demo runs on. */
    public enum Transport {
        /** Loopback TCP, port chosen by the system. */
        TCP,
        /** A Unix-domain socket in a fresh temporary folder. */
        UDS,
        /** Loopback TCP with mutual TLS, on a throwaway certificate ({@link DemoCertificates}). */
        TLS
    }

    private final Transport transport;
    private final DemoConfig config;
    private final Deadline deadline;
    private final PrintWriter out;
    private final AtomicReference<CliException> firstFailure = new AtomicReference<>();

    private DemoRun(Transport transport, DemoConfig config, Deadline deadline, PrintWriter out) {
        this.transport = transport;
        this.config = config;
        this.deadline = deadline;
        this.out = out;
    }

    /** Runs the demo on {@code transport}, printing the timeline to {@code out}; never throws for demo failures. */
    public static DemoReport run(Transport transport, DemoConfig config, Deadline deadline, PrintWriter out)
            throws InterruptedException {
        return new DemoRun(transport, config, deadline, out).run();
    }

    private DemoReport run() throws InterruptedException {
        Timeline timeline = new Timeline(out, config.quiet());
        Path dir = null;
        List<Actor> actors = new ArrayList<>();
        Options options = transport == Transport.TLS
                ? Options.DEFAULT.withTls(DemoCertificates.mutualTls(), true) : Options.DEFAULT;
        Reactor spoolSide = Reactor.create(options);
        Reactor ripSide = Reactor.create(options);
        Runnable abort = () -> {
            spoolSide.close();
            ripSide.close();
        };
        SpoolServer spool = new SpoolServer(config, spoolSide, timeline, deadline, (who, e) -> fail(who, e, abort));
        actors.add(spool);
        try {
            dir = transport == Transport.UDS ? Files.createTempDirectory("tofu-demo-") : null;
            Address listenOn = dir != null ? Address.udsServer(dir.resolve("spool.sock").toString())
                    : transport == Transport.TLS ? Address.tlsServer("127.0.0.1", 0)
                    : Address.tcpServer("127.0.0.1", 0);
            Address actual = spool.listen(listenOn);
            if (!config.quiet()) {
                out.println(transport + ": spool server listening on " + actual.value());
            }
            timeline.begin();
            spool.start();
            for (int i = 1; i <= config.workers(); i++) {
                RipWorker worker = new RipWorker("rip-" + i, i % 2 == 1 ? "PS" : "PDF", actual.asClient(), ripSide,
                        timeline, deadline, (who, e) -> fail(who, e, abort));
                actors.add(worker);
                worker.start();
            }
            for (Actor a : actors) {
                if (!a.join(TimeUnit.NANOSECONDS.toMillis(deadline.remainingNanos()))) {
                    fail(a.name, CliException.timeout("did not finish before the demo's deadline"), abort);
                }
            }
        } catch (CliException e) {
            fail("spool", e, abort);
        } catch (IOException e) {
            fail("demo", CliException.failed("cannot create a folder for the UDS socket: " + e), abort);
        } finally {
            abort.run();
            for (Actor a : actors) {
                a.join(STOP_WAIT_MILLIS);
            }
            deleteTree(dir);
        }
        return new DemoReport(transport.name(), config.jobs(), spool.jobsDone(), timeline.messages(), timeline.bytes(),
                TimeUnit.NANOSECONDS.toMillis(timeline.elapsedNanos()), firstFailure.get());
    }

    /** Keeps the first failure (the cause; later ones are its echoes) and stops everything. */
    private void fail(String who, CliException e, Runnable abort) {
        firstFailure.compareAndSet(null, new CliException(e.exitCode(), who + ": " + e.getMessage()));
        abort.run();
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the demo's folder " + dir, e);
        }
    }
}
