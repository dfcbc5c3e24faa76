package tofu.internal;

import tofu.AmpeStatus;
import tofu.OpCode;

/**
 * Where a channel is in the bye exchange (docs/PROTOCOL.md, closing a channel), as one value with named transitions.
 * It answers the two questions the bye rules ask: what may still be queued after our own bye ({@link #mayQueue}), and
 * whether a close from now on is graceful ({@link #exchanged()}): the peer sent a bye frame, or our BYE_RESPONSE went
 * out in full.
 *
 * <p>The transitions are {@link #queued} (we queued a bye), {@link #peerBye()} (a bye frame arrived) and
 * {@link #responseWritten()} (our BYE_RESPONSE was fully written). A transition the rules cannot produce fails an
 * assertion (the tests run with assertions on) and leaves the state as it was. Immutable; held by a channel's
 * {@link SendQueue}, engine thread only.
 */
enum ByeExchange {
    /** No bye yet: everything posted is queued. */
    NONE(true, true, false),
    /** We queued a BYE_REQUEST: only a BYE_RESPONSE may still be queued behind it. */
    ASKED(false, true, false),
    /** We queued a BYE_RESPONSE, not yet fully written: nothing more is queued. */
    ANSWERING(false, false, false),
    /** The peer sent a bye frame and we queued no bye: anything may still be queued, and a close is graceful. */
    PEER_ASKED(true, true, true),
    /** We queued a BYE_REQUEST and the peer sent a bye frame: only a BYE_RESPONSE may still be queued. */
    BOTH_ASKED(false, true, true),
    /** Our BYE_RESPONSE is queued, and it was written or the peer sent a bye frame: nothing more is queued. */
    DONE(false, false, true);

    private final boolean queuesAll;
    private final boolean queuesResponse;
    private final boolean exchanged;

    ByeExchange(boolean queuesAll, boolean queuesResponse, boolean exchanged) {
        this.queuesAll = queuesAll;
        this.queuesResponse = queuesResponse;
        this.exchanged = exchanged;
    }

    /** True if a posted message with {@code op} may be queued now; otherwise it is held and returned at teardown. */
    boolean mayQueue(OpCode op) {
        return queuesAll || (queuesResponse && op == OpCode.BYE_RESPONSE);
    }

    /** True once a bye frame came from the peer or our BYE_RESPONSE went out: a close from now on is graceful. */
    boolean exchanged() {
        return exchanged;
    }

    /** We queued a BYE_REQUEST or BYE_RESPONSE that {@link #mayQueue} let through. */
    ByeExchange queued(OpCode op) {
        if (op == OpCode.BYE_REQUEST) {
            switch (this) {
                case NONE: return ASKED;
                case PEER_ASKED: return BOTH_ASKED;
                default: return illegal("BYE_REQUEST queued");
            }
        }
        if (op == OpCode.BYE_RESPONSE) {
            switch (this) {
                case NONE:
                case ASKED: return ANSWERING;
                case PEER_ASKED:
                case BOTH_ASKED: return DONE;
                default: return illegal("BYE_RESPONSE queued");
            }
        }
        return illegal(op + " queued");
    }

    /** A BYE_REQUEST or BYE_RESPONSE arrived from the peer (a second one changes nothing). */
    ByeExchange peerBye() {
        switch (this) {
            case NONE: return PEER_ASKED;
            case ASKED: return BOTH_ASKED;
            case ANSWERING: return DONE;
            default: return this;
        }
    }

    /** Our queued BYE_RESPONSE was written in full. */
    ByeExchange responseWritten() {
        return this == ANSWERING || this == DONE ? DONE : illegal("BYE_RESPONSE written");
    }

    /**
     * The reason for an I/O failure classified as {@code status}. A peer that drops the connection after the bye was
     * exchanged is closing, not vanishing: a Zig initiator ends every bye with a reset, and its responder must still
     * report CHANNEL_CLOSED.
     */
    AmpeStatus failureReason(AmpeStatus status) {
        return status == AmpeStatus.PEER_DISCONNECTED && exchanged ? AmpeStatus.CHANNEL_CLOSED : status;
    }

    /** The reason when the peer ends its stream: graceful once the bye was exchanged, PEER_DISCONNECTED before. */
    AmpeStatus peerClosedReason() {
        return exchanged ? AmpeStatus.CHANNEL_CLOSED : AmpeStatus.PEER_DISCONNECTED;
    }

    private ByeExchange illegal(String event) {
        assert false : "bye exchange: " + event + " in " + this;
        return this;
    }
}
