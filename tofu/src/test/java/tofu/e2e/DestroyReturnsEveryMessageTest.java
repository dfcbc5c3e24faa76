package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.ChannelStats;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.internal.EngineProbe;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Pair;
import tofu.support.Peers;
import tofu.support.Receiver;
import tofu.support.Transport;

/**
 * PROTOCOL.md §6.4 "destroy returns queued messages to the pool", taken literally: after {@code destroy} or
 * {@code Reactor.close()} returns, the pool holds every one of its messages, wherever the group held them — in the
 * receiver's batch (partly consumed), in the shared queue, held in a channel after a bye — whichever thread destroys
 * and whatever the receiver is doing. The pools here start full and cannot grow ({@code initial == max}), so
 * counting {@code get(POOL_ONLY)} until null gives exactly what came back.
 */
class DestroyReturnsEveryMessageTest extends EngineTest {
    private static final int POOL = 8;
    private static final Options SMALL_POOL = new Options(POOL, POOL);
    private static final int QUEUED = 7;

    private final ExecutorService helper = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-receiver"));

    @AfterEach
    void stopHelper() throws InterruptedException {
        helper.shutdownNow();
        assertThat(helper.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void destroyFromTheReceivingThreadWithAPartlyConsumedBatch(Transport transport) throws Exception {
        Pair p = connectToSmallPool(transport);
        Ampe ampe = p.server().ampe();
        ChannelGroup group = p.server().group();
        sendRequests(p, QUEUED);
        Message first = Peers.receive(group);  // takes the batch of 7: 6 stay in the receiver's own list
        Message second = Peers.receive(group);
        sendRequests(p, 1);                    // the pool's last message, queued behind the batch

        ampe.destroy(group);                   // the pattern: the same thread, right after its loop
        ampe.put(first);
        ampe.put(second);

        assertThat(countPool(ampe)).as("every pool message back after destroy").isEqualTo(POOL);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void destroyFromAnotherThreadWithAPartlyConsumedBatch(Transport transport) throws Exception {
        Pair p = connectToSmallPool(transport);
        Ampe ampe = p.server().ampe();
        ChannelGroup group = p.server().group();
        sendRequests(p, QUEUED);
        Future<?> receiver = helper.submit(() -> {
            ampe.put(Peers.receive(group));    // takes the batch, hands two back, keeps serving nothing more
            ampe.put(Peers.receive(group));
            return null;
        });
        receiver.get(20, TimeUnit.SECONDS);     // the receiver is done but its batch of 5 is still its own

        ampe.destroy(group);

        assertThat(countPool(ampe)).as("every pool message back after destroy").isEqualTo(POOL);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void destroyWhileAnotherThreadIsBlockedInWaitReceive(Transport transport) throws Exception {
        Pair p = connectToSmallPool(transport);
        Ampe ampe = p.server().ampe();
        ChannelGroup group = p.server().group();
        sendRequests(p, QUEUED);
        List<Message> held = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            held.add(Peers.receive(group));
        }
        // A bye goes out; the next three posts are held by the channel until its teardown (the peer never answers).
        held.get(0).bhdr().opCode(OpCode.BYE_REQUEST);
        group.post(held.get(0));
        for (int i = 1; i <= 3; i++) {
            held.get(i).bhdr().opCode(OpCode.REQUEST).messageId(0);
            group.post(held.get(i));
        }
        for (int i = 4; i < QUEUED; i++) {
            ampe.put(held.get(i));
        }
        p.client().ampe().put(Expect.application(p.client().group(), OpCode.BYE_REQUEST, p.client().channel()));
        awaitFigure("three posts held by the server's channel", () -> heldByChannel(p) == 3,
                () -> p.server().reactor().stats());
        Receiver blocked = Receiver.blockedOn(group);

        ampe.destroy(group);

        assertThat(blocked.outcome()).isInstanceOfSatisfying(AmpeException.class,
                e -> assertThat(e.status()).isEqualTo(AmpeStatus.SHUTDOWN_STARTED));
        assertThat(countPool(ampe)).as("every pool message back after destroy").isEqualTo(POOL);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void reactorCloseWithQueuedMessagesReturnsThemBeforeThePoolIsDropped(Transport transport) throws Exception {
        Pair p = connectToSmallPool(transport);
        Reactor server = p.server().reactor();
        ChannelGroup group = p.server().group();
        sendRequests(p, QUEUED);
        p.server().ampe().put(Peers.receive(group)); // 6 in the receiver's batch
        sendRequests(p, 1);                          // 1 in the shared queue

        server.close();

        assertThat(EngineProbe.idleAtStop(server)).as("idle pool messages when the engine stopped")
                .isEqualTo(POOL);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void destroyRightAfterPostsReturnsThemWhereverTheyAre(Transport transport) throws Exception {
        Pair p = connectToSmallPool(transport);
        Ampe ampe = p.server().ampe();
        for (int i = 0; i < POOL; i++) { // the whole pool posted: in the post queue, a send queue or written
            Message m = ampe.get(AllocationStrategy.POOL_ONLY);
            m.bhdr().opCode(OpCode.REQUEST).channelNumber(p.server().channel());
            p.server().group().post(m);
        }

        ampe.destroy(p.server().group()); // posts made before destroy are handled by it, not after it

        assertThat(countPool(ampe)).as("every posted message back after destroy").isEqualTo(POOL);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void reactorCloseRightAfterPostsReturnsThemBeforeThePoolIsDropped(Transport transport) throws Exception {
        Pair p = connectToSmallPool(transport);
        Reactor server = p.server().reactor();
        for (int i = 0; i < POOL; i++) {
            Message m = p.server().ampe().get(AllocationStrategy.POOL_ONLY);
            m.bhdr().opCode(OpCode.REQUEST).channelNumber(p.server().channel());
            p.server().group().post(m);
        }

        server.close();

        assertThat(EngineProbe.idleAtStop(server)).as("idle pool messages when the engine stopped")
                .isEqualTo(POOL);
    }

    @Test
    void destroyReturnsReceiverUpdatesOfAPartlyConsumedBatch() throws Exception {
        Ampe ampe = engines.start(SMALL_POOL).ampe();
        ChannelGroup group = ampe.create();
        for (int i = 0; i < QUEUED; i++) {
            group.updateReceiver(ampe.get(AllocationStrategy.POOL_ONLY));
        }
        Message first = Peers.receive(group);

        ampe.destroy(group);
        ampe.put(first);

        assertThat(countPool(ampe)).as("every pool message back after destroy").isEqualTo(POOL);
    }

    /**
     * The hand-off race itself: a receiver serving from its batch, a producer adding to it, and a destroy at a random
     * moment from a third thread — two hundred times. Each message ends either with the receiver (which puts it
     * back) or in the pool through the destroy: never lost, and never both (the pool would then hand it out twice).
     */
    @Test
    void destroyRacingABusyReceiverReturnsEveryMessageEveryTime() throws Exception {
        int pool = 64;
        Ampe ampe = engines.start(new Options(pool, pool)).ampe();
        Random random = new Random(18);
        for (int round = 0; round < 200; round++) {
            ChannelGroup group = ampe.create();
            Future<Integer> receiver = helper.submit(() -> {
                int served = 0;
                try {
                    while (true) {
                        Message m = group.waitReceive(ChannelGroup.INFINITE_TIMEOUT);
                        served++;
                        ampe.put(m);
                    }
                } catch (AmpeException destroyed) {
                    return served;
                }
            });
            int destroyAfter = random.nextInt(400);
            Thread destroyer = new Thread(() -> ampe.destroy(group), "test-destroyer");
            for (int i = 0; i < 400; i++) {
                if (i == destroyAfter) {
                    destroyer.start();
                }
                Message m = ampe.get(AllocationStrategy.POOL_ONLY);
                if (m == null) {
                    continue; // all 64 in flight: the receiver will put some back
                }
                try {
                    group.updateReceiver(m);
                } catch (AmpeException refused) {
                    ampe.put(m); // a refused update leaves the message with the caller
                }
            }
            if (destroyer.getState() == Thread.State.NEW) {
                destroyer.start();
            }
            destroyer.join(TimeUnit.SECONDS.toMillis(20));
            assertThat(destroyer.isAlive()).as("round %d: destroy returned", round).isFalse();
            receiver.get(20, TimeUnit.SECONDS);
            assertThat(countPool(ampe)).as("round %d: every pool message back", round).isEqualTo(pool);
        }
    }

    private Pair connectToSmallPool(Transport transport) throws InterruptedException {
        Pair p = Pair.connect(engines, transport, dir, Options.DEFAULT, SMALL_POOL);
        awaitFigure("the server's pool full again after the handshake",
                () -> p.server().reactor().stats().poolSize() == POOL, () -> p.server().reactor().stats());
        return p;
    }

    /** Sends {@code n} requests from the client and waits until the server engine has queued them for its group. */
    private static void sendRequests(Pair p, int n) {
        long before = p.server().reactor().stats().messagesIn();
        for (int i = 0; i < n; i++) {
            p.client().post(OpCode.REQUEST);
        }
        // The stats command runs after the loop round that read the frames, which hands them to the group at its end.
        awaitFigure(n + " requests queued on the server", () -> p.server().reactor().stats().messagesIn() == before + n,
                () -> p.server().reactor().stats());
    }

    private static int heldByChannel(Pair p) {
        for (ChannelStats c : p.server().reactor().stats().channels()) {
            if (c.channelNumber() == p.server().channel()) {
                return c.sendQueueDepth();
            }
        }
        return -1;
    }

    /** Takes every message the pool hands out, counts them (each once: none may be in the pool twice), puts back. */
    private static int countPool(Ampe ampe) {
        List<Message> taken = new ArrayList<>();
        for (Message m = ampe.get(AllocationStrategy.POOL_ONLY); m != null; m = ampe.get(AllocationStrategy.POOL_ONLY)) {
            taken.add(m);
        }
        Set<Message> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(taken);
        assertThat(distinct).as("distinct messages handed out by the pool").hasSameSizeAs(taken);
        taken.forEach(ampe::put);
        return taken.size();
    }

    /** Bounded wait for an engine figure (no event to wait on); fails with the last figures seen. */
    private static void awaitFigure(String what, BooleanSupplier condition, Supplier<?> observed) {
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("%s; last seen %s", what, observed.get()).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }
}
