package tofu.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The round trips again with the whole JVM confined to one CPU: a child JVM started under {@code taskset -c 0} runs
 * the latency part for the same stacks (alternating runs, as here) and writes its CSV; its figures join this run's
 * results in sections of their own ({@link #BACK_TO_BACK}, {@link #FIXED_RATE}). Pinning every thread of every stack
 * — application, I/O, JIT and GC — to one core keeps the comparison fair and removes the cost of waking an idle
 * second CPU, which dominates unpinned latency on a virtual machine. Needs {@code taskset} (util-linux); without it
 * the part is skipped with a note.
 */
final class PinnedLatency {
    static final String BACK_TO_BACK = Workloads.RTT + ", pinned (1 CPU)";
    static final String FIXED_RATE = Workloads.RTT_RATE + ", pinned (1 CPU)";
    private static final String TASKSET = "taskset";

    private final BenchConfig config;
    private final Results results;
    private final Workloads workloads;
    private final PrintStream log;

    PinnedLatency(BenchConfig config, Results results, Workloads workloads, PrintStream log) {
        this.config = config;
        this.results = results;
        this.workloads = workloads;
        this.log = log;
    }

    /** True if {@code taskset} is on the PATH. */
    static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, TASKSET))) {
                return true;
            }
        }
        return false;
    }

    void run() {
        log.println("round trips, JVM pinned to CPU 0 (child process)");
        if (!available()) {
            results.note("pinned latency: skipped, taskset (util-linux) is not installed");
            return;
        }
        Path out = null;
        try {
            out = Files.createTempDirectory("tofu-pinned");
            runChild(out);
            merge(out.resolve(SideBySide.BASE_NAME + ".csv"));
        } catch (Exception | Error e) {
            workloads.fail("pinned latency", e);
        } finally {
            if (out != null) {
                deleteTree(out);
            }
        }
    }

    private void runChild(Path out) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(TASKSET, "-c", "0", java, "-Xmx1g",
                "-Dtofu.bench.pool=" + TofuLink.POOL, "-cp", System.getProperty("java.class.path"),
                SideBySide.class.getName(), "--only", "latency", "--runs", Integer.toString(config.runs()),
                "--stacks", String.join(",", config.stacks()), "--out", out.toString(),
                "--warm-ms", Long.toString(TimeUnit.NANOSECONDS.toMillis(config.warmNanos())),
                "--measure-ms", Long.toString(TimeUnit.NANOSECONDS.toMillis(config.measureNanos())),
                "--rate", Integer.toString(config.rate()),
                "--rate-ms", Long.toString(TimeUnit.NANOSECONDS.toMillis(config.rateMeasureNanos()))));
        if (config.quick()) {
            cmd.add("--quick");
        }
        Process child = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Threads.Worker relay = Threads.start("pinned-child-log", () -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    log.println("  [pinned] " + line);
                }
            }
        });
        long perFigure = config.warmNanos() + Math.max(config.measureNanos(), config.rateMeasureNanos());
        long budget = TimeUnit.SECONDS.toNanos(120) + 4L * config.runs() * config.stacks().size() * perFigure;
        if (!child.waitFor(budget, TimeUnit.NANOSECONDS)) {
            child.destroyForcibly();
            throw new IllegalStateException("the pinned child did not finish within "
                    + TimeUnit.NANOSECONDS.toSeconds(budget) + " s");
        }
        relay.join();
        if (child.exitValue() != 0) {
            throw new IllegalStateException("the pinned child exited with " + child.exitValue());
        }
    }

    /** Adds the child's latency figures, every run value, under the pinned sections. */
    private void merge(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = CsvLine.split(line);
            String section = f.get(0).equals(Workloads.RTT) ? BACK_TO_BACK
                    : f.get(0).equals(Workloads.RTT_RATE) ? FIXED_RATE : null;
            Metric metric = Metric.byUnit(f.get(2));
            if (section == null || metric == null) {
                continue;
            }
            for (String v : f.get(8).split(";")) {
                if (!v.isEmpty() && !v.equals("null")) {
                    results.add(new Results.Row(section, f.get(1), metric), f.get(3), Double.parseDouble(v));
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    /** Splits one line of the harness's own CSV (fields quoted only when they hold a comma or a quote). */
    static final class CsvLine {
        private CsvLine() {
        }

        static List<String> split(String line) {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            fields.add(field.toString());
            return fields;
        }
    }
}
