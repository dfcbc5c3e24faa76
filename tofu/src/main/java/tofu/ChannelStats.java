package tofu;

/**
 * Figures of one open channel, part of an {@link EngineStats} snapshot. Immutable and thread-safe.
 *
 * @param channelNumber  the channel's number in its engine
 * @param kind           what the channel is
 * @param address        the address it listens on or dialled ({@code tcp|…} / {@code uds|…}); for an accepted
 *                       connection, its listener's
 * @param messagesIn     frames received on it
 * @param messagesOut    frames fully written on it
 * @param bytesIn        wire bytes received
 * @param bytesOut       wire bytes written
 * @param sendQueueDepth messages posted to it and not yet fully written (including those held after a bye)
 * @since 0.1.0
 */
public record ChannelStats(int channelNumber, Kind kind, String address, long messagesIn, long messagesOut,
                           long bytesIn, long bytesOut, int sendQueueDepth) {
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
