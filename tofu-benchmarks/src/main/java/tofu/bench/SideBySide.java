package tofu.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The side-by-side benchmark: the same workloads on tofu (TCP and UDS), raw NIO, Netty and JeroMQ, in one go.
 *
 * <pre>
 * ./mvnw -B -q -Pbenchmarks -pl tofu-benchmarks -am -DskipTests package
 * java -jar tofu-benchmarks/target/tofu-benchmarks.jar [--quick] [--runs 3] [--out DIR] [--only latency] ...
 * </pre>
 *
 * <p>Prints a table (median of {@code --runs} alternating runs, spread, tofu/peer ratios) and the target checks on
 * standard output, progress on standard error, and writes {@code side-by-side.csv}, {@code .json} and {@code .png}
 * into {@code --out}. See docs/PERFORMANCE.md for what each workload measures.
 */
public final class SideBySide {
    static final String BASE_NAME = "side-by-side";

    /** What a run produced, for callers that inspect it (the smoke test). */
    public record Outcome(Results results, List<Targets.Check> checks, Path csv, Path json, Path png) {
    }

    private SideBySide() {
    }

    /** Command-line entry point; exit status 2 for bad options, 1 if a workload failed, else 0. */
    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println(BenchConfig.USAGE);
            return;
        }
        BenchConfig config;
        try {
            config = BenchConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Outcome outcome = run(config, System.out, System.err);
        boolean failed = outcome.results().notes().stream().anyMatch(n -> n.startsWith("FAILED"));
        System.exit(failed ? 1 : 0);
    }

    /** Runs the suite described by {@code config}. */
    public static Outcome run(BenchConfig config, PrintStream out, PrintStream log) throws IOException {
        Path udsDir = Files.createTempDirectory("tofu-bench");
        try {
            Results results = new Results();
            Map<String, String> env = environment(config);
            env.forEach((k, v) -> log.println(k + ": " + v));
            new Suite(config, results, udsDir, log).run();
            if (JeromqStack.connections() > 0) {
                results.note(String.format(Locale.ROOT, "jeromq: %d connections, %d reconnected after a handshake that "
                        + "never finished (%.1f%%)", JeromqStack.connections(), JeromqStack.reconnects(),
                        100.0 * JeromqStack.reconnects() / Math.max(1, JeromqStack.connections())));
            }
            List<Targets.Check> checks = Targets.evaluate(results, config);
            out.println("tofu side-by-side benchmark — " + env.get("date"));
            out.println(env.get("machine") + "; " + env.get("mode"));
            Table.print(results, config.stacks(), out);
            Targets.print(checks, out);
            if (!results.notes().isEmpty()) {
                out.println();
                out.println("== notes ==");
                results.notes().forEach(n -> out.println("- " + n));
            }
            return write(config, results, env, checks, out);
        } finally {
            deleteTree(udsDir);
        }
    }

    private static Outcome write(BenchConfig config, Results results, Map<String, String> env,
                                 List<Targets.Check> checks, PrintStream out) throws IOException {
        Files.createDirectories(config.out());
        Path csv = config.out().resolve(BASE_NAME + ".csv");
        Path json = config.out().resolve(BASE_NAME + ".json");
        Path png = config.out().resolve(BASE_NAME + ".png");
        ResultFiles.writeCsv(csv, results, config.stacks());
        ResultFiles.writeJson(json, results, config.stacks(), env, checks);
        Chart.write(png, results, config.stacks(), config,
                "tofu side-by-side, " + env.get("date") + " (" + env.get("mode") + ")");
        out.println();
        out.println("wrote " + csv + ", " + json + ", " + png);
        return new Outcome(results, checks, csv, json, png);
    }

    private static Map<String, String> environment(BenchConfig config) {
        Map<String, String> env = new LinkedHashMap<>();
        Runtime rt = Runtime.getRuntime();
        env.put("date", Instant.now().toString());
        env.put("machine", String.format(Locale.ROOT, "%s %s, %d CPUs usable (taskset-pinned if fewer than the "
                + "machine has), load average %.2f, Java %s %s, max heap %d MiB", System.getProperty("os.name"),
                System.getProperty("os.arch"), rt.availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), rt.maxMemory() >> 20));
        env.put("mode", String.format(Locale.ROOT, "%s, %d run(s) per figure, warm-up %d ms, window %d ms, "
                + "fixed rate %d/s over %d ms", config.quick() ? "QUICK smoke mode (figures meaningless)" : "full",
                config.runs(), config.warmNanos() / 1_000_000, config.measureNanos() / 1_000_000, config.rate(),
                config.rateMeasureNanos() / 1_000_000));
        env.put("stacks", String.join(",", config.stacks()));
        return env;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
