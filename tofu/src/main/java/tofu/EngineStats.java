package tofu;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A consistent snapshot of one engine's figures, taken on the engine thread by {@link Reactor#stats()}. Totals cover
 * the engine's whole life, closed channels included; {@link #channels()} lists the channels open at that moment.
 * Immutable and thread-safe.
 *
 * @param uptime           time since the engine started
 * @param messagesIn       frames received from peers
 * @param messagesOut      frames fully written to peers
 * @param bytesIn          wire bytes of the frames received
 * @param bytesOut         wire bytes of the frames written
 * @param returnedByStatus application messages returned by the engine (origin ENGINE), by status; statuses never
 *                         used are absent
 * @param poolSize         idle messages in the pool now
 * @param poolMisses       times a message was asked of the pool while it was empty
 * @param groups           live channel groups
 * @param listeners        open listener channels
 * @param ioChannels       open IO channels (clients, and accepted connections that said hello)
 * @param pendingHandshakes accepted connections that have not sent their HelloRequest yet
 * @param channels         per-channel figures of the open channels, by channel number
 * @param limits           what the engine's limits did to peers: allocations beyond the pool, refused posts,
 *                         channels ended by the frame limit
 * @param admission        what happened to accepted connections before the application heard of them: TLS
 *                         handshakes done and failed, handshake limits hit, connections refused by
 *                         {@code Options.maxConnections}
 *
 * <p>Growth policy: a component added later comes with a constructor keeping the previous signature.
 * @since 0.1.0
 */
public record EngineStats(Duration uptime, long messagesIn, long messagesOut, long bytesIn, long bytesOut,
                          Map<AmpeStatus, Long> returnedByStatus, int poolSize, long poolMisses, int groups,
                          int listeners, int ioChannels, int pendingHandshakes, List<ChannelStats> channels,
                          LimitStats limits, AdmissionStats admission) {
    /**
     * A snapshot without limit figures (all zero): the signature before {@code limits}.
     *
     * @param uptime           time since the engine started
     * @param messagesIn       frames received from peers
     * @param messagesOut      frames fully written to peers
     * @param bytesIn          wire bytes of the frames received
     * @param bytesOut         wire bytes of the frames written
     * @param returnedByStatus application messages returned by the engine, by status
     * @param poolSize         idle messages in the pool now
     * @param poolMisses       times a message was asked of the pool while it was empty
     * @param groups           live channel groups
     * @param listeners        open listener channels
     * @param ioChannels       open IO channels
     * @param pendingHandshakes accepted connections that have not sent their HelloRequest yet
     * @param channels         per-channel figures of the open channels
     */
    public EngineStats(Duration uptime, long messagesIn, long messagesOut, long bytesIn, long bytesOut,
                       Map<AmpeStatus, Long> returnedByStatus, int poolSize, long poolMisses, int groups,
                       int listeners, int ioChannels, int pendingHandshakes, List<ChannelStats> channels) {
        this(uptime, messagesIn, messagesOut, bytesIn, bytesOut, returnedByStatus, poolSize, poolMisses, groups,
                listeners, ioChannels, pendingHandshakes, channels, new LimitStats(0, 0, 0, 0));
    }

    /**
     * A snapshot without admission figures (all zero): the signature before {@code admission}.
     *
     * @param uptime           time since the engine started
     * @param messagesIn       frames received from peers
     * @param messagesOut      frames fully written to peers
     * @param bytesIn          wire bytes of the frames received
     * @param bytesOut         wire bytes of the frames written
     * @param returnedByStatus application messages returned by the engine, by status
     * @param poolSize         idle messages in the pool now
     * @param poolMisses       times a message was asked of the pool while it was empty
     * @param groups           live channel groups
     * @param listeners        open listener channels
     * @param ioChannels       open IO channels
     * @param pendingHandshakes accepted connections that have not sent their HelloRequest yet
     * @param channels         per-channel figures of the open channels
     * @param limits           what the engine's limits did to peers
     */
    public EngineStats(Duration uptime, long messagesIn, long messagesOut, long bytesIn, long bytesOut,
                       Map<AmpeStatus, Long> returnedByStatus, int poolSize, long poolMisses, int groups,
                       int listeners, int ioChannels, int pendingHandshakes, List<ChannelStats> channels,
                       LimitStats limits) {
        this(uptime, messagesIn, messagesOut, bytesIn, bytesOut, returnedByStatus, poolSize, poolMisses, groups,
                listeners, ioChannels, pendingHandshakes, channels, limits, new AdmissionStats(0, 0, 0, 0, 0));
    }

    /**
     * What the engine's protective limits did since it started. Immutable.
     *
     * @param receiveAllocations messages allocated beyond the pool to keep a shared engine from deadlocking
     * @param engineAllocatedOut of those, how many have not come back to the pool yet (bounded by the pool maximum)
     * @param sendQueueRefusals  posts returned with SEND_FAILED because their channel's queue was full
     *                           ({@code Options.maxQueuedPerChannel})
     * @param frameTimeouts      channels ended because their peer left a frame unfinished
     *                           ({@code Options.frameTimeout})
     */
    public record LimitStats(long receiveAllocations, int engineAllocatedOut, long sendQueueRefusals,
                             long frameTimeouts) {
    }

    /**
     * What became of accepted connections before they said hello, since the engine started. None of these ever
     * reached the application. Immutable.
     *
     * @param acceptedOpen          accepted connections held now, announced or not (what
     *                              {@code Options.maxConnections} caps)
     * @param tlsHandshakes         TLS handshakes completed by this engine, as server and as client
     * @param tlsHandshakeFailures  accepted connections whose TLS handshake failed (not TLS, untrusted or missing
     *                              client certificate, no common protocol, the peer gave up)
     * @param handshakeTimeouts     accepted connections dropped because their TLS handshake and HelloRequest took
     *                              longer than {@code Options.handshakeTimeout}
     * @param connectionsRefused    connections closed at once because {@code Options.maxConnections} were held
     */
    public record AdmissionStats(int acceptedOpen, long tlsHandshakes, long tlsHandshakeFailures,
                                 long handshakeTimeouts, long connectionsRefused) {
    }

    /**
     * Copies the collections, so the snapshot stays immutable.
     *
     * @param uptime           time since the engine started
     * @param messagesIn       frames received from peers
     * @param messagesOut      frames fully written to peers
     * @param bytesIn          wire bytes of the frames received
     * @param bytesOut         wire bytes of the frames written
     * @param returnedByStatus application messages returned by the engine (origin ENGINE), by status; statuses never
     *                         used are absent
     * @param poolSize         idle messages in the pool now
     * @param poolMisses       times a message was asked of the pool while it was empty
     * @param groups           live channel groups
     * @param listeners        open listener channels
     * @param ioChannels       open IO channels (clients, and accepted connections that said hello)
     * @param pendingHandshakes accepted connections that have not sent their HelloRequest yet
     * @param channels         per-channel figures of the open channels, by channel number
     * @param limits           what the engine's limits did to peers
     * @param admission        what became of accepted connections before they said hello
     */
    public EngineStats {
        java.util.Objects.requireNonNull(limits, "limits");
        java.util.Objects.requireNonNull(admission, "admission");
        returnedByStatus = Map.copyOf(returnedByStatus);
        channels = List.copyOf(channels);
    }

    /**
     * Returns the number of messages returned by the engine with any status.
     *
     * @return the sum of {@link #returnedByStatus()}
     */
    public long returnedTotal() {
        return returnedByStatus.values().stream().mapToLong(Long::longValue).sum();
    }
}
