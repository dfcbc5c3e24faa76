package tofu.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tofu.AmpeStatus;

/**
 * The exit codes of the {@code tofu} command. The rule: 0 success, 1 a failure without a tofu status (the reason is
 * printed), 2 a usage error, 3 a timeout, {@code 10 + status.raw()} for a failure carrying an {@link AmpeStatus}
 * (so 34 is CONNECT_FAILED, 24 UDS_PATH_NOT_FOUND, 23 INVALID_ADDRESS), and 130 when interrupted (Ctrl-C).
 */
public final class ExitCodes {
    /** Everything worked. */
    public static final int OK = 0;
    /** Failed for a reason that has no tofu status; the reason is printed. */
    public static final int FAILED = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** No answer within the time allowed. */
    public static final int TIMEOUT = 3;
    /** Interrupted: Ctrl-C (SIGINT), as shells report a process ended by SIGINT (128 + 2). */
    public static final int INTERRUPTED = 130;
    /** Added to {@link AmpeStatus#raw()} for failures that carry a tofu status. */
    public static final int STATUS_BASE = 10;

    /** The exit-code table shown by every {@code --help}. */
    static final Map<String, String> HELP = help();

    private ExitCodes() {
    }

    private static Map<String, String> help() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("0", "success");
        m.put("1", "failed (the reason is printed on stderr)");
        m.put("2", "usage error");
        m.put("3", "timed out");
        m.put("10+s", "failed with tofu status s = AmpeStatus.raw(), e.g. 23 INVALID_ADDRESS, "
                + "24 UDS_PATH_NOT_FOUND, 32 CHANNEL_CLOSED (closed by the peer), 34 CONNECT_FAILED, "
                + "35 LISTEN_FAILED");
        m.put("130", "interrupted (Ctrl-C); ping, listen and tap print their summary first");
        return Collections.unmodifiableMap(m);
    }

    /** Returns the exit code for {@code status}: 0 for SUCCESS, else {@code 10 + status.raw()}. */
    public static int of(AmpeStatus status) {
        return status == AmpeStatus.SUCCESS ? OK : STATUS_BASE + status.raw();
    }
}
