package tofu.hostile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;
import tofu.support.Peers;

/**
 * An application on one engine whose every message is accounted for in a {@link Ledger}: each of its groups is served
 * by a receiver thread that records deliveries, returns and CHANNEL_CLOSED signals, accepts HelloRequests and answers
 * ByeRequests (both tagged posts too), and — while told to starve — holds received messages instead of putting them
 * back, so the engine's pool runs dry. Posts are serialised per engine so the ledger's order is the posting order.
 */
final class LedgerApp implements AutoCloseable {
    final String name;
    final Reactor reactor;
    final Ampe ampe;
    final List<ChannelGroup> groups = new ArrayList<>();
    private final Ledger ledger;
    private final boolean clientSide;
    private final List<Thread> receivers = new ArrayList<>();
    private final List<Message> held = new ArrayList<>();
    private final Object postLock = new Object();
    private volatile boolean starving;

    LedgerApp(String name, Reactor reactor, Ledger ledger, boolean clientSide) {
        this.name = name;
        this.reactor = reactor;
        this.ampe = reactor.ampe();
        this.ledger = ledger;
        this.clientSide = clientSide;
    }

    /** True while at least one of its groups is alive. */
    boolean alive() {
        return !groups.stream().allMatch(ledger::isDestroyed);
    }

    /** Starts a receiver thread for {@code group}. */
    void serve(ChannelGroup group) {
        groups.add(group);
        Thread t = new Thread(() -> receive(group), name + "-receiver-" + groups.size());
        t.setDaemon(true);
        receivers.add(t);
        t.start();
    }

    boolean starving() {
        return starving;
    }

    /** Starts or ends holding received messages; ending puts every held message back. */
    void starve(boolean on) {
        starving = on;
        if (!on) {
            synchronized (held) {
                held.forEach(ampe::put);
                held.clear();
            }
        }
    }

    /** Connects {@code group} to {@code server} over a new link, with a tagged HelloRequest. */
    Ledger.Link connect(ChannelGroup group, ChannelGroup serverGroup, Address server) {
        Ledger.Link link = ledger.newLink(group, serverGroup);
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        server.format(hello);
        post(link, group, hello);
        return link;
    }

    /** Posts a tagged message of {@code op} (body {@code bodySize} bytes) on this side of {@code link}. */
    boolean post(Ledger.Link link, OpCode op, int bodySize, AllocationStrategy strategy) {
        ChannelGroup group = link.group(clientSide);
        int channel = link.channel(clientSide);
        if (channel == 0 || ledger.isDestroyed(group)) {
            return false;
        }
        Message m;
        try {
            m = ampe.get(strategy);
        } catch (AmpeException e) {
            if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                throw e;
            }
            return false; // killed between the check above and this get: refused like a post on a closed engine
        }
        if (m == null) {
            return false;
        }
        m.bhdr().opCode(op).channelNumber(channel);
        return post(link, group, m, bodySize);
    }

    private boolean post(Ledger.Link link, ChannelGroup group, Message m) {
        return post(link, group, m, 16 + (int) ((System.nanoTime() >>> 4) & 0xFFF));
    }

    /** Posts {@code m} tagged, in ledger order; a refused post leaves no trace in the ledger. */
    private boolean post(Ledger.Link link, ChannelGroup group, Message m, int bodySize) {
        synchronized (postLock) {
            Ledger.Post p = ledger.willPost(link, clientSide, group, m.bhdr().opCode());
            Tags.tag(m, p.tag(), bodySize);
            try {
                int channel = group.post(m).channelNumber();
                if (link != null && p.op() == OpCode.HELLO_REQUEST) {
                    link.clientChannel = channel;
                }
                return true;
            } catch (AmpeException e) {
                ledger.notPosted(p);
                ampe.put(m);
                return false;
            }
        }
    }

    private void receive(ChannelGroup group) {
        try {
            while (true) {
                handle(group, group.waitReceive(ChannelGroup.INFINITE_TIMEOUT));
            }
        } catch (AmpeException e) {
            if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                ledger.violation(name + " receiver: " + e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            ledger.violation(name + " receiver crashed: " + e);
        }
    }

    private void handle(ChannelGroup group, Message m) {
        long tag = Tags.of(m);
        int channel = m.bhdr().channelNumber();
        OpCode op = m.bhdr().opCode();
        if (m.isFromEngine()) {
            if (tag != Tags.NONE) {
                ledger.returned(tag, group, channel, m.bhdr().status());
            } else if (op == OpCode.SIGNAL && m.bhdr().status() == AmpeStatus.CHANNEL_CLOSED) {
                ledger.closedSignal(group, channel);
            } else if (op == OpCode.SIGNAL && m.bhdr().status() == AmpeStatus.POOL_EMPTY) {
                ledger.poolEmpty();
            } else {
                ledger.violation(name + ": unexpected engine report " + m);
            }
            ampe.put(m);
            return;
        }
        if (tag == Tags.NONE) {
            ledger.violation(name + ": untagged application message " + m);
            ampe.put(m);
            return;
        }
        ledger.delivered(tag, group, channel);
        Ledger.Link link = ledger.linkOf(tag);
        if (op == OpCode.HELLO_REQUEST && link != null) {
            link.serverChannel = channel;
            m.bhdr().opCode(OpCode.HELLO_RESPONSE);
            m.body().reset();
            post(link, group, m);
        } else if (op == OpCode.BYE_REQUEST && link != null) {
            m.bhdr().opCode(OpCode.BYE_RESPONSE);
            m.body().reset();
            post(link, group, m);
        } else if (starving) {
            synchronized (held) {
                held.add(m);
            }
        } else {
            ampe.put(m);
        }
    }

    /**
     * Posts, on each living group, a HelloRequest to a missing UDS path (under {@code dir}) and waits until it comes
     * back: the engine handles posts in order, so every earlier post has been handled and its report queued.
     */
    void fence(Path dir) {
        for (ChannelGroup g : groups) {
            if (ledger.isDestroyed(g)) {
                continue;
            }
            Message probe = ampe.get(AllocationStrategy.ALWAYS);
            Address.udsClient(dir.resolve("fence-" + System.nanoTime()).toString()).format(probe);
            long tag;
            synchronized (postLock) {
                Ledger.Post p = ledger.willPost(null, clientSide, g, OpCode.HELLO_REQUEST);
                tag = p.tag();
                g.post(Tags.tag(probe, tag, 16));
            }
            Await.until(name + " fence returned", () -> ledger.hasFate(tag), () -> "tag " + tag);
        }
    }

    /** Records the engine's groups as destroyed and closes the engine. */
    void kill() {
        groups.forEach(ledger::destroyed);
        reactor.close();
    }

    /** Closes the engine (without telling the ledger: the run is over) and joins the receivers. */
    @Override
    public void close() {
        reactor.close();
        for (Thread t : receivers) {
            try {
                t.join(TimeUnit.NANOSECONDS.toMillis(Peers.WAIT_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
