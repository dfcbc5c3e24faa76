package tofu.internal;

import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Body;
import tofu.Message;
import tofu.TextHeaders;

/**
 * The engine's door into {@link Message} internals that the public API deliberately hides: unchecked access while
 * the engine owns a message, raw byte arrays for the codec, the intrusive queue link, and the origin/status bits only
 * the engine may set.
 *
 * <p>The door is raw access only: each method reads or writes a hidden field, or makes one edit that needs package
 * {@code tofu}'s private storage (a text header replaced in place, a frame's storage exchanged). Wire-format work
 * stays on the engine side ({@link Wire}, {@link FrameEncoder}, {@link FrameDecoder}); nothing here knows the layout.
 *
 * <p>The single implementation lives in package {@code tofu} and installs itself when {@code Message} is initialised
 * (the JDK's "shared secrets" pattern), so the public types need no public back doors. <b>The one allowed cycle:</b>
 * {@code MessageAccess -> Message -> tofu.MessageAccessImpl -> MessageAccess} is a cycle by construction (the door
 * must name what it opens, and the opened class installs the door); every other class of {@code tofu.internal} must
 * stay out of cycles (docs/DECISIONS.md). Public only because package {@code tofu} implements it; the module exports
 * {@code tofu} alone, so it is no API. Stateless and thread-safe; the messages it touches follow their own ownership
 * rules.
 */
public abstract class MessageAccess {
    private static volatile MessageAccess instance;

    /** Called once by {@code tofu.Message}'s static initialiser. */
    public static void install(MessageAccess access) {
        if (instance != null) {
            throw new IllegalStateException("MessageAccess already installed");
        }
        instance = access;
    }

    /** Returns the installed implementation, initialising {@code Message} if needed. */
    public static MessageAccess get() {
        MessageAccess a = instance;
        if (a == null) {
            try {
                Class.forName(Message.class.getName(), true, Message.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = instance;
        }
        return a;
    }

    public abstract BinaryHeader header(Message m);

    public abstract TextHeaders textHeaders(Message m);

    public abstract Body body(Message m);

    /** Sets origin ENGINE and the given status: the message becomes an engine report. */
    public abstract void markEngineReport(Message m, AmpeStatus status);

    /** Sets origin APPLICATION and the given status. */
    public abstract void markApplication(Message m, AmpeStatus status);

    /** Decodes raw wire fields into the message's header (origin forced to APPLICATION); may throw INVALID_OP_CODE. */
    public abstract void decodeHeader(Message m, short channel, byte proto, byte status, long id, short thl, short bl);

    public abstract byte[] textHeaderBytes(Message m);

    public abstract byte[] bodyBytes(Message m);

    /** Sets the text-header block to {@code length} bytes (content undefined) and returns the array to fill. */
    public abstract byte[] resizeTextHeaders(Message m, int length);

    /** Sets the body to {@code length} bytes (content undefined) and returns the array to fill. */
    public abstract byte[] resizeBody(Message m, int length);

    public abstract boolean isPosted(Message m);

    /** Marks the message as owned by the engine (accessors throw) or handed back (accessors work). */
    public abstract void posted(Message m, boolean posted);

    public abstract Message next(Message m);

    public abstract void next(Message m, Message next);

    /** Where a posted message goes; set by {@code post}, cleared by the engine when it takes the message. */
    public abstract PostTarget target(Message m);

    public abstract void target(Message m, PostTarget target);

    /** Replaces the value of the first text header {@code name} in place (appends it if absent). */
    public abstract void replaceHeader(Message m, String name, String value);

    /**
     * Makes {@code value} the only text header {@code name}: removes every header of that name (what a peer sent),
     * then appends it unless {@code value} is null; the binary header's length follows the block.
     *
     * @throws tofu.AmpeException with INVALID_HEADERS_LEN if the block has no room for it (the removal stays)
     */
    public abstract void setOnlyHeader(Message m, String name, String value);

    /**
     * Moves a received frame (header, text headers, body) from {@code from} into {@code to} by exchanging their
     * storage, then resets {@code from}: a frame assembled in a channel's own message enters a pool message without a
     * copy or an allocation.
     */
    public abstract void moveFrame(Message from, Message to);

    /** Marks a message the engine allocated beyond its pool (counted until it comes back to the pool). */
    public abstract void markEngineAllocated(Message m);

    /** Clears the engine-allocated mark; returns true if it was set. */
    public abstract boolean takeEngineAllocated(Message m);

    /** Returns the message to the fresh state without the ownership check. */
    public abstract void reset(Message m);
}
