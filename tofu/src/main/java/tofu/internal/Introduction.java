package tofu.internal;

import tofu.AmpeException;
import tofu.Message;
import tofu.OpCode;

/**
 * The hello exchange as a connected channel sees it. An accepted connection is unannounced until its first frame,
 * which must be a HelloRequest for which a channel number is free ({@link #number}). The engine writes who the
 * transport verified the peer to be into the {@code ~peer} header ({@link #PEER_HEADER}) of that HelloRequest (server
 * side) and of a client's first HelloResponse ({@link #helloResponse}); later HelloResponses are the peer's business.
 *
 * <p>Confined to the engine thread; owned by its channel.
 */
final class Introduction {
    private static final MessageAccess M = MessageAccess.get();
    /** Text header naming the peer as its transport verified it (docs/PROTOCOL.md, peer identity). */
    static final String PEER_HEADER = "~peer";

    private final ChannelContext ctx;
    private final GroupImpl group;
    private final boolean accepted;
    /** A client's first HelloResponse got its {@code ~peer}: an independent fact, hence a boolean. */
    private boolean peerStamped;

    Introduction(ChannelContext ctx, GroupImpl group, boolean accepted) {
        this.ctx = ctx;
        this.group = group;
        this.accepted = accepted;
    }

    /**
     * The number for an accepted connection whose first frame has {@code op}: null unless it is a HelloRequest and a
     * number is free (the connection then ends silently).
     */
    ChannelSlot number(OpCode op) {
        assert ctx.inEngineThread();
        if (op != OpCode.HELLO_REQUEST) {
            return null;
        }
        return ctx.numbers().allocate(group, ChannelSlot.Kind.IO);
    }

    /** A HelloResponse arrived: a client stamps its first one with the peer the transport verified. */
    void helloResponse(Message m, ByteTransport transport) {
        if (!accepted && !peerStamped) {
            peerStamped = true;
            stampPeer(m, transport);
        }
    }

    /**
     * Gives a HelloRequest (server side) or HelloResponse (client side) the engine's {@code ~peer} header: who the
     * transport verified the peer to be. A {@code ~peer} the peer wrote itself is removed first, so the header is
     * always the engine's word; plain TCP gets none.
     */
    static void stampPeer(Message m, ByteTransport transport) {
        try {
            M.setOnlyHeader(m, PEER_HEADER, transport.peer());
        } catch (AmpeException e) {
            // the peer filled its header block to the limit: no room left, and its own ~peer is gone
        }
    }
}
