package tofu.cli;

import java.util.concurrent.TimeoutException;
import tofu.AmpeException;
import tofu.AmpeStatus;

/**
 * A command failure: a one-line reason for people and the exit code the process ends with. Commands throw it;
 * {@link Main} prints the reason and returns the code.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The exit code the process ends with. */
    private final int exitCode;

    /** Creates a failure with an explicit exit code (see {@link ExitCodes}). */
    public CliException(int exitCode, String reason) {
        super(reason);
        this.exitCode = exitCode;
    }

    /** A failure reported by tofu with {@code status}: exit code {@code 10 + status.raw()}. */
    public static CliException status(AmpeStatus status, String reason) {
        return new CliException(ExitCodes.of(status), reason + ": " + status);
    }

    /** Nothing came within the time allowed: exit code {@link ExitCodes#TIMEOUT}. */
    public static CliException timeout(String reason) {
        return new CliException(ExitCodes.TIMEOUT, reason);
    }

    /**
     * A failed {@link tofu.Channels} call ({@code what}, e.g. "connect to tcp|...|7099"): a timeout keeps the timeout
     * exit code, anything else exits with its status. SHUTDOWN_STARTED is returned as it is, for the Ctrl-C paths
     * that look for it.
     */
    public static RuntimeException of(AmpeException e, String what) {
        if (e.status() == AmpeStatus.SHUTDOWN_STARTED) {
            return e;
        }
        if (e.getCause() instanceof TimeoutException) {
            return timeout(what + " timed out: " + e.getCause().getMessage());
        }
        return status(e.status(), what + " failed" + engineWords(e.getMessage()));
    }

    /**
     * The engine's {@code ~reason} words quoted in an exception's message (e.g. why a TLS handshake failed), as
     * {@code " (words)"}, or nothing. Already escaped by the library.
     */
    private static String engineWords(String message) {
        String marker = "(~reason: ";
        int at = message == null ? -1 : message.lastIndexOf(marker);
        if (at < 0) {
            return "";
        }
        int end = message.indexOf(')', at + marker.length());
        return " (" + message.substring(at + marker.length(), end < 0 ? message.length() : end) + ")";
    }

    /** A failure without a tofu status: exit code {@link ExitCodes#FAILED}. */
    public static CliException failed(String reason) {
        return new CliException(ExitCodes.FAILED, reason);
    }

    /** Returns the exit code the process should end with. */
    public int exitCode() {
        return exitCode;
    }
}
