package tofu.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What one run of the side-by-side suite does: which stacks, which parts, how long each measurement lasts, how many
 * alternating runs. Parsed from the command line by {@link #parse(String[])}; immutable.
 *
 * @param quick           smoke mode: tiny windows, one run, every stack and workload exercised once
 * @param runs            alternating runs per cell; the table shows their median and spread
 * @param out             folder for the CSV, JSON and PNG files
 * @param stacks          stack names, in table order (see {@link Stacks#ALL})
 * @param parts           which workload families to run
 * @param sizes           body sizes for one-way throughput
 * @param channelCounts   active connections for the many-channels workload (1 is taken from the 64 B one-way row)
 * @param windows         tofu send windows (and pool sizes) of the window workload
 * @param clientCounts    client connections of the "server with many clients" workload
 * @param inFlight        requests each client keeps outstanding there
 * @param warmNanos       warm-up before each measured window
 * @param measureNanos    length of each one-way and back-to-back window
 * @param rateMeasureNanos length of each fixed-rate latency window
 * @param rate            round trips per second in the fixed-rate latency workload
 * @param rttBody         body size of the round-trip workloads
 * @param scaleConnections idle connections wanted in the scale workload
 * @param scaleActive     channels that carry traffic in the scale workload
 */
public record BenchConfig(boolean quick, int runs, Path out, List<String> stacks, Set<Part> parts, int[] sizes,
                          int[] channelCounts, int[] windows, int[] clientCounts, int inFlight, long warmNanos,
                          long measureNanos, long rateMeasureNanos, int rate, int rttBody, int scaleConnections,
                          int scaleActive) {

    /**
     * Workload families, selectable with {@code --only}. PINNED runs the latency part again in a child JVM confined
     * to one CPU ({@code taskset -c 0}).
     */
    public enum Part { THROUGHPUT, CHANNELS, WINDOW, ALLOCATION, SERVICE, LATENCY, PINNED, SCALE }

    /** The parts' names as {@code --only} takes them. */
    static final String PART_NAMES = "throughput,channels,window,allocation,service,latency,pinned,scale";

    static final String USAGE = String.join("\n",
            "usage: java -jar tofu-benchmarks.jar [options]",
            "  --quick | --smoke       tiny counts, one run, every stack and workload once (no timing claims)",
            "  --runs N                alternating runs per figure, median reported (default 3)",
            "  --out DIR               where side-by-side.{csv,json,png} go (default bench-results)",
            "  --stacks a,b,...        subset/order of: " + String.join(",", Stacks.ALL),
            "  --only p,q,...          subset of: " + PART_NAMES,
            "  --sizes a,b,...         one-way body sizes in bytes (default 0,64,1024,16384,65535)",
            "  --channels a,b,...      many-channels counts (default 1,16,256,1024)",
            "  --windows a,b,...       tofu send windows = pool sizes (default 64,256,1024,4096)",
            "  --clients a,b,...       clients of the many-clients server workload (default 256,1024)",
            "  --in-flight N           requests each of those clients keeps outstanding (default 4)",
            "  --warm-ms N             warm-up per window (default 700)",
            "  --measure-ms N          one-way / back-to-back window (default 1500)",
            "  --rate N                fixed-rate round trips per second (default 2000)",
            "  --rate-ms N             fixed-rate window (default 3000)",
            "  --connections N         idle connections in the scale workload (default 10000)",
            "  --help");

    /** Parses the command line; throws {@link IllegalArgumentException} with a readable message on a bad option. */
    public static BenchConfig parse(String[] args) {
        List<String> a = Arrays.asList(args);
        boolean quick = a.contains("--quick") || a.contains("--smoke");
        int runs = quick ? 1 : 3;
        Path out = Path.of("bench-results");
        List<String> stacks = new ArrayList<>(List.of(Stacks.DEFAULT));
        Set<Part> parts = EnumSet.allOf(Part.class);
        long warmMs = quick ? 30 : 700;
        long measureMs = quick ? 60 : 1_500;
        long rateMs = quick ? 60 : 3_000;
        int rate = 2_000;
        int connections = quick ? 100 : 10_000;
        int[] sizes = {0, 64, 1024, 16 * 1024, 65535};
        int[] channelCounts = quick ? new int[] {1, 16} : new int[] {1, 16, 256, 1024};
        int[] windows = {64, 256, 1024, 4096};
        int[] clientCounts = quick ? new int[] {16} : new int[] {256, 1024};
        int inFlight = 4;
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            switch (opt) {
                case "--quick", "--smoke" -> { }
                case "--runs" -> runs = positive(opt, value(args, ++i, opt));
                case "--out" -> out = Path.of(value(args, ++i, opt));
                case "--stacks" -> stacks = Stacks.checkNames(List.of(value(args, ++i, opt).split(",")));
                case "--only" -> parts = parts(value(args, ++i, opt));
                case "--warm-ms" -> warmMs = positive(opt, value(args, ++i, opt));
                case "--measure-ms" -> measureMs = positive(opt, value(args, ++i, opt));
                case "--rate" -> rate = positive(opt, value(args, ++i, opt));
                case "--rate-ms" -> rateMs = positive(opt, value(args, ++i, opt));
                case "--connections" -> connections = positive(opt, value(args, ++i, opt));
                case "--sizes" -> sizes = ints(opt, value(args, ++i, opt), 0, Wire.MAX_BODY);
                case "--channels" -> channelCounts = ints(opt, value(args, ++i, opt), 1, 4096);
                case "--windows" -> windows = ints(opt, value(args, ++i, opt), 1, 65535);
                case "--clients" -> clientCounts = ints(opt, value(args, ++i, opt), 1, 4096);
                case "--in-flight" -> inFlight = positive(opt, value(args, ++i, opt));
                default -> throw new IllegalArgumentException("unknown option " + opt + "\n" + USAGE);
            }
        }
        if ((long) inFlight * Arrays.stream(clientCounts).max().orElse(1) > 65535) {
            throw new IllegalArgumentException("--clients x --in-flight must stay within a pool of 65535 messages");
        }
        return new BenchConfig(quick, runs, out, List.copyOf(stacks), parts, sizes, channelCounts, windows,
                clientCounts, inFlight, TimeUnit.MILLISECONDS.toNanos(warmMs), TimeUnit.MILLISECONDS.toNanos(measureMs),
                TimeUnit.MILLISECONDS.toNanos(rateMs), rate, 64, connections, quick ? 16 : 256);
    }

    boolean has(Part part) {
        return parts.contains(part);
    }

    private static Set<Part> parts(String list) {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (String p : list.split(",")) {
            try {
                parts.add(Part.valueOf(p.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown part '" + p + "' in --only; use " + PART_NAMES);
            }
        }
        return parts;
    }

    private static int[] ints(String opt, String list, int min, int max) {
        String[] parts = list.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                out[i] = -1;
            }
            if (out[i] < min || out[i] > max) {
                throw new IllegalArgumentException(opt + " takes integers in " + min + ".." + max + ", had '"
                        + parts[i] + "'");
            }
        }
        return out;
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new IllegalArgumentException(opt + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int positive(String opt, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the option's name
        }
        throw new IllegalArgumentException(opt + " needs a positive integer, was '" + v + "'");
    }
}
