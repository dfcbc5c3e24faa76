package tofu;

/**
 * Figures of one open channel, part of an {@link EngineStats} snapshot. Immutable and thread-safe.
 *
 * @param channelNumber  the channel's number in its engine
 * @param kind           what the channel is
 * @param address        the address it listens on or dialled ({@code tcp|…} / {@code uds|…}); for an accepted
 *                       connection, its listener's
 * @param messagesIn     frames received on it
 * @param messagesOut    frames written on it (each whole frame handed to the socket or to the engine's write buffer)
 * @param bytesIn        wire bytes received
 * @param bytesOut       wire bytes written
 * @param sendQueueDepth messages posted to it and not yet written (including those held after a bye)
 * @param readState      whether the engine reads the channel now, and if not, why
 *
 * <p>Growth policy: a component added later comes with a constructor keeping the previous signature, so code that
 * builds snapshots (test doubles, exporters) keeps compiling.
 * @since 0.1.0
 */
public record ChannelStats(int channelNumber, Kind kind, String address, long messagesIn, long messagesOut,
                           long bytesIn, long bytesOut, int sendQueueDepth, ReadState readState) {
    /**
     * Figures of a channel that is being read ({@link ReadState#READING}): the signature before {@code readState}.
     *
     * @param channelNumber  the channel's number in its engine
     * @param kind           what the channel is
     * @param address        the address it listens on or dialled
     * @param messagesIn     frames received on it
     * @param messagesOut    frames written on it (each whole frame handed to the socket or to the engine's write
     *                       buffer)
     * @param bytesIn        wire bytes received
     * @param bytesOut       wire bytes written
     * @param sendQueueDepth messages posted to it and not yet written
     */
    public ChannelStats(int channelNumber, Kind kind, String address, long messagesIn, long messagesOut,
                        long bytesIn, long bytesOut, int sendQueueDepth) {
        this(channelNumber, kind, address, messagesIn, messagesOut, bytesIn, bytesOut, sendQueueDepth,
                ReadState.READING);
    }

    /** Whether the engine reads a channel now. */
    public enum ReadState {
        /** Read whenever its peer sends (listeners too: they accept whenever a peer connects). */
        READING,
        /** Not read until the pool gets messages back: the application holds them (POOL_EMPTY). */
        STARVING,
        /** An accepted channel whose peer does not read what it is sent: not read until its socket drains. */
        PAUSED
    }

    /** What a channel is. */
    public enum Kind {
        /** Opened by a WelcomeRequest. */
        LISTENER,
        /** Opened by a HelloRequest. */
        CLIENT,
        /** Accepted by a listener, after its HelloRequest arrived. */
        ACCEPTED
    }
}
