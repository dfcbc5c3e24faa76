package tofu.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;
import tofu.Reactor;
import tofu.support.Listener;
import tofu.support.Peers;

/**
 * A well-behaved server application on its own thread: it accepts every HelloRequest, answers every REQUEST with a
 * RESPONSE carrying the same body, and records everything its group receives, so a test can prove what the
 * application did — and did not — hear. Stops when its group is destroyed or its engine closed.
 */
final class ServerApp implements AutoCloseable {
    /** One received message, as the application saw it; {@code reason} is its {@code ~reason} header, or null. */
    record Heard(int channel, OpCode op, Origin origin, AmpeStatus status, long messageId, long tag, String who,
                 String reason) {
        boolean closedSignal() {
            return origin == Origin.ENGINE && op == OpCode.SIGNAL && status == AmpeStatus.CHANNEL_CLOSED;
        }

        boolean poolEmpty() {
            return origin == Origin.ENGINE && op == OpCode.SIGNAL && status == AmpeStatus.POOL_EMPTY;
        }
    }

    /** Header a test puts on its HelloRequests to say who is calling. */
    static final String WHO = "who";
    /** Header the engine puts on a CHANNEL_CLOSED signal to say why the channel ended. */
    static final String REASON = "~reason";

    final Reactor reactor;
    final Ampe ampe;
    final ChannelGroup group;
    /** The address clients dial (the actual bound one). */
    final Address address;
    /** The listener: its channel number and WelcomeRequest id. */
    final Listener listener;
    private final List<Heard> heard = new ArrayList<>();
    private final Thread thread;
    private volatile Throwable failure;

    private ServerApp(Reactor reactor, ChannelGroup group, Listener listener) {
        this.reactor = reactor;
        this.ampe = reactor.ampe();
        this.group = group;
        this.listener = listener;
        this.address = listener.dial();
        this.thread = new Thread(this::run, "server-app");
        thread.setDaemon(true);
    }

    /** Creates a group on {@code reactor}, listens on {@code listenOn} and starts serving. */
    static ServerApp start(Reactor reactor, Address listenOn) throws InterruptedException {
        ChannelGroup group = reactor.ampe().create();
        ServerApp app = new ServerApp(reactor, group, Listener.open(reactor.ampe(), group, listenOn));
        app.thread.start();
        return app;
    }

    private void run() {
        try {
            while (true) {
                Message m = group.waitReceive(ChannelGroup.INFINITE_TIMEOUT);
                record(m);
                if (m.isFromApplication() && m.bhdr().opCode() == OpCode.HELLO_REQUEST) {
                    m.bhdr().opCode(OpCode.HELLO_RESPONSE);
                    m.body().reset();
                    postOrPut(m);
                } else if (m.isFromApplication() && m.bhdr().opCode() == OpCode.REQUEST) {
                    m.bhdr().opCode(OpCode.RESPONSE);
                    postOrPut(m);
                } else {
                    ampe.put(m);
                }
            }
        } catch (AmpeException e) {
            if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                failure = e;
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void postOrPut(Message m) {
        try {
            group.post(m);
        } catch (AmpeException e) {
            ampe.put(m);
        }
    }

    private void record(Message m) {
        String who = m.thdrs().get(WHO);
        Heard h = new Heard(m.bhdr().channelNumber(), m.bhdr().opCode(), m.bhdr().origin(), m.bhdr().status(),
                m.bhdr().messageId(), Tags.of(m), who, m.thdrs().get(REASON));
        synchronized (heard) {
            heard.add(h);
            heard.notifyAll();
        }
    }

    /** Everything heard so far, in order. */
    List<Heard> heard() {
        synchronized (heard) {
            return new ArrayList<>(heard);
        }
    }

    /** Waits (bounded) for a heard message matching {@code p}; returns it, or null after {@code nanos}. */
    Heard await(Predicate<Heard> p, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (heard) {
            while (true) {
                for (Heard h : heard) {
                    if (p.test(h)) {
                        return h;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(heard, left);
            }
        }
    }

    /** The first HelloRequest heard from {@code who}, waiting for it (bounded); fails the test if none arrives. */
    Heard helloFrom(String who) throws InterruptedException {
        Heard h = await(x -> x.op() == OpCode.HELLO_REQUEST && who.equals(x.who()), Peers.WAIT_NANOS);
        if (h == null) {
            throw new AssertionError("no HelloRequest from " + who + " within the bound");
        }
        return h;
    }

    /** A message for {@code channel} to post from the server side. */
    Message message(int channel, OpCode op) {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(op).channelNumber(channel);
        return m;
    }

    /** The failure of the serving thread, if any. */
    Throwable failure() {
        return failure;
    }

    /** Destroys the group; the serving thread ends. */
    @Override
    public void close() {
        ampe.destroy(group);
        try {
            thread.join(TimeUnit.NANOSECONDS.toMillis(Peers.WAIT_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
