package tofu.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tofu.Address;
import tofu.Reactor;

/**
 * {@code tofu listen <address> [--echo|--sink] [--count N] [--quiet]}: runs a server and prints what arrives. The
 * first line printed is {@code listening on <actual address>}; Ctrl-C closes the engine and ends the run cleanly.
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
        header = "Run a server: accept connections, print (and echo) messages.",
        description = {"Listen on an address, accept every connection and print each message received.",
            "The first line printed is 'listening on <actual address>' (the real port for port 0).",
            "Stops after --count data messages (once those connections have closed), or on Ctrl-C."})
public final class ListenCommand implements Callable<Integer> {
    /** How long the shutdown hook waits for the run to print its summary. */
    private static final long HOOK_WAIT_MILLIS = 2000;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<address>",
            description = "tcp|<ip>|<port> (port 0 = any free port) or uds|<path>")
    String address;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    @Option(names = "--count", paramLabel = "N",
            description = "Stop after N data messages (REQUEST, RESPONSE, SIGNAL), once their connections close.")
    long count;

    @Option(names = "--linger-ms", paramLabel = "T", defaultValue = "5000",
            description = "After --count is reached, wait at most T ms for connections to close "
                    + "(default ${DEFAULT-VALUE}).")
    long lingerMillis;

    @Option(names = "--quiet", description = "Do not print each message.")
    boolean quiet;

    /** What to do with requests and signals. */
    static final class Mode {
        @Option(names = "--echo", description = "Answer each REQUEST with a RESPONSE (same id, headers, body); "
                + "send each SIGNAL back.")
        boolean echo;

        @Option(names = "--sink", description = "Receive and drop (the default).")
        boolean sink;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (count < 0 || lingerMillis < 0) {
            throw new ParameterException(spec.commandLine(), "--count and --linger-ms must not be negative");
        }
        Address listenOn = Address.parseServer(address);
        CountDownLatch finished = new CountDownLatch(1);
        try (Reactor reactor = Reactor.create()) {
            Thread hook = new Thread(() -> closeAndWait(reactor, finished), "tofu-listen-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                ListenServer server = new ListenServer(reactor, spec.commandLine().getOut(), mode.echo, quiet, count,
                        lingerMillis);
                Address actual = server.listen(listenOn);
                Address dial = actual.asClient();
                spec.commandLine().getOut().println("listening on " + actual.value()
                        + (dial.value().equals(actual.value()) ? "" : " (dial " + dial.value() + ")"));
                spec.commandLine().getOut().flush();
                server.serve();
                return ExitCodes.OK;
            } finally {
                finished.countDown();
                removeHook(hook);
            }
        }
    }

    /** Ctrl-C: closing the engine wakes the serving thread with SHUTDOWN_STARTED; give it time to print. */
    private static void closeAndWait(Reactor reactor, CountDownLatch finished) {
        reactor.close();
        try {
            finished.await(HOOK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook is running: nothing to remove.
        }
    }
}
