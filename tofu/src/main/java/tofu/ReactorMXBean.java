package tofu;

import java.util.List;
import java.util.Map;

/**
 * One engine's figures ({@link Reactor#stats()}) as a JMX MXBean, for JConsole, VisualVM, Java Mission Control or a
 * JMX exporter. Registered only on request, by {@link ReactorJmx#register(Reactor)}, under the object name
 * {@code dev.tofu:type=Reactor,name=<name>}.
 *
 * <p>Every attribute read takes a fresh snapshot on the engine thread, so two attributes read one after the other may
 * come from two moments. Once the engine is closed, {@link #isRunning()} is false and the other attributes keep the
 * last figures read (zeros if none was). Thread-safe.
 *
 * @since 0.1.0
 */
public interface ReactorMXBean {
    /**
     * Returns whether the engine is running.
     *
     * @return false once the engine is closed
     */
    boolean isRunning();

    /**
     * Returns the time since the engine started.
     *
     * @return milliseconds
     */
    long getUptimeMillis();

    /**
     * Returns the frames received from peers.
     *
     * @return the count since the engine started
     */
    long getMessagesIn();

    /**
     * Returns the frames fully written to peers.
     *
     * @return the count since the engine started
     */
    long getMessagesOut();

    /**
     * Returns the wire bytes of the frames received.
     *
     * @return bytes since the engine started
     */
    long getBytesIn();

    /**
     * Returns the wire bytes of the frames written.
     *
     * @return bytes since the engine started
     */
    long getBytesOut();

    /**
     * Returns the application messages the engine handed back unsent, with any status.
     *
     * @return the count since the engine started
     */
    long getReturnedTotal();

    /**
     * Returns the application messages the engine handed back unsent, by status name; statuses never used are absent.
     *
     * @return counts by {@link AmpeStatus} name
     */
    Map<String, Long> getReturnedByStatus();

    /**
     * Returns the idle messages in the pool.
     *
     * @return the pool's size now
     */
    int getPoolSize();

    /**
     * Returns how often a message was asked of the pool while it was empty.
     *
     * @return the count since the engine started
     */
    long getPoolMisses();

    /**
     * Returns the live channel groups.
     *
     * @return the number of groups
     */
    int getGroups();

    /**
     * Returns the open listener channels.
     *
     * @return the number of listeners
     */
    int getListeners();

    /**
     * Returns the open IO channels: clients, and accepted connections that said hello.
     *
     * @return the number of IO channels
     */
    int getIoChannels();

    /**
     * Returns the accepted connections that have not sent their HelloRequest yet.
     *
     * @return the number of pending handshakes
     */
    int getPendingHandshakes();

    /**
     * Returns the messages allocated beyond the pool to keep a shared engine from deadlocking.
     *
     * @return the count since the engine started
     */
    long getReceiveAllocations();

    /**
     * Returns the messages allocated beyond the pool that have not come back to it yet.
     *
     * @return messages, at most the pool's maximum
     */
    int getEngineAllocatedOut();

    /**
     * Returns the posts returned with SEND_FAILED because their channel's queue was full
     * ({@link Options#maxQueuedPerChannel()}).
     *
     * @return the count since the engine started
     */
    long getSendQueueRefusals();

    /**
     * Returns the channels ended because their peer left a frame unfinished ({@link Options#frameTimeout()}).
     *
     * @return the count since the engine started
     */
    long getFrameTimeouts();

    /**
     * Returns the figures of every open channel, by channel number.
     *
     * @return one entry per open channel
     */
    List<ChannelInfo> getChannels();

    /**
     * Figures of one open channel, as {@link ChannelStats} has them; a composite value in JMX clients.
     *
     * @since 0.1.0
     */
    interface ChannelInfo {
        /**
         * Returns the channel's number in its engine.
         *
         * @return 1..65534
         */
        int getChannelNumber();

        /**
         * Returns what the channel is.
         *
         * @return {@code LISTENER}, {@code CLIENT} or {@code ACCEPTED}
         */
        String getKind();

        /**
         * Returns the address the channel listens on or dialled; for an accepted connection, its listener's.
         *
         * @return {@code tcp|…} or {@code uds|…}
         */
        String getAddress();

        /**
         * Returns the frames received on the channel.
         *
         * @return the count
         */
        long getMessagesIn();

        /**
         * Returns the frames fully written on the channel.
         *
         * @return the count
         */
        long getMessagesOut();

        /**
         * Returns the wire bytes received on the channel.
         *
         * @return bytes
         */
        long getBytesIn();

        /**
         * Returns the wire bytes written on the channel.
         *
         * @return bytes
         */
        long getBytesOut();

        /**
         * Returns the messages posted to the channel and not yet fully written.
         *
         * @return the queue's depth
         */
        int getSendQueueDepth();

        /**
         * Returns whether the engine reads the channel now, and if not, why.
         *
         * @return {@code READING}, {@code STARVING} or {@code PAUSED} ({@link ChannelStats.ReadState})
         */
        String getReadState();
    }
}
