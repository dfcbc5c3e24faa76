package tofu.examples;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 7 — heartbeats and dead peers.
 *
 * <p>Clients send a heartbeat SIGNAL every {@code interval}. The server's monitor notices a dead peer in two ways:
 * <ul>
 *   <li>the connection is gone: the engine delivers the channel's CHANNEL_CLOSED signal although no bye was
 *       exchanged (the peer's process or engine died; messages still queued to it come back with
 *       PEER_DISCONNECTED);</li>
 *   <li>the connection is still up but the peer went silent (hung, deadlocked, half-open network): no heartbeat for
 *       {@code missedLimit} intervals. The monitor then drops the channel with a BYE_SIGNAL.</li>
 * </ul>
 * The monitor waits with a timeout equal to the time left until the next deadline, so it needs no timer thread.
 */
public final class HeartbeatDeadPeer {
    /** HelloRequest header: the client's name, so the server can say who died. */
    static final String PEER = "Peer";
    /** Heartbeat SIGNAL header: a sequence number. */
    static final String HEARTBEAT = "Heartbeat";

    /** How a death was noticed. */
    public enum Cause {
        /** The channel closed without a bye: the peer's process or engine is gone. */
        CONNECTION_LOST,
        /** The connection was up but silent for too long: the monitor dropped it. */
        MISSED_HEARTBEATS
    }

    /**
     * One dead peer, as the server's monitor saw it.
     *
     * @param peer       the peer's name
     * @param cause      how the death was noticed
     * @param heartbeats heartbeats received from it
     * @param silentFor  time since its last sign of life when it was declared dead
     */
    public record Death(String peer, Cause cause, int heartbeats, Duration silentFor) {
    }

    /**
     * What happened.
     *
     * @param crashed            the death of the peer whose engine was closed abruptly
     * @param silent             the death of the peer that stopped sending heartbeats
     * @param silentPeerDropped  true if the silent peer saw its connection closed by the server
     */
    public record Result(Death crashed, Death silent, boolean silentPeerDropped) {
    }

    private HeartbeatDeadPeer() {
    }

    /** Runs the recipe with a heartbeat every 200 ms and death after 3 missed heartbeats. */
    public static void main(String[] args) throws Exception {
        Result result = run(Transport.listenAddressFrom(args.length > 0 ? args[0] : "tcp"), Duration.ofMillis(200),
                3, 5);
        Examples.log("main", "%s", result);
    }

    /**
     * Starts a monitoring server, then (1) a client that connects and crashes, (2) a client that sends
     * {@code heartbeats} heartbeats and then goes silent.
     */
    public static Result run(Address listenOn, Duration interval, int missedLimit, int heartbeats)
            throws InterruptedException {
        BlockingQueue<Death> deaths = new LinkedBlockingQueue<>();
        try (Reactor serverReactor = Reactor.create()) {
            Ampe serverAmpe = serverReactor.ampe();
            ChannelGroup serverGroup = serverAmpe.create();
            Address server = Channels.listen(serverAmpe, serverGroup, listenOn, Examples.WAIT).dialAddress();
            Monitor monitor = new Monitor(serverAmpe, serverGroup, interval.multipliedBy(missedLimit), deaths);
            Future<Void> monitoring = Examples.inThread("monitor", () -> monitor.watch(2));

            // (1) A peer whose engine is closed abruptly: no bye, its sockets just close.
            try (Reactor crasher = Reactor.create()) {
                ChannelGroup group = crasher.ampe().create();
                int channel = connect(crasher.ampe(), group, server, "crasher");
                group.post(heartbeat(crasher.ampe(), channel, 1));
                Examples.log("crasher", "connected; crashing now");
            } // close() here is the crash
            Death crashed = next(deaths);

            // (2) A peer that stays connected but stops sending heartbeats.
            boolean dropped;
            try (Reactor silentReactor = Reactor.create()) {
                Ampe ampe = silentReactor.ampe();
                ChannelGroup group = ampe.create();
                int channel = connect(ampe, group, server, "silent");
                for (int i = 1; i <= heartbeats; i++) {
                    group.post(heartbeat(ampe, channel, i));
                    TimeUnit.NANOSECONDS.sleep(interval.toNanos()); // the heartbeat period, not synchronisation
                }
                Examples.log("silent", "sent %d heartbeats; now hanging", heartbeats);
                // A hung process would do nothing at all; we only wait to see the server give up on us.
                Message m = Examples.receive(ampe, group);
                dropped = Examples.isChannelClosed(m) && m.bhdr().channelNumber() == channel;
                Examples.log("silent", "the server dropped the connection: %b", dropped);
                ampe.put(m);
            }
            Death silent = next(deaths);
            Examples.await(monitoring);
            return new Result(crashed, silent, dropped);
        }
    }

