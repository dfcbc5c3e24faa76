package tofu.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tofu.Address;
import tofu.Options;
import tofu.Reactor;
import tofu.cli.text.Json;
import tofu.cli.text.SafeText;

/**
 * {@code tofu listen <address> [--echo|--sink] [--count N] [--quiet] [--stats[=SECONDS]]}: runs a server and prints
 * what arrives. The first line printed is {@code listening on <actual address>}; Ctrl-C closes the engine and ends the
 * run cleanly. With {@code --stats} the engine's figures are printed every interval as well (see {@link LiveStats}).
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
        header = "Run a server: accept connections, print (and echo) messages.",
        description = {"Listen on an address, accept every connection and print each message received.",
            "The first line printed is 'listening on <actual address>' (the real port for port 0).",
            "Stops after --count data messages (once those connections have closed), or on Ctrl-C.",
            "With --stats, the engine's figures are printed every interval too: totals and rates of messages and "
                    + "bytes in and out, pool size and misses, open channels by kind, messages the engine returned "
                    + "by status, and the 10 busiest channels. On a terminal they are redrawn in place; otherwise "
                    + "one line starting with 'stats ' is appended per interval (and a last one at the end), or one "
                    + "JSON object with --json.",
            "Header values and body previews are printed with control characters escaped (\\e, \\r, \\n, \\x7f, "
                    + "...), so a peer cannot move the cursor or forge lines."})
public final class ListenCommand implements Callable<Integer> {
    /** Shortest --stats interval: a snapshot is a round trip to the engine thread, fine every 10 ms but no faster. */
    private static final double MIN_STATS_SECONDS = 0.01;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<address>",
            description = "tcp|<ip>|<port> (port 0 = any free port), tls|<ip>|<port> (with --tls-cert) or "
                    + "uds|<path>")
    String address;

    @Mixin
    TlsOptions tls;

    @Option(names = "--tls-require-client-cert",
            description = "Mutual TLS: accept only clients with a certificate issued by --tls-trust.")
    boolean requireClientCert;

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

    @Option(names = "--json", description = "Print one JSON object per line: listening, each message, the stats "
            + "(with --stats) and the end.")
    boolean json;

    @Option(names = "--stats", arity = "0..1", fallbackValue = "1", paramLabel = "SECONDS",
            preprocessor = OptionalSeconds.class,
            description = "Print live engine statistics every SECONDS (default 1; fractions allowed, e.g. 0.5). "
                    + "Off unless given.")
    Double statsSeconds;

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
        if (statsSeconds != null && !(statsSeconds >= MIN_STATS_SECONDS && statsSeconds < Long.MAX_VALUE / 1e9)) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "--stats needs an interval "
                    + "of at least %s s, not %s", MIN_STATS_SECONDS, statsSeconds));
        }
        Address listenOn = Address.parseServer(address);
        CountDownLatch finished = new CountDownLatch(1);
        try (Reactor reactor = Reactor.create(tls.apply(SAFE_OPTIONS, listenOn, requireClientCert));
             ShutdownHook hook = ShutdownHook.install(reactor::close, finished)) {
            PrintWriter out = spec.commandLine().getOut();
            LiveStats stats = statsSeconds == null ? null : new LiveStats(reactor::stats, out, statsMode(),
                    (long) (statsSeconds * TimeUnit.SECONDS.toNanos(1)));
            if (stats != null) {
                out = stats.out(); // a screen redrawn in place must know of every other line printed
            }
            try {
                ListenServer server = new ListenServer(reactor, out, mode.echo, quiet, json, count, lingerMillis);
                Address actual = server.listen(listenOn);
                Address dial = actual.asClient();
                if (json) {
                    out.println(Json.ofType("listening").put("address", actual.value()).put("dial", dial.value()));
                } else {
                    // A UDS path is the user's text: printed escaped like everything else a person did not see.
                    out.println("listening on " + SafeText.escape(actual.value())
                            + (dial.value().equals(actual.value()) ? "" : " (dial " + SafeText.escape(dial.value())
                            + ")"));
                }
                out.flush();
                if (stats != null) {
                    stats.start();
                }
                server.serve();
                return ExitCodes.OK;
            } finally {
                if (stats != null) {
                    stats.close(); // before the engine closes: prints the final figures
                }
                finished.countDown();
            }
        }
    }

    /**
     * A listener faces strangers: its echoes to a peer that never reads must not grow without bound
     * (docs/RELIABILITY.md, resource model). Everything else stays at the library's defaults.
     */
    static final Options SAFE_OPTIONS = Options.DEFAULT.withMaxQueuedPerChannel(1024);

    private LiveStats.Mode statsMode() {
        return json ? LiveStats.Mode.JSON : Terminal.attached() ? LiveStats.Mode.SCREEN : LiveStats.Mode.LINE;
    }

    /**
     * Lets {@code --stats} stand without a value before the address ({@code listen --stats tcp|...}): the next word
     * is taken as the interval only if it is a number, else the default applies.
     */
    static final class OptionalSeconds implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec commandSpec, ArgSpec argSpec,
                                  Map<String, Object> info) {
            boolean attached = !" ".equals(info.get("separator")); // --stats=2: the value is already there
            if (!attached && (args.isEmpty() || !args.peek().matches("[0-9]*\\.?[0-9]+"))) {
                args.push(((OptionSpec) argSpec).fallbackValue());
            }
            return false; // picocli goes on parsing the option, with its value now in front
        }
    }
}
