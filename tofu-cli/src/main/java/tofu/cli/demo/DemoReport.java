package tofu.cli.demo;

import java.util.Locale;
import tofu.cli.CliException;

/**
 * The outcome of the demo on one transport.
 *
 * @param transport     "TCP" or "UDS"
 * @param jobs          jobs dealt out
 * @param jobsDone      jobs whose last chunk a worker reported rendered
 * @param messages      messages the peers exchanged (engine reports not counted)
 * @param bytes         their size on the wire
 * @param elapsedMillis from the listener being ready to the last close
 * @param failure       the first failure, or null
 */
public record DemoReport(String transport, int jobs, int jobsDone, long messages, long bytes, long elapsedMillis,
        CliException failure) {

    /** Returns true if every job completed and nothing failed. */
    public boolean ok() {
        return failure == null && jobsDone == jobs;
    }

    /** Returns the one-line summary. */
    public String summary() {
        return String.format(Locale.ROOT, "%s %s: %d/%d jobs, %,d messages, %,d bytes, %d ms", transport,
                ok() ? "ok" : "FAILED",
                jobsDone, jobs, messages, bytes, elapsedMillis);
    }

    /** Returns why the run failed (null if it did not), as an exception carrying the exit code. */
    public CliException reason() {
        if (failure != null) {
            return new CliException(failure.exitCode(), transport + ": " + failure.getMessage());
        }
        if (jobsDone != jobs) {
            return CliException.failed(transport + ": only " + jobsDone + " of " + jobs + " jobs completed");
        }
        return null;
    }
}
