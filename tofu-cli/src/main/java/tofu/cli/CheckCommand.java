package tofu.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tofu.Address;
import tofu.cli.check.Check;
import tofu.cli.check.CheckReport;
import tofu.cli.check.CheckRun;
import tofu.cli.check.Checks;

/**
 * {@code tofu check <address> [--echo]}: a conformance checker for any tofu peer (this library, the Zig original,
 * another port). It connects over plain sockets as a strict client and runs the named checks of
 * {@link Checks#ALL}, printing PASS / FAIL / SKIP with the bytes that decided each one.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        header = "Check that a listening tofu peer speaks the protocol.",
        description = {"Connect to a listening tofu peer over plain sockets, acting as a strict client, and run a "
                + "battery of named checks: the handshake and its message id, echo of requests and signals (with "
                + "--echo), header and body limits at 65535 bytes, the 'more' flag, graceful bye, and the peer's "
                + "reaction to unknown opcodes, a second HelloRequest, truncated frames and a silent connection.",
            "Each check prints PASS, FAIL or SKIP with the bytes that decided it; docs/WIRE.md lists the rule each "
                + "check comes from. Exits 0 only if no check failed (1 otherwise)."})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<address>",
            description = "The peer: tcp|<host>|<port> or uds|<path>.")
    String address;

    @Option(names = "--echo", description = "The peer echoes like 'tofu listen --echo': REQUEST -> RESPONSE, "
            + "SIGNAL -> SIGNAL, same id, headers and body. Without it, echo checks are skipped and the others only "
            + "require the connection to survive.")
    boolean echo;

    @Option(names = "--timeout-ms", paramLabel = "T", defaultValue = "2000",
            description = "Bound of every wait for the peer, in ms (default ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--silent-ms", paramLabel = "T", defaultValue = "1000",
            description = "How long the silent connection stays silent, in ms (default ${DEFAULT-VALUE}).")
    long silentMillis;

    @Option(names = "--only", paramLabel = "NAME", split = ",",
            description = "Run only these checks; a name ending in '.' selects a group (e.g. bye.).")
    List<String> only = new ArrayList<>();

    @Option(names = "--list", description = "List the checks and the rules they come from, and exit.")
    boolean list;

    @Option(names = "--json", description = "Print one JSON object per check, then a summary object.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Check> checks = selected();
        if (list) {
            for (Check c : checks) {
                out.println(c.name() + "  " + c.rule());
            }
            return ExitCodes.OK;
        }
        if (address == null) {
            throw new ParameterException(spec.commandLine(), "the peer's <address> is missing");
        }
        if (timeoutMillis < 1 || silentMillis < 0) {
            throw new ParameterException(spec.commandLine(), "--timeout-ms must be at least 1 and --silent-ms not "
                    + "negative");
        }
        Address peer = Address.parseClient(address);
        CheckReport report = new CheckReport(out, json);
        report.header(peer.value(), checks.size(), echo, timeoutMillis);
        new CheckRun(peer, TimeUnit.MILLISECONDS.toNanos(timeoutMillis), echo, silentMillis).run(checks,
                report::result);
        report.summary(peer.value(), echo);
        return report.failed() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private List<Check> selected() {
        if (only.isEmpty()) {
            return Checks.ALL;
        }
        List<Check> chosen = new ArrayList<>();
        for (String name : only) {
            int before = chosen.size();
            for (Check c : Checks.ALL) {
                boolean match = name.endsWith(".") ? c.name().startsWith(name) : c.name().equals(name);
                if (match && !chosen.contains(c)) {
                    chosen.add(c);
                }
            }
            if (chosen.size() == before) {
                throw new ParameterException(spec.commandLine(), "no check is named '" + name
                        + "' (see --list)");
            }
        }
        chosen.sort((a, b) -> Checks.ALL.indexOf(a) - Checks.ALL.indexOf(b));
        return chosen;
    }
}
