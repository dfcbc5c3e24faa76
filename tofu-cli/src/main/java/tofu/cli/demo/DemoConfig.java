package tofu.cli.demo;

/**
 * The size of a demo run.
 *
 * @param jobs           print jobs the spool server deals out
 * @param workers        RIP workers (alternately PS and PDF)
 * @param chunks         PDL data chunks per job
 * @param chunkSize      bytes per chunk, 1..65535
 * @param deadlineMillis bound of the whole demo, all transports together
 * @param quiet          print only the summaries, not the timeline
 */
public record DemoConfig(int jobs, int workers, int chunks, int chunkSize, long deadlineMillis, boolean quiet) {
    /** Checks the ranges. @throws IllegalArgumentException naming the bad value */
    public DemoConfig {
        check("jobs", jobs, 1, 10_000);
        check("workers", workers, 1, 100);
        check("chunks", chunks, 1, 1000);
        check("chunk size", chunkSize, 1, 0xFFFF);
        check("deadline", deadlineMillis, 1, Long.MAX_VALUE);
    }

    private static void check(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", was " + value);
        }
    }
}
