package tofu;

/**
 * The one-byte result code of tofu. Every message the engine hands back carries one in its binary header, and every
 * {@link AmpeException} carries one.
 *
 * <p>The byte values are part of the wire and API contract and never change. Immutable and thread-safe.
 */
public enum AmpeStatus {
    SUCCESS(0),
    NOT_IMPLEMENTED_YET(1),
    WRONG_ADDRESS(2),
    NOT_ALLOWED(3),
    NULL_MESSAGE(4),
    INVALID_MESSAGE(5),
    INVALID_OP_CODE(6),
    INVALID_HEADERS_LEN(7),
    INVALID_BODY_LEN(8),
    INVALID_MORE_USAGE(9),
    INVALID_CHANNEL_NUMBER(10),
    INVALID_MCHN_GROUP(11),
    INVALID_MESSAGE_ID(12),
    INVALID_ADDRESS(13),
    UDS_PATH_NOT_FOUND(14),
    NOTIFICATION_DISABLED(15),
    NOTIFICATION_FAILED(16),
    PEER_DISCONNECTED(17),
    COMMUNICATION_FAILED(18),
    POOL_EMPTY(19),
    ALLOCATION_FAILED(20),
    RECEIVER_UPDATE(21),
    CHANNEL_CLOSED(22),
    SHUTDOWN_STARTED(23),
    CONNECT_FAILED(24),
    LISTEN_FAILED(25),
    ACCEPT_FAILED(26),
    SEND_FAILED(27),
    RECV_FAILED(28),
    SETSOCKOPT_FAILED(29),
    PROCESSING_FAILED(30),
    UNKNOWN_ERROR(31);

    private static final AmpeStatus[] BY_RAW = values();

    private final int raw;

    AmpeStatus(int raw) {
        this.raw = raw;
    }

    /** Returns the byte value of this status (0..31). */
    public int raw() {
        return raw;
    }

    /**
     * Returns the status for a byte value. Anything outside 0..30 (including negative values) maps to
     * {@link #UNKNOWN_ERROR}, as in the Zig library.
     *
     * @param b the byte value; for a signed Java {@code byte} pass {@code b & 0xFF}
     */
    public static AmpeStatus fromRaw(int b) {
        if (b < 0 || b >= UNKNOWN_ERROR.raw) {
            return UNKNOWN_ERROR;
        }
        return BY_RAW[b];
    }
}
