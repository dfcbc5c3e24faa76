package tofu.internal;

import tofu.AmpeStatus;
import tofu.Message;
import tofu.Origin;

/**
 * The one undo path of a refused hand-over: when a message was already marked for the engine (posted, origin and
 * status set, maybe an id and a channel number) and the hand-over then fails because the engine or group closed at that
 * moment, the caller must get its message back exactly as it was. Stateless; runs on the caller's thread.
 */
final class Refusal {
    private static final MessageAccess M = MessageAccess.get();

    private Refusal() {
    }

    /** Gives a message back to its caller with the origin and status it had. */
    static void restore(Message m, Origin origin, AmpeStatus status) {
        M.posted(m, false);
        if (origin == Origin.ENGINE) {
            M.markEngineReport(m, status);
        } else {
            M.markApplication(m, status);
        }
    }

    /**
     * As {@link #restore(Message, Origin, AmpeStatus)}, also undoing what {@code post} assigned: the id, and the
     * channel number of an opening request ({@code opened}; its caller cancels the number itself, so that this undo
     * stays below the channel numbers).
     */
    static void restorePost(Message m, Origin origin, AmpeStatus status, long oldId, boolean opened) {
        restore(m, origin, status);
        M.header(m).messageId(oldId);
        if (opened) {
            M.header(m).channelNumber(0);
        }
    }
}