    private static int connect(Ampe ampe, ChannelGroup group, Address server, String name)
            throws InterruptedException {
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        hello.thdrs().append(PEER, name);
        server.format(hello); // HELLO_REQUEST; keeps the header
        Message accepted = Channels.connect(ampe, group, hello, Examples.WAIT);
        int channel = accepted.bhdr().channelNumber();
        ampe.put(accepted);
        return channel;
    }

    private static Message heartbeat(Ampe ampe, int channel, int sequence) {
        Message m = Examples.message(ampe, channel, OpCode.SIGNAL, "");
        m.thdrs().append(HEARTBEAT, Integer.toString(sequence));
        return m;
    }

    private static Death next(BlockingQueue<Death> deaths) throws InterruptedException {
        Death death = deaths.poll(Examples.WAIT_NANOS, TimeUnit.NANOSECONDS);
        if (death == null) {
            throw new IllegalStateException("no death detected in time");
        }
        Examples.log("monitor", "%s", death);
        return death;
    }

    /** The server's receiver loop, keeping a last-seen time per channel. Runs on one thread. */
    private static final class Monitor {
        /** What the monitor knows about one connection. */
        private static final class Peer {
            final String name;
            long lastSeen;
            int heartbeats;
            boolean dropped;

            Peer(String name, long lastSeen) {
                this.name = name;
                this.lastSeen = lastSeen;
            }
        }

        private final Ampe ampe;
        private final ChannelGroup group;
        private final long deadAfter;
        private final BlockingQueue<Death> deaths;
        private final Map<Integer, Peer> peers = new HashMap<>();

        Monitor(Ampe ampe, ChannelGroup group, Duration deadAfter, BlockingQueue<Death> deaths) {
            this.ampe = ampe;
            this.group = group;
            this.deadAfter = deadAfter.toNanos();
            this.deaths = deaths;
        }

        /** Watches until {@code expected} peers have died. */
        Void watch(int expected) throws InterruptedException {
            int dead = 0;
            while (dead < expected) {
                dead += dropSilentPeers();
                Message m = group.waitReceive(untilNextDeadline());
                if (m == null) {
                    continue; // a deadline passed: checked at the top of the loop
                }
                int channel = m.bhdr().channelNumber();
                if (m.isFromEngine()) {
                    // The CHANNEL_CLOSED signal is the last word on a channel. Without a bye before it, the peer
                    // vanished — unless we dropped it ourselves.
                    Peer peer = Examples.isChannelClosed(m) ? peers.remove(channel) : null;
                    if (peer != null && !peer.dropped) {
                        deaths.add(death(peer, Cause.CONNECTION_LOST));
                        dead++;
                    }
                    ampe.put(m);
                    continue;
                }
                switch (m.bhdr().opCode()) {
                    case HELLO_REQUEST -> {
                        peers.put(channel, new Peer(m.thdrs().get(PEER), System.nanoTime()));
                        Examples.accept(group, m);
                    }
                    case SIGNAL -> {
                        Peer peer = peers.get(channel);
                        if (peer != null && m.thdrs().get(HEARTBEAT) != null) {
                            peer.lastSeen = System.nanoTime(); // any message would do; heartbeats guarantee some
                            peer.heartbeats++;
                        }
                        ampe.put(m);
                    }
                    default -> ampe.put(m);
                }
            }
            return null;
        }

        /** Declares dead, and drops, every peer silent for too long; returns how many. */
        private int dropSilentPeers() {
            int dropped = 0;
            long now = System.nanoTime();
            for (Map.Entry<Integer, Peer> e : peers.entrySet()) {
                Peer peer = e.getValue();
                if (!peer.dropped && now - peer.lastSeen >= deadAfter) {
                    peer.dropped = true;
                    deaths.add(death(peer, Cause.MISSED_HEARTBEATS));
                    // BYE_SIGNAL aborts the channel at once; the peer sees its connection drop.
                    group.post(Examples.message(ampe, e.getKey(), OpCode.BYE_SIGNAL, ""));
                    dropped++;
                }
            }
            return dropped;
        }

        /** Time left until the earliest deadline, so the wait wakes exactly when a check is due. */
        private long untilNextDeadline() {
            long now = System.nanoTime();
            long wait = deadAfter;
            for (Peer peer : peers.values()) {
                if (!peer.dropped) {
                    wait = Math.min(wait, peer.lastSeen + deadAfter - now);
                }
            }
            return Math.max(wait, 0);
        }

        private static Death death(Peer peer, Cause cause) {
            return new Death(peer.name, cause, peer.heartbeats, Duration.ofNanos(System.nanoTime() - peer.lastSeen));
        }
    }
}
