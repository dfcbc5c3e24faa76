package tofu;

import tofu.internal.MessageAccess;

/**
 * The unit of everything in tofu: a 16-byte {@link BinaryHeader}, optional {@link TextHeaders} and an optional
 * {@link Body}. Addresses, commands and results all travel inside messages.
 *
 * <p><b>Ownership.</b> A message has one owner at a time: the pool, the application or the engine.
 * {@link Ampe#get(AllocationStrategy)} and {@link ChannelGroup#waitReceive(long)} hand a message to the caller;
 * {@link ChannelGroup#post(Message)}, {@link ChannelGroup#updateReceiver(Message)} and {@link Ampe#put(Message)}
 * take it. After a hand-off that returns normally the caller must not touch the message again: a message that is
 * currently posted throws {@link IllegalStateException} from its accessors. A hand-off that throws leaves the
 * message with the caller, unchanged.
 *
 * <p><b>Threading.</b> Not thread-safe; only its current owner may use it.
 *
 * <pre>{@code
 * Message msg = ampe.get(AllocationStrategy.ALWAYS);
 * msg.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);
 * msg.thdrs().append("Job", "42");
 * msg.body().append("hello");
 * group.post(msg);          // the engine owns msg now
 * }</pre>
 * @since 0.1.0
 */
public final class Message {
    static {
        MessageAccess.install(new MessageAccessImpl());
    }

    final BinaryHeader header = new BinaryHeader();
    final TextHeaders textHeaders = new TextHeaders();
    final Body body;

    /** True while the engine owns the message; guards the accessors (best effort, plain field on purpose). */
    boolean posted;
    /** Intrusive link: a message sits in at most one queue at a time, so queues need no nodes. */
    Message next;
    /** Allocated by the engine beyond its pool for a receive (deadlock rule); cleared when it reaches the pool. */
    boolean engineAllocated;
    /**
     * Decoded from a peer's frame and not reset since: when it is posted back (a reply in the same message), the
     * engine encodes it rather than the posting thread. Also when the receiving thread decoded it itself (a small
     * frame delivered as bytes): letting that thread encode its replies measured no better (docs/DECISIONS.md).
     */
    boolean received;

    /** The body's first capacity; see {@link #withBodyCapacity}. */
    private Message(int bodyCapacity) {
        body = new Body(bodyCapacity); // last: its array is allocated right behind the message's other parts
    }

    /**
     * Creates a standalone message in the fresh state; it may later be {@link Ampe#put(Message) put} into a pool.
     *
     * @return a new message
     */
    public static Message create() {
        return new Message(0);
    }

    /**
     * Creates a message whose body already has {@code bodyCapacity} bytes of heap storage, allocated together with
     * the message so that a small body lies next to its headers in memory (the engine's pool creates its messages
     * so).
     */
    static Message withBodyCapacity(int bodyCapacity) {
        return new Message(bodyCapacity);
    }

    /**
     * Returns the binary header.
     *
     * @return the binary header
     */
    public BinaryHeader bhdr() {
        checkOwned();
        return header;
    }

    /**
     * Returns the text headers.
     *
     * @return the text headers
     */
    public TextHeaders thdrs() {
        checkOwned();
        return textHeaders;
    }

    /**
     * Returns the body.
     *
     * @return the body
     */
    public Body body() {
        checkOwned();
        return body;
    }

    /**
     * Returns true if the engine produced this message (a report: check {@link BinaryHeader#status()}).
     *
     * @return true if the origin is ENGINE
     */
    public boolean isFromEngine() {
        checkOwned();
        return header.origin() == Origin.ENGINE;
    }

    /**
     * Returns true if an application produced this message (this process's or a peer's).
     *
     * @return true if the origin is APPLICATION
     */
    public boolean isFromApplication() {
        checkOwned();
        return header.origin() == Origin.APPLICATION;
    }

    /**
     * Returns the {@code more} flag of the binary header.
     *
     * @return the {@code more} flag
     */
    public boolean hasMore() {
        checkOwned();
        return header.more();
    }

    /**
     * Returns the message to the fresh state: REQUEST, channel 0, id 0, origin APPLICATION, more off, SUCCESS, no text
     * headers, empty body. Buffers keep their capacity.
     *
     * @return this message
     */
    public Message reset() {
        checkOwned();
        resetUnchecked();
        return this;
    }

    /**
     * Returns a deep copy owned by nobody (the caller may use, post or put it).
     *
     * @return the copy
     */
    public Message copy() {
        checkOwned();
        Message m = new Message(0);
        m.header.copyFrom(header);
        m.textHeaders.bytes.copyFrom(textHeaders.bytes);
        m.body.bytes.copyFrom(body.bytes);
        return m;
    }

    void resetUnchecked() {
        received = false;
        header.reset();
        textHeaders.bytes.reset();
        body.bytes.reset();
    }

    private void checkOwned() {
        if (posted) {
            throw new IllegalStateException("message is owned by the engine: it was posted and not handed back");
        }
    }

    @Override
    public String toString() {
        if (posted) {
            return "Message[posted]";
        }
        return "Message[" + header + ", headers=" + textHeaders.length() + "B, body=" + body.length() + "B]";
    }
}
