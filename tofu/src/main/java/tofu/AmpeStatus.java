package tofu;

/**
 * The one-byte result code of tofu. Every message the engine hands back carries one in its binary header, and every
 * {@link AmpeException} carries one.
 *
 * <p>The byte values are part of the wire and API contract and never change. Immutable and thread-safe.
 * @since 0.1.0
 */
public enum AmpeStatus {
    /** No error. */
    SUCCESS(0),
    /** The requested feature is not implemented. */
    NOT_IMPLEMENTED_YET(1),
    /** The message carries no {@code ~connect_to} / {@code ~listen_on} header where one is needed. */
    WRONG_ADDRESS(2),
    /** The operation is not allowed in the current state, e.g. on a live listener channel. */
    NOT_ALLOWED(3),
    /** A {@code null} message was posted. */
    NULL_MESSAGE(4),
    /** The message is malformed, e.g. a peer sent a frame that does not decode. */
    INVALID_MESSAGE(5),
    /** The opcode does not exist, may not be posted here, or has no answer. */
    INVALID_OP_CODE(6),
    /** The text headers length is out of range. */
    INVALID_HEADERS_LEN(7),
    /** The body length is out of range. */
    INVALID_BODY_LEN(8),
    /** The {@code more} flag was set on a non-regular opcode. */
    INVALID_MORE_USAGE(9),
    /** The channel number is wrong for the opcode or was never assigned in this engine. */
    INVALID_CHANNEL_NUMBER(10),
    /** The channel is owned by another channel group. */
    INVALID_MCHN_GROUP(11),
    /** A response-role message carries message id 0. */
    INVALID_MESSAGE_ID(12),
    /** The address does not parse or the host is unknown. */
    INVALID_ADDRESS(13),
    /** The Unix-domain socket path does not exist. */
    UDS_PATH_NOT_FOUND(14),
    /** Notifications are disabled. */
    NOTIFICATION_DISABLED(15),
    /** A notification could not be delivered. */
    NOTIFICATION_FAILED(16),
    /** The peer closed the connection. */
    PEER_DISCONNECTED(17),
    /** An I/O error not covered by a more specific status. */
    COMMUNICATION_FAILED(18),
    /** The message pool is empty; reading from a channel pauses until messages are put back. */
    POOL_EMPTY(19),
    /** A message could not be allocated. */
    ALLOCATION_FAILED(20),
    /** A wake-up sent through {@link ChannelGroup#updateReceiver(Message)}. */
    RECEIVER_UPDATE(21),
    /** The channel is closed; a message posted to it comes back with this status. */
    CHANNEL_CLOSED(22),
    /** The channel group was destroyed or the engine closed. */
    SHUTDOWN_STARTED(23),
    /** Connecting to the peer failed. */
    CONNECT_FAILED(24),
    /** Listening on the address failed. */
    LISTEN_FAILED(25),
    /** Accepting a connection failed. */
    ACCEPT_FAILED(26),
    /** Sending to the peer failed. */
    SEND_FAILED(27),
    /** Receiving from the peer failed. */
    RECV_FAILED(28),
    /** Setting a socket option failed. */
    SETSOCKOPT_FAILED(29),
    /** The engine failed while processing a message. */
    PROCESSING_FAILED(30),
    /** Any other error, and any byte value outside 0..30. */
    UNKNOWN_ERROR(31);

    private static final AmpeStatus[] BY_RAW = values();

    private final int raw;

    AmpeStatus(int raw) {
        this.raw = raw;
    }

    /**
     * Returns the byte value of this status (0..31).
     *
     * @return the byte value
     */
    public int raw() {
        return raw;
    }

    /**
     * Returns the status for a byte value. Anything outside 0..30 (including negative values) maps to
     * {@link #UNKNOWN_ERROR}, as in the Zig library.
     *
     * @param b the byte value; for a signed Java {@code byte} pass {@code b & 0xFF}
     * @return the matching status, or {@link #UNKNOWN_ERROR}
     */
    public static AmpeStatus fromRaw(int b) {
        if (b < 0 || b >= UNKNOWN_ERROR.raw) {
            return UNKNOWN_ERROR;
        }
        return BY_RAW[b];
    }
}
