package tofu.cli;

import java.util.Locale;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tofu.cli.demo.DemoConfig;
import tofu.cli.demo.DemoReport;
import tofu.cli.demo.DemoRun;

/**
 * {@code tofu demo}: the print-shop conversation from tofu's own story — a spool server dealing print jobs to RIP
 * workers — run in one process over TCP and over Unix-domain sockets, with a timeline and a summary per transport.
 * Exit code 0 only if every job completed on every transport.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Run the print-shop demo over TCP and UDS in one process.",
        description = {"Run the print-shop conversation in one process: a spool server deals print jobs to RIP "
                + "workers (PS and PDF); each job is a multi-request stream (ticket, then PDL data chunks); workers "
                + "report progress with signals and leave with a ByeRequest carrying their status.",
            "Exits 0 only if every job completed on every transport."})
public final class DemoCommand implements Callable<Integer> {
    /** Which transports to run the demo on. */
    enum TransportChoice { tcp, uds, tls, both, all }

    @Spec
    CommandSpec spec;

    @Option(names = "--transport", paramLabel = "tcp|uds|tls|both|all", defaultValue = "both",
            description = "Transport(s) to run on: both = tcp and uds, all = tcp, uds and tls (mutual TLS on a "
                    + "throwaway certificate made with the JDK's keytool); default ${DEFAULT-VALUE}.")
    TransportChoice transport;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "4", description = "Print jobs (default 4).")
    int jobs;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2", description = "RIP workers (default 2).")
    int workers;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "3", description = "PDL chunks per job (default 3).")
    int chunks;

    @Option(names = "--chunk-size", paramLabel = "B", defaultValue = "4096",
            description = "Bytes per PDL chunk, 1..65535 (default 4096).")
    int chunkSize;

    @Option(names = "--deadline-s", paramLabel = "S", defaultValue = "30",
            description = "Give up after S seconds, all transports together (default 30).")
    long deadlineSeconds;

    @Option(names = "--quiet", description = "Print only the summaries.")
    boolean quiet;

    @Override
    public Integer call() throws InterruptedException {
        DemoConfig config;
        try {
            config = new DemoConfig(jobs, workers, chunks, chunkSize, deadlineSeconds * 1000, quiet);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT,
                "tofu demo: a spool server deals %d print jobs to %d RIP workers, %d chunks of %d B each%n",
                jobs, workers, chunks, chunkSize);
        Deadline deadline = Deadline.inMillis(config.deadlineMillis());
        List<DemoReport> reports = new ArrayList<>();
        for (DemoRun.Transport t : transports()) {
            out.println();
            DemoReport report = DemoRun.run(t, config, deadline, out);
            out.println(report.summary());
            out.flush();
            reports.add(report);
        }
        for (DemoReport r : reports) {
            if (!r.ok()) {
                throw r.reason();
            }
        }
        out.println();
        List<String> names = new ArrayList<>();
        reports.forEach(r -> names.add(r.transport()));
        out.println("demo passed: every job completed on " + (names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1)));
        return ExitCodes.OK;
    }

    private List<DemoRun.Transport> transports() {
        switch (transport) {
            case tcp:
                return List.of(DemoRun.Transport.TCP);
            case uds:
                return List.of(DemoRun.Transport.UDS);
            case tls:
                return List.of(DemoRun.Transport.TLS);
            case all:
                return List.of(DemoRun.Transport.TCP, DemoRun.Transport.UDS, DemoRun.Transport.TLS);
            default:
                return List.of(DemoRun.Transport.TCP, DemoRun.Transport.UDS);
        }
    }
}
