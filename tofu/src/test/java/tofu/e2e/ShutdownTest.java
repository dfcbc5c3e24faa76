package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Endpoints;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Flood;
import tofu.support.Listener;
import tofu.support.MessageSnapshot;
import tofu.support.Pair;
import tofu.support.Peers;
import tofu.support.ReactorThreads;
import tofu.support.Receiver;
import tofu.support.Rejections;
import tofu.support.Transport;

/** PROTOCOL.md §6.4: destroying groups and closing engines — synchronous, bounded, idempotent, and waking receivers. */
class ShutdownTest extends EngineTest {
    /** The contract's bound for Reactor.close(): "a few seconds at most". */
    private static final long CLOSE_BOUND_NANOS = TimeUnit.SECONDS.toNanos(5);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void destroyWakesTheReceiverAndClosesTheGroupsChannels(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        ChannelGroup group = p.server().group();
        Receiver receiver = Receiver.blockedOn(group);
        ChannelGroup idle = p.server().ampe().create();
        idle.updateReceiver(null);

        p.server().ampe().destroy(group);
        p.server().ampe().destroy(idle);

        assertShutdown(receiver.outcome());
        Endpoints.assertClosed(p.listener().bound());
        Expect.closedSignal(p.client().group(), p.client().channel(), p.helloId());
        assertGroupIsGone(p.server().ampe(), group);
        assertGroupIsGone(p.server().ampe(), idle); // its queued item is not handed out any more
        // Destroying again, either way, is a no-op.
        p.server().ampe().destroy(group);
        group.close();
        // The engine itself goes on.
        ChannelGroup fresh = p.server().ampe().create();
        Listener listener = Listener.open(p.server().ampe(), fresh, transport.listenAddress(dir));
        Peers.link(p.client().ampe(), p.client().group(), fresh, listener.dial());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closeWakesTheReceiverWithinTheBound(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Receiver receiver = Receiver.blockedOn(p.server().group());

        long t0 = System.nanoTime();
        p.server().reactor().close();
        long took = System.nanoTime() - t0;

        assertThat(took).as("close() took %d ms", TimeUnit.NANOSECONDS.toMillis(took)).isLessThan(CLOSE_BOUND_NANOS);
        assertShutdown(receiver.outcome());
        Endpoints.assertClosed(p.listener().bound());
        Expect.closedSignal(p.client().group(), p.client().channel(), p.helloId());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingASenderWithAFullSendQueueIsBounded(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir, Options.DEFAULT, Flood.TINY_POOL);
        Flood.send(p.client());
        Flood.holdUntilPoolEmpty(p.server());

        long t0 = System.nanoTime();
        p.client().reactor().close();
        long took = System.nanoTime() - t0;

        assertThat(took).as("close() took %d ms", TimeUnit.NANOSECONDS.toMillis(took)).isLessThan(CLOSE_BOUND_NANOS);
        assertShutdownThrown(() -> p.client().group().waitReceive(0));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void destroyingAGroupWithChannelsStillOpeningLeavesTheEngineHealthy(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Ampe ampe = p.client().ampe();
        ChannelGroup doomed = ampe.create();
        // Channels in every early state: resolving a name, connecting, and a listener about to bind.
        Address pending = Endpoints.missingTarget(transport, dir);
        for (int i = 0; i < 20; i++) {
            Message hello = ampe.get(AllocationStrategy.ALWAYS);
            (i % 2 == 0 ? pending : p.listener().dial()).format(hello);
            int channel = doomed.post(hello).channelNumber();
            doomed.post(Peers.message(ampe, channel, OpCode.REQUEST, "queued"));
        }
        Message welcome = ampe.get(AllocationStrategy.ALWAYS);
        transport.listenAddress(dir).format(welcome);
        doomed.post(welcome);

        ampe.destroy(doomed);

        assertGroupIsGone(ampe, doomed);
        // The accepted side of the connections that did open hears their hellos and their end, or nothing at all;
        // the established link is unaffected.
        p.client().post(OpCode.SIGNAL);
        while (true) {
            Message m = Expect.next(p.server().group());
            if (m.bhdr().channelNumber() == p.server().channel()) {
                assertThat(m.bhdr().opCode()).isEqualTo(OpCode.SIGNAL);
                break;
            }
            p.server().ampe().put(m); // these are pool messages: keep the server engine reading
        }
        // The engine that destroyed the group goes on listening and dialling.
        ChannelGroup fresh = ampe.create();
        Listener again = Listener.open(ampe, fresh, transport.listenAddress(dir));
        Peers.link(ampe, ampe.create(), fresh, again.dial());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closeIsIdempotentFromManyThreads(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Reactor reactor = p.server().reactor();
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> closers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    reactor.close();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "test-closer-" + i);
            t.start();
            closers.add(t);
        }

        go.countDown();
        for (Thread t : closers) {
            t.join(TimeUnit.NANOSECONDS.toMillis(2 * CLOSE_BOUND_NANOS));
            assertThat(t.isAlive()).as("%s returned", t.getName()).isFalse();
        }

        assertThat(failure.get()).isNull();
        assertThatCode(reactor::close).doesNotThrowAnyException();
        assertShutdownThrown(() -> reactor.ampe().create());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void afterCloseTheEngineRefusesEverythingButPut(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        engines.keepsMessages(p.server().reactor(), "holds two of its messages across close(), to put and post them");
        Ampe ampe = p.server().ampe();
        ChannelGroup group = p.server().group();
        Message spare = ampe.get(AllocationStrategy.ALWAYS);
        Message data = p.server().message(OpCode.REQUEST);
        data.body().append("late");
        group.updateReceiver(null); // queued, never handed out after the close

        p.server().reactor().close();

        assertShutdownThrown(ampe::create);
        assertShutdownThrown(() -> ampe.get(AllocationStrategy.POOL_ONLY));
        assertShutdownThrown(() -> ampe.get(AllocationStrategy.ALWAYS));
        assertThatCode(() -> ampe.put(spare)).as("put after close drops silently").doesNotThrowAnyException();
        assertThatCode(() -> ampe.put(null)).doesNotThrowAnyException();
        assertGroupIsGone(ampe, group);
        Rejections.assertRejected(group, data, AmpeStatus.SHUTDOWN_STARTED);
        assertThatCode(() -> ampe.destroy(group)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void engineThreadLivesExactlyAsLongAsItsEngine(Transport transport) throws Exception {
        Set<Thread> before = ReactorThreads.all();
        ReactorThreads.Started server = ReactorThreads.start(engines::start);
        ReactorThreads.Started client = ReactorThreads.start(engines::start);
        assertThat(server.thread().getName()).isNotEqualTo(client.thread().getName());
        Pair p = Pair.connect(client.reactor(), server.reactor(), transport, dir);
        p.client().post(OpCode.SIGNAL);
        p.server().ampe().put(Expect.application(p.server().group(), OpCode.SIGNAL, p.server().channel()));
        assertThat(server.thread().isAlive()).isTrue();

        server.reactor().close();
        assertThat(server.thread().isAlive()).as("stopped when close() returned").isFalse();
        client.reactor().close();
        assertThat(client.thread().isAlive()).as("stopped when close() returned").isFalse();

        assertThat(ReactorThreads.all()).as("no engine thread leaked").isSubsetOf(before);
    }

    /** Every group operation of a destroyed group (or of a closed engine) throws SHUTDOWN_STARTED. */
    private static void assertGroupIsGone(Ampe ampe, ChannelGroup group) {
        assertShutdownThrown(() -> group.waitReceive(0));
        assertShutdownThrown(() -> group.waitReceive(ChannelGroup.SEC_TIMEOUT));
        assertShutdownThrown(() -> group.updateReceiver(null));
        Message update = Message.create();
        update.bhdr().opCode(OpCode.SIGNAL).channelNumber(3).messageId(4);
        update.body().append("u");
        MessageSnapshot before = MessageSnapshot.of(update);
        assertShutdownThrown(() -> group.updateReceiver(update));
        assertThat(MessageSnapshot.of(update)).as("a refused update is left unchanged").isEqualTo(before);
        Message hello = Message.create();
        Address.tcpClient("127.0.0.1", 1).format(hello);
        Rejections.assertRejected(group, hello, AmpeStatus.SHUTDOWN_STARTED);
    }

    private static void assertShutdown(Object outcome) {
        assertThat(outcome).isInstanceOf(AmpeException.class);
        assertThat(((AmpeException) outcome).status()).isEqualTo(AmpeStatus.SHUTDOWN_STARTED);
    }

    private static void assertShutdownThrown(ThrowingCallable call) {
        AmpeException e = catchThrowableOfType(AmpeException.class, call);
        assertThat(e).as("throws AmpeException(SHUTDOWN_STARTED)").isNotNull();
        assertThat(e.status()).isEqualTo(AmpeStatus.SHUTDOWN_STARTED);
    }
}
