package tofu.examples;

import java.util.HashSet;
import java.util.Set;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;

/**
 * The receiver loop of a server group, with the connection housekeeping done once for all recipes: it accepts every
 * HelloRequest, answers every ByeRequest, and hands every other application message to a {@link Handler}. It runs on
 * the thread that calls {@link #serve}, the only thread that calls {@code waitReceive} on the group.
 */
public final class ServerLoop {
    /** What a server does with its connections; all methods run on the loop's thread. */
    public interface Handler {
        /**
         * Handles a message from a peer (not a HelloRequest or ByeRequest); the handler owns it and must post it or
         * put it back.
         */
        void handle(Message m) throws InterruptedException;

        /** Called with a HelloRequest just before it is accepted; the loop still owns the message. */
        default void connected(Message hello) {
        }

        /** Called when an accepted connection has closed, for whatever reason. */
        default void closed(int channel) {
        }
    }

    private ServerLoop() {
    }

    /**
     * Serves {@code group} until {@code connections} accepted connections have closed, or until the group is
     * destroyed or its engine closed (which wakes the wait with SHUTDOWN_STARTED: the normal way to stop a server
     * that runs "forever").
     */
    public static void serve(Ampe ampe, ChannelGroup group, int connections, Handler handler)
            throws InterruptedException {
        Set<Integer> accepted = new HashSet<>();
        int closed = 0;
        try {
            while (closed < connections) {
                // No timeout needed: whoever owns the engine closes it at the end, and that wakes this call.
                Message m = group.waitReceive(ChannelGroup.INFINITE_TIMEOUT);
                int channel = m.bhdr().channelNumber();
                if (m.isFromEngine()) { // first: a report, never a peer's message
                    // The last report about a channel is its CHANNEL_CLOSED signal.
                    if (Examples.isChannelClosed(m) && accepted.remove(channel)) {
                        closed++;
                        handler.closed(channel);
                    } else {
                        // Say what else came back: a closed listener's reports, POOL_EMPTY notices (the engine
                        // paused reading until messages are put back, as this loop does), returned messages.
                        Examples.log("server", "engine report: %s %s on channel %d", m.bhdr().opCode(),
                                m.bhdr().status(), channel);
                    }
                    ampe.put(m);
                    continue;
                }
                switch (m.bhdr().opCode()) {
                    case HELLO_REQUEST -> {
                        handler.connected(m);
                        accepted.add(channel);
                        Examples.accept(group, m);
                    }
                    case BYE_REQUEST -> {
                        // Everything the peer sent before its ByeRequest has already been handled (per-channel FIFO),
                        // and our answers to it are queued ahead of this ByeResponse: nothing in flight is lost.
                        m.bhdr().opCode(OpCode.BYE_RESPONSE);
                        group.post(m);
                    }
                    default -> handler.handle(m);
                }
            }
        } catch (AmpeException e) {
            if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                throw e;
            }
        }
    }
}
