package tofu;

/**
 * A group of channels with one receive queue: the application {@link #post(Message) posts} messages into it from any
 * thread and {@link #waitReceive(long) waits} for messages from one thread. Created by {@link Ampe#create()}.
 *
 * <p>Everything that arrives for the group's channels — peers' messages, engine reports, {@link #updateReceiver}
 * items — comes out of {@link #waitReceive(long)} in one FIFO order. Check the origin first: a message with
 * {@link Origin#ENGINE} is a report whose {@link BinaryHeader#status()} says what happened. Every channel the engine
 * tears down ends with exactly one SIGNAL with status CHANNEL_CLOSED, the last message for that channel; its
 * {@code ~reason} text header names why (CHANNEL_CLOSED after a bye or ByeSignal, PEER_DISCONNECTED, an I/O status,
 * INVALID_MESSAGE...), followed by a colon and words when a time limit ended the channel
 * ({@code PEER_DISCONNECTED: idle timeout: nothing received for 30 s}); messages such a limit returns carry the words
 * in a {@code ~reason} header of their own.
 *
 * <p><b>Put messages back promptly.</b> Received frames are read into the engine's pool messages. A receiver that
 * holds on to them empties the pool, and the engine then stops reading (backpressure, announced by a POOL_EMPTY
 * signal) until messages are {@link Ampe#put put} back: copy what must be kept, and return the message.
 *
 * <p><b>Threading.</b> {@code post}, {@code updateReceiver} and {@code close} are thread-safe and never block on the
 * network. {@code waitReceive} is for one thread at a time. No user code ever runs on the engine thread. Any of
 * them may run on virtual threads: {@code waitReceive} parks (it waits on no monitor), so a virtual thread blocked
 * there frees its carrier — one virtual thread per group receiver is a good fit.
 *
 * <pre>{@code
 * try (Reactor reactor = Reactor.create(); ChannelGroup group = reactor.ampe().create()) {
 *     Message hello = reactor.ampe().get(AllocationStrategy.ALWAYS);
 *     Address.parseClient("tcp|127.0.0.1|7099").format(hello);
 *     int channel = group.post(hello).channelNumber();
 *     Message reply = group.waitReceive(ChannelGroup.SEC_TIMEOUT);
 *     if (reply != null && reply.isFromEngine()) {
 *         System.out.println("failed: " + reply.bhdr().status());
 *     }
 *     reactor.ampe().put(reply);
 * }
 * }</pre>
 *
 * <p>{@link Channels} does the opening exchanges (WelcomeRequest/WelcomeResponse, HelloRequest/HelloResponse) in one
 * blocking call, for start-up on a quiet group.
 * @since 0.1.0
 */
public interface ChannelGroup extends AutoCloseable {
    /** Wait forever, in {@link #waitReceive(long)}. */
    long INFINITE_TIMEOUT = Long.MAX_VALUE;
    /** One second in nanoseconds. */
    long SEC_TIMEOUT = 1_000_000_000L;

    /**
     * Hands a message to the engine and returns at once; nothing has been sent yet. On success the engine owns the
     * message. The checks of the contract run synchronously, in order, and on failure throw with the message left
     * with the caller, unchanged: NULL_MESSAGE, SHUTDOWN_STARTED, INVALID_OP_CODE (WELCOME_RESPONSE),
     * INVALID_MESSAGE_ID (a response with id 0), INVALID_MORE_USAGE, INVALID_CHANNEL_NUMBER, INVALID_HEADERS_LEN /
     * INVALID_BODY_LEN, WRONG_ADDRESS / INVALID_ADDRESS, INVALID_CHANNEL_NUMBER / INVALID_MCHN_GROUP / NOT_ALLOWED,
     * INVALID_CHANNEL_NUMBER (all numbers in use).
     *
     * <p>What comes back of a message — a report, or the message itself returned unsent — is matched to this post by
     * the message id in the returned snapshot: a small data message (a frame of at most 1 KiB, not a received message
     * posted back as it is) is encoded here, on the calling thread, and its object goes back to the pool at once (the pool still counts it as in flight until its
     * frame is written), so if it must come back it is rebuilt, equal, possibly in another object.
     *
     * <p>The returned snapshot is the one allocation of a post (a small object, about 48 bytes). A sender that
     * counts bytes per message passes its own header to {@link #post(Message, BinaryHeader)} instead: with messages
     * taken from the pool and put back, the post itself then allocates nothing.
     *
     * @param msg the message to send
     * @return a new snapshot of the header as posted: the assigned channel number and message id
     * @throws AmpeException         with the status of the failed check
     * @throws IllegalStateException if the message is currently posted
     */
    BinaryHeader post(Message msg);

    /**
     * Same as {@link #post(Message)}, filling {@code into} with the header as posted instead of allocating one.
     *
     * @param msg the message to send
     * @param into the header to fill
     * @return {@code into}
     */
    BinaryHeader post(Message msg, BinaryHeader into);

    /**
     * Returns the next message for this group, waiting up to {@code timeoutNanos}; the caller owns it and should
     * {@link Ampe#put(Message) put} it back or post it again.
     *
     * @param timeoutNanos 0 polls, {@link #INFINITE_TIMEOUT} waits forever
     * @return the message, or null on timeout
     * @throws InterruptedException if the thread is interrupted while waiting; the group stays fully usable
     * @throws AmpeException        with SHUTDOWN_STARTED once the group is destroyed or the engine closed
     */
    Message waitReceive(long timeoutNanos) throws InterruptedException;

    /**
     * Adds an item to this group's receive queue, to wake or inform the receiving thread. With null, a SIGNAL with
     * origin ENGINE and status RECEIVER_UPDATE (channel 0, id 0) is queued; with a message, the message itself is
     * queued with origin APPLICATION and status RECEIVER_UPDATE, everything else untouched, and the group owns it.
     *
     * @param update the message to queue, or null for an engine signal
     * @throws AmpeException with SHUTDOWN_STARTED once the group is destroyed (the message stays with the caller)
     */
    void updateReceiver(Message update);

    /** Same as {@code ampe.destroy(this)}. */
    @Override
    void close();
}
