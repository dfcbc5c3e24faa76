package tofu.internal;

import java.nio.ByteBuffer;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Body;
import tofu.Message;
import tofu.Origin;
import tofu.TextHeaders;

/**
 * The engine's door into {@link Message} internals that the public API deliberately hides: unchecked access while
 * the engine owns a message, raw byte arrays for the codec, the intrusive queue link, and the origin/status bits only
 * the engine may set.
 *
 * <p>The door is raw access only: each abstract method reads or writes one hidden field, or makes one call to a
 * package-private method of {@code tofu} (a header decoded from wire values, storage resized or exchanged, a text
 * header replaced or removed in place). The few compositions several engine classes share (an engine report, a text
 * header edited with the header length kept in step) are the final methods at the end, on the engine's side of the
 * door; the decoder builds its own. Wire-format work stays with {@link Wire}, {@link FrameEncoder} and
 * {@link FrameDecoder}.
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

    // ---- Raw access: one hidden field, or one package-private call, each (implemented in package tofu). ----

    /** The header without the ownership check. */
    public abstract BinaryHeader header(Message m);

    /** The text headers without the ownership check. */
    public abstract TextHeaders textHeaders(Message m);

    /** The body without the ownership check. */
    public abstract Body body(Message m);

    /** Sets the header's origin bit. */
    public abstract void origin(Message m, Origin origin);

    /** Sets the header's status. */
    public abstract void status(Message m, AmpeStatus status);

    /** Sets every header field from raw wire values; may throw INVALID_OP_CODE. */
    public abstract void decode(Message m, short channel, byte proto, byte status, long id, short thl, short bl);

    /** Sets the header's two length fields. */
    public abstract void lengths(Message m, int textHeadersLength, int bodyLength);

    /** The text-header block's storage (its first {@code length()} bytes are the block). */
    public abstract byte[] textHeaderBytes(Message m);

    /** Copies body bytes {@code [from, from + n)} to {@code dst}'s position and moves it past them. */
    public abstract void copyBodyOut(Message m, int from, int n, ByteBuffer dst);

    /** Copies {@code n} bytes from {@code src}'s position to body index {@code at} and moves it past them. */
    public abstract void copyBodyIn(Message m, ByteBuffer src, int at, int n);

    /**
     * The body as a direct buffer for a gathering write (position 0, limit its length), or null when the body is on
     * the heap. Engine only, while it owns the message; valid until the message changes hands.
     */
    public abstract ByteBuffer bodyGatherView(Message m);

    /** How many bytes the body can hold without growing. */
    public abstract int bodyCapacity(Message m);

    /** Sets the text-header block to {@code length} bytes (content undefined) and returns its storage. */
    public abstract byte[] resizeTextHeaderBytes(Message m, int length);

    /** Sets the body to {@code length} bytes (content undefined), growing its storage to exactly that if needed. */
    public abstract void resizeBody(Message m, int length);

    /** Replaces the value of the first text header {@code name} in the block (appends it if absent). */
    public abstract void replaceFirstHeader(Message m, String name, String value);

    /** Removes every text header {@code name} from the block. */
    public abstract void removeHeaders(Message m, String name);

    /** Exchanges the text-header and body storage (and contents) of two messages. */
    public abstract void swapStorage(Message a, Message b);

    public abstract boolean isPosted(Message m);

    /** Marks the message as owned by the engine (accessors throw) or handed back (accessors work). */
    public abstract void posted(Message m, boolean posted);

    public abstract Message next(Message m);

    public abstract void next(Message m, Message next);

    /** True for a message the engine allocated beyond its pool (counted until it comes back to the pool). */
    public abstract boolean engineAllocated(Message m);

    /** Whether {@code m} was decoded from a peer's frame and not reset since. */
    public abstract boolean received(Message m);

    public abstract void received(Message m, boolean received);

    public abstract void engineAllocated(Message m, boolean engineAllocated);

    /** Creates a message whose body starts with {@code bodyCapacity} bytes of heap storage. */
    public abstract Message create(int bodyCapacity);

    /** Returns the message to the fresh state without the ownership check. */
    public abstract void reset(Message m);

    // ---- What the engine builds from the raw access. ----

    /** Sets origin ENGINE and the given status: the message becomes an engine report. */
    public final void markEngineReport(Message m, AmpeStatus status) {
        origin(m, Origin.ENGINE);
        status(m, status);
    }

    /** Sets origin APPLICATION and the given status. */
    public final void markApplication(Message m, AmpeStatus status) {
        origin(m, Origin.APPLICATION);
        status(m, status);
    }

    /** Replaces the value of the first text header {@code name} in place (appends it if absent). */
    public final void replaceHeader(Message m, String name, String value) {
        replaceFirstHeader(m, name, value);
        lengths(m, textHeaders(m).length(), header(m).bodyLength());
    }

    /**
     * Makes {@code value} the only text header {@code name}: removes every header of that name (what a peer sent),
     * then appends it unless {@code value} is null; the binary header's length follows the block.
     *
     * @throws tofu.AmpeException with INVALID_HEADERS_LEN if the block has no room for it (the removal stays)
     */
    public final void setOnlyHeader(Message m, String name, String value) {
        try {
            removeHeaders(m, name);
            if (value != null) {
                textHeaders(m).append(name, value);
            }
        } finally {
            lengths(m, textHeaders(m).length(), header(m).bodyLength());
        }
    }
}
