package tofu;

import java.util.Objects;

/**
 * The one exception type of tofu: a failure that has a tofu {@link AmpeStatus}.
 *
 * <p>Thrown synchronously by {@link ChannelGroup#post(Message)} and friends when a check fails, by
 * {@link Address} parsing, by {@link TextHeaders}/{@link Body} when a limit would be exceeded and by
 * {@link ChannelGroup#waitReceive(long)} once the group is gone. Failures discovered later, on the engine thread,
 * are never thrown: they come back as messages carrying a status. Immutable and thread-safe.
 * @since 0.1.0
 */
public class AmpeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The status this exception carries. */
    private final AmpeStatus status;

    /**
     * Creates an exception carrying {@code status}, with the status name as message.
     *
     * @param status the status
     */
    public AmpeException(AmpeStatus status) {
        this(status, null);
    }

    /**
     * Creates an exception carrying {@code status} and a detail message for people.
     *
     * @param status the status
     * @param detail a human-readable description
     */
    public AmpeException(AmpeStatus status, String detail) {
        super(detail == null ? Objects.requireNonNull(status, "status").name()
                : Objects.requireNonNull(status, "status").name() + ": " + detail);
        this.status = status;
    }

    /**
     * Returns the status this exception carries; never null.
     *
     * @return the status
     */
    public AmpeStatus status() {
        return status;
    }
}
