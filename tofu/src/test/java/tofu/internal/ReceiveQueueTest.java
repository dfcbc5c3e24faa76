package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static tofu.AmpeFailures.assertFailsWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;

/**
 * A group's receive queue: FIFO, timed polls, close and interrupt behaviour of the one consumer, and the ownership
 * hand-off between the consumer's batch and a close on another thread (every message to exactly one side).
 */
class ReceiveQueueTest {
    private static final long WAIT_SECONDS = 20;

    /** Messages a close caught in the consumer's hands and the consumer gave back (the engine's pool, in use). */
    private final RecordingPool pool = new RecordingPool();
    private final ConcurrentLinkedQueue<Message> recycled = pool.recycled;
    private final ReceiveQueue queue = new ReceiveQueue(pool);
    private final AtomicReference<Thread> poller = new AtomicReference<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "receive-poller");
        poller.set(t);
        return t;
    });

    @AfterEach
    void stopPoller() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void messagesComeOutInOfferOrder() throws InterruptedException {
        List<Message> offered = PostQueueTest.messages(10);
        for (Message m : offered) {
            assertThat(queue.offer(m)).isTrue();
        }
        assertThat(queue.depth()).isEqualTo(10);
        for (Message m : offered) {
            assertThat(queue.poll(0)).isSameAs(m);
        }
        assertThat(queue.depth()).isZero();
    }

    @Test
    void anOfferedBatchComesOutInOrderBetweenTheMessagesOfferedAroundIt() throws InterruptedException {
        Message first = Message.create();
        queue.offer(first);
        List<Message> batch = PostQueueTest.messages(3);
        Message later = Message.create();
        assertThat(queue.offerBatch(batchOf(batch))).isTrue();
        queue.offer(later);
        assertThat(queue.depth()).isEqualTo(5);
        assertThat(queue.poll(0)).isSameAs(first);
        for (Message m : batch) {
            assertThat(queue.poll(0)).isSameAs(m);
        }
        assertThat(queue.poll(0)).isSameAs(later);
        assertThat(queue.poll(0)).isNull();
    }

    @Test
    void theEngineReclaimsItsLastBatchOnlyWhileItIsUntakenAndNewest() throws InterruptedException {
        List<Message> offered = PostQueueTest.messages(4);
        DeliveryBatch b = batchOf(offered.subList(0, 2));
        queue.offerBatch(b);
        assertThat(queue.reclaim(b)).as("untaken and newest").isTrue();
        assertThat(queue.depth()).as("reclaimed messages are no longer counted").isZero();
        b.add(offered.get(2));
        queue.offerBatch(b);
        queue.offer(offered.get(3));
        assertThat(queue.reclaim(b)).as("another push came after it").isFalse();
        assertThat(queue.poll(0)).isSameAs(offered.get(0)); // the consumer takes everything
        assertThat(queue.reclaim(b)).as("taken by the consumer").isFalse();
        for (Message m : offered.subList(1, 4)) {
            assertThat(queue.poll(0)).isSameAs(m);
        }
    }

    @Test
    void theConsumerGivesEmptiedEngineBatchesBackAsSpares() throws InterruptedException {
        DeliveryBatch b = batchOf(PostQueueTest.messages(2));
        queue.offerBatch(b);
        queue.offer(Message.create()); // a one-message batch of updateReceiver's: not an engine batch
        assertThat(queue.takeSpares()).isNull();
        assertThat(queue.poll(0)).isNotNull();
        DeliveryBatch spares = queue.takeSpares();
        assertThat(spares).as("only the engine's batch comes back, emptied").isSameAs(b);
        assertThat(spares.next).isNull();
        assertThat(spares.isEmpty()).isTrue();
        assertThat(queue.takeSpares()).isNull();
    }

    @Test
    void orderHoldsAcrossBatchesTakenWhileOthersArrive() throws InterruptedException {
        List<Message> offered = PostQueueTest.messages(9);
        queue.offer(offered.get(0));
        queue.offer(offered.get(1));
        assertThat(queue.poll(0)).isSameAs(offered.get(0)); // takes the batch [0, 1]
        for (int i = 2; i < 9; i++) {
            queue.offer(offered.get(i));
        }
        for (int i = 1; i < 9; i++) {
            assertThat(queue.poll(0)).as("message %d", i).isSameAs(offered.get(i));
        }
    }

    @Test
    void pollZeroOrNegativeReturnsAtOnce() throws InterruptedException {
        assertThat(queue.poll(0)).isNull();
        assertThat(queue.poll(-5)).isNull();
        Message m = Message.create();
        queue.offer(m);
        assertThat(queue.poll(0)).isSameAs(m);
    }

    @Test
    void pollTimesOutWithNull() throws InterruptedException {
        long timeout = TimeUnit.MILLISECONDS.toNanos(50);
        long start = System.nanoTime();
        assertThat(queue.poll(timeout)).isNull();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(timeout);
    }

    @Test
    void aBlockedPollerGetsTheNextOffer() throws Exception {
        Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitBlocked();
        Message m = Message.create();
        queue.offer(m);
        assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(m);
    }

    @Test
    void aTimedPollerGetsAnOfferBeforeItsTimeout() throws Exception {
        Future<Message> result = executor.submit(() -> queue.poll(TimeUnit.SECONDS.toNanos(WAIT_SECONDS)));
        awaitBlocked();
        Message m = Message.create();
        queue.offerBatch(batchOf(List.of(m)));
        assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(m);
    }

    @Test
    void closeHandsBackLeftoversAndRefusesEverythingAfterwards() throws InterruptedException {
        List<Message> offered = PostQueueTest.messages(3);
        offered.forEach(queue::offer);
        MessageList leftovers = new MessageList();
        queue.close(leftovers);
        assertThat(PostQueueTest.toList(leftovers)).containsExactlyElementsOf(offered);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.offer(Message.create())).isFalse();
        Message refused = Message.create();
        DeliveryBatch batch = batchOf(List.of(refused));
        assertThat(queue.offerBatch(batch)).isFalse();
        assertThat(batch.size()).as("a refused batch is left with the caller").isEqualTo(1);
        assertThat(batch.get(0)).isSameAs(refused);
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> queue.poll(0));
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> queue.poll(Long.MAX_VALUE));
    }

    @Test
    void closeWakesABlockedPollerWithShutdownStarted() throws Exception {
        Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitBlocked();
        MessageList leftovers = new MessageList();
        queue.close(leftovers);
        assertThat(leftovers.isEmpty()).isTrue();
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> unwrap(result));
    }

    @Test
    void closeWakesATimedPollerToo() throws Exception {
        Future<Message> result = executor.submit(() -> queue.poll(TimeUnit.SECONDS.toNanos(WAIT_SECONDS * 3)));
        awaitBlocked();
        long start = System.nanoTime();
        queue.close(new MessageList());
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> unwrap(result));
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(WAIT_SECONDS));
    }

    @Test
    void interruptingABlockedPollerThrowsAndTheQueueStaysUsable() throws Exception {
        Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitBlocked();
        poller.get().interrupt();
        assertThatCause(result).isInstanceOf(InterruptedException.class);
        assertThat(queue.isClosed()).isFalse();

        Message m = Message.create();
        assertThat(queue.offer(m)).isTrue();
        assertThat(queue.poll(0)).isSameAs(m);
        Future<Message> again = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitBlocked();
        Message n = Message.create();
        queue.offer(n);
        assertThat(again.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(n);
    }

    @Test
    void aPollerInterruptedBeforeItWouldBlockThrowsAndTheQueueStaysUsable() throws Exception {
        Future<Message> result = executor.submit(() -> {
            Thread.currentThread().interrupt();
            return queue.poll(Long.MAX_VALUE);
        });
        assertThatCause(result).isInstanceOf(InterruptedException.class);
        Message m = Message.create();
        queue.offer(m);
        assertThat(queue.poll(0)).isSameAs(m);
    }

    @Test
    void closeClaimsTheBatchTheConsumerIsServing() throws InterruptedException {
        List<Message> offered = PostQueueTest.messages(6);
        offered.subList(0, 4).forEach(queue::offer);
        assertThat(queue.poll(0)).isSameAs(offered.get(0)); // the consumer now holds [1, 2, 3] of its own
        assertThat(queue.poll(0)).isSameAs(offered.get(1));
        offered.subList(4, 6).forEach(queue::offer);        // and [4, 5] wait in the shared stack
        MessageList leftovers = new MessageList();
        queue.close(leftovers);
        assertThat(PostQueueTest.toList(leftovers)).as("the consumer's batch first, then the rest, in order")
                .containsExactlyElementsOf(offered.subList(2, 6));
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> queue.poll(0));
        assertThat(queue.awaitSettled()).isTrue();
        assertThat(recycled).isEmpty();
    }

    @Test
    void aCloseDuringATransferLeavesTheBatchToTheConsumerWhichGivesItBack() throws Exception {
        List<Message> offered = PostQueueTest.messages(3);
        offered.forEach(queue::offer);
        DeliveryBatch newest = queue.beginTransfer(); // the consumer holds the batches; no field reaches them
        MessageList leftovers = new MessageList();
        queue.close(leftovers);                 // never waits for the consumer
        assertThat(leftovers.isEmpty()).as("close cannot reach a batch in transfer").isTrue();
        Future<Boolean> settled = executor.submit(queue::awaitSettled);
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> queue.finishTransfer(newest));
        assertThat(recycled).as("the consumer gave its batch back").containsExactlyElementsOf(offered);
        assertThat(settled.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("the destroying thread saw it settle").isTrue();
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> queue.poll(0));
    }

    @Test
    void aClosedQueueRefusesTheNextTransferAndIsSettled() {
        queue.offer(Message.create());
        DeliveryBatch newest = queue.beginTransfer();
        assertThat(queue.finishTransfer(newest)).isNotNull(); // normal: one message served, nothing left
        queue.close(new MessageList());
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, queue::beginTransfer);
        assertThat(queue.awaitSettled()).isTrue();
    }

    @Test
    void closeFromAnotherThreadWhileTheConsumerServesGivesEveryMessageToExactlyOneSide() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            ReceiveQueue q = new ReceiveQueue(pool);
            recycled.clear();
            List<Message> offered = PostQueueTest.messages(1 + random.nextInt(200));
            int closeAfter = random.nextInt(offered.size() + 1);
            List<Message> received = new ArrayList<>();
            Future<?> consumer = executor.submit(() -> {
                try {
                    while (true) {
                        received.add(q.poll(Long.MAX_VALUE));
                    }
                } catch (AmpeException closed) {
                    return null; // SHUTDOWN_STARTED ends the consumer
                }
            });
            List<Message> refused = new ArrayList<>();
            MessageList leftovers = new MessageList();
            for (int i = 0; i < offered.size(); i++) {
                if (i == closeAfter) {
                    q.close(leftovers);
                }
                if (random.nextInt(4) == 0 && i + 1 < offered.size()) {
                    DeliveryBatch batch = batchOf(offered.subList(i, i + 2));
                    if (!q.offerBatch(batch)) {
                        refused.add(batch.get(0));
                        refused.add(batch.get(1));
                    }
                    i++;
                    continue;
                }
                if (!q.offer(offered.get(i))) {
                    refused.add(offered.get(i));
                }
            }
            q.close(leftovers);
            assertThat(q.awaitSettled()).as("round %d settled", round).isTrue();
            consumer.get(WAIT_SECONDS, TimeUnit.SECONDS); // happens-before: the consumer's list is ours now
            List<Message> all = new ArrayList<>(received);
            all.addAll(PostQueueTest.toList(leftovers));
            all.addAll(recycled);
            all.addAll(refused);
            Set<Message> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            distinct.addAll(all);
            assertThat(all).as("round %d: every message on exactly one side", round).hasSize(offered.size());
            assertThat(distinct).as("round %d: no message on two sides", round)
                    .containsExactlyInAnyOrderElementsOf(offered);
            assertThat(received).as("round %d: served in order", round)
                    .isEqualTo(inOfferOrder(offered, received));
        }
    }

    @Test
    void aBlockedPollerParksWithoutAMonitor() throws Exception {
        Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitBlocked();
        List<String> frames = new ArrayList<>();
        for (StackTraceElement e : poller.get().getStackTrace()) {
            frames.add(e.getClassName() + "." + e.getMethodName());
        }
        assertThat(frames).as("a virtual thread parked here must not pin its carrier")
                .contains("java.util.concurrent.locks.LockSupport.park")
                .noneMatch(f -> f.startsWith("java.lang.Object.wait"));
        queue.offer(Message.create());
        assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
    }

    // ---- frames delivered as bytes, decoded by the consumer ----

    /** A data frame of channel 9 with message id {@code id}, body {@code body}, as the peer sent it. */
    static java.nio.ByteBuffer frame(long id, String body) {
        Message m = Message.create();
        m.bhdr().opCode(tofu.OpCode.REQUEST).channelNumber(9).messageId(id);
        m.thdrs().append("k", "v" + id);
        m.body().append(body);
        return java.nio.ByteBuffer.wrap(tofu.WireFrames.encode(m));
    }

    /** Adds {@code frame} to {@code b} as bytes, for the receiver's channel 3. */
    static void addFrame(DeliveryBatch b, java.nio.ByteBuffer frame) {
        b.addEncoded(frame, 0, frame.capacity(), 3);
    }

    @Test
    void framesDeliveredAsBytesAreDecodedByTheConsumerInOrderAmongMessages() throws InterruptedException {
        Message before = Message.create();
        Message after = Message.create();
        DeliveryBatch engine = new DeliveryBatch();
        engine.add(before);
        addFrame(engine, frame(1, "one"));
        addFrame(engine, frame(2, "two"));
        engine.add(after);
        assertThat(queue.offerBatch(engine)).isTrue();
        assertThat(queue.poll(0)).isSameAs(before);
        Message one = queue.poll(0);
        assertThat(one.bhdr().messageId()).isEqualTo(1);
        assertThat(one.bhdr().channelNumber()).as("the receiver's number for the channel").isEqualTo(3);
        assertThat(one.thdrs().get("k")).isEqualTo("v1");
        assertThat(one.body().asString()).isEqualTo("one");
        assertThat(one.bhdr().origin()).isEqualTo(tofu.Origin.APPLICATION);
        assertThat(queue.poll(0).body().asString()).isEqualTo("two");
        assertThat(queue.poll(0)).isSameAs(after);
        assertThat(pool.decoded.get()).isEqualTo(2);
        assertThat(queue.poll(0)).isNull();
    }

    @Test
    void aReclaimedBatchKeepsItsFramesBehindTheNewOnes() throws InterruptedException {
        DeliveryBatch engine = new DeliveryBatch();
        addFrame(engine, frame(1, "one"));
        assertThat(queue.offerBatch(engine)).isTrue();
        assertThat(queue.reclaim(engine)).isTrue();
        DeliveryBatch more = new DeliveryBatch();
        addFrame(more, frame(2, "two"));
        more.add(Message.create());
        addFrame(more, frame(3, "three"));
        engine.moveFrom(more);
        assertThat(more.isEmpty()).isTrue();
        assertThat(queue.offerBatch(engine)).isTrue();
        assertThat(queue.poll(0).body().asString()).isEqualTo("one");
        assertThat(queue.poll(0).body().asString()).isEqualTo("two");
        assertThat(queue.poll(0).bhdr().messageId()).as("the message between them").isZero();
        assertThat(queue.poll(0).body().asString()).isEqualTo("three");
    }

    @Test
    void closeDropsFramesDeliveredAsBytesAndEndsTheirLoans() throws InterruptedException {
        DeliveryBatch served = new DeliveryBatch();
        addFrame(served, frame(1, "one"));
        addFrame(served, frame(2, "two"));
        Message kept = Message.create();
        served.add(kept);
        queue.offerBatch(served);
        assertThat(queue.poll(0).body().asString()).isEqualTo("one"); // the consumer holds [frame 2, kept]
        DeliveryBatch pushed = new DeliveryBatch();
        addFrame(pushed, frame(3, "three"));
        queue.offerBatch(pushed);
        MessageList leftovers = new MessageList();
        queue.close(leftovers);
        assertThat(PostQueueTest.toList(leftovers)).as("messages only").containsExactly(kept);
        assertThat(pool.loansReleased.get()).as("frame 2 in the consumer's batch, frame 3 pushed").isEqualTo(2);
        assertThat(pool.decoded.get()).isEqualTo(1);
    }

    @Test
    void aCloseDuringATransferEndsTheLoansOfTheFramesTheConsumerHeld() throws Exception {
        DeliveryBatch engine = new DeliveryBatch();
        Message m = Message.create();
        engine.add(m);
        addFrame(engine, frame(1, "one"));
        queue.offerBatch(engine);
        DeliveryBatch newest = queue.beginTransfer();
        queue.close(new MessageList());
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> queue.finishTransfer(newest));
        assertThat(recycled).containsExactly(m);
        assertThat(pool.loansReleased.get()).isEqualTo(1);
        assertThat(pool.decoded.get()).isZero();
    }

    @Test
    void aDroppedEngineBatchCountsItsFrames() {
        DeliveryBatch b = new DeliveryBatch();
        Message m = Message.create();
        addFrame(b, frame(1, "one"));
        b.add(m);
        addFrame(b, frame(2, "two"));
        List<Message> handed = new ArrayList<>();
        assertThat(b.moveTo(handed::add)).isEqualTo(2);
        assertThat(handed).containsExactly(m);
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void aBurstGrowsAByteLogThatIsNotKeptOnceTrafficIsSmallAgain() {
        DeliveryBatch b = new DeliveryBatch();
        java.nio.ByteBuffer big = frame(1, "x".repeat(1000));
        int burst = 2 * DeliveryBatch.KEEP_LOG_BYTES / big.capacity();
        for (int i = 0; i < burst; i++) {
            addFrame(b, big);
        }
        byte[] grown = b.log();
        assertThat(grown.length).isGreaterThan(DeliveryBatch.KEEP_LOG_BYTES);
        b.clear();
        assertThat(b.log()).as("kept while the burst used it").isSameAs(grown);
        addFrame(b, big);
        b.clear();
        assertThat(b.log().length).as("dropped once mostly idle").isEqualTo(DeliveryBatch.KEEP_LOG_BYTES);
        byte[] steady = b.log();
        addFrame(b, big);
        b.clear();
        assertThat(b.log()).as("a log within the bound is kept: steady traffic allocates nothing").isSameAs(steady);
        byte[] busy = new byte[4 * DeliveryBatch.KEEP_LOG_BYTES];
        assertThat(DeliveryBatch.keptLog(busy, busy.length / 2)).as("a large log still in use is kept").isSameAs(busy);
    }

    @Test
    void theConsumersByteLogShrinksAfterABurstToo() throws InterruptedException {
        java.nio.ByteBuffer big = frame(1, "x".repeat(1000));
        DeliveryBatch burst = new DeliveryBatch();
        int n = 2 * DeliveryBatch.KEEP_LOG_BYTES / big.capacity();
        for (int i = 0; i < n; i++) {
            addFrame(burst, big);
        }
        queue.offerBatch(burst);
        for (int i = 0; i < n; i++) {
            assertThat(queue.poll(0).body().length()).isEqualTo(1000);
        }
        assertThat(queue.framesCapacity()).isGreaterThan(DeliveryBatch.KEEP_LOG_BYTES);
        DeliveryBatch small = new DeliveryBatch();
        addFrame(small, frame(2, "small"));
        queue.offerBatch(small);
        assertThat(queue.poll(0).body().asString()).as("decoded from the smaller log").isEqualTo("small");
        assertThat(queue.framesCapacity()).isEqualTo(DeliveryBatch.KEEP_LOG_BYTES);
        assertThat(pool.decoded.get()).isEqualTo(n + 1);
    }

    static DeliveryBatch batchOf(List<Message> messages) {
        DeliveryBatch b = new DeliveryBatch();
        messages.forEach(b::add);
        return b;
    }

    /** The elements of {@code offered} that are in {@code subset}, in {@code offered}'s order. */
    static List<Message> inOfferOrder(List<Message> offered, List<Message> subset) {
        Set<Message> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        wanted.addAll(subset);
        List<Message> ordered = new ArrayList<>();
        for (Message m : offered) {
            if (wanted.contains(m)) {
                ordered.add(m);
            }
        }
        return ordered;
    }

    /** Waits (bounded) until the poller thread is parked inside poll. */
    private void awaitBlocked() {
        awaitPoller("blocked", t -> (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)
                && inQueue(t, "poll"));
    }

    /** Waits (bounded) until the poller thread is busy-waiting inside poll. */
    private void awaitSpinning() {
        awaitPoller("spinning", t -> inQueue(t, "spinUntilPushed"));
    }

    private void awaitPoller(String state, Predicate<Thread> reached) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            Thread t = poller.get();
            if (t != null && reached.test(t)) {
                return;
            }
            assertThat(System.nanoTime() - deadline).as("poller %s in time", state).isNegative();
            Thread.onSpinWait();
        }
    }

    /** True when {@code t} is inside ReceiveQueue's {@code method}, not merely idle in the executor. */
    private static boolean inQueue(Thread t, String method) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(ReceiveQueue.class.getName()) && e.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    private static Message unwrap(Future<Message> f) throws Exception {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AmpeException) {
                throw (AmpeException) e.getCause();
            }
            throw e;
        }
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertThatCause(Future<Message> f) {
        try {
            Message m = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + m);
        } catch (ExecutionException e) {
            return assertThat(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The busy-wait before parking ({@code Options.spinBeforePark}): a message that arrives during the spin is taken
     * without a park; the spin never outlasts the caller's timeout; interrupt and close end it; a spin that runs out
     * ends in the usual park.
     */
    @Nested
    class Spinning {
        /** Longer than any test: the spin only ends by what the test does. */
        private static final long LONG_SPIN = TimeUnit.SECONDS.toNanos(60);

        @Test
        void aMessageOfferedDuringTheSpinIsTakenWithoutAPark() throws Exception {
            ReceiveQueue queue = new ReceiveQueue(new RecordingPool(), LONG_SPIN);
            Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
            awaitSpinning();
            Message m = Message.create();
            queue.offer(m);
            assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(m);
        }

        @Test
        void aTimedPollEndsAtItsTimeoutEvenWhenTheSpinIsLonger() throws InterruptedException {
            ReceiveQueue queue = new ReceiveQueue(new RecordingPool(), LONG_SPIN);
            long timeout = TimeUnit.MILLISECONDS.toNanos(50);
            long start = System.nanoTime();
            assertThat(queue.poll(timeout)).isNull();
            long took = System.nanoTime() - start;
            assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(TimeUnit.SECONDS.toNanos(WAIT_SECONDS));
        }

        @Test
        void aShortSpinEndsInAParkAndTheNextOfferWakesIt() throws Exception {
            ReceiveQueue queue = new ReceiveQueue(new RecordingPool(), TimeUnit.MICROSECONDS.toNanos(50));
            Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
            awaitBlocked();
            Message m = Message.create();
            queue.offer(m);
            assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(m);
        }

        @Test
        void interruptEndsTheSpinWithInterruptedException() throws Exception {
            ReceiveQueue queue = new ReceiveQueue(new RecordingPool(), LONG_SPIN);
            Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
            awaitSpinning();
            poller.get().interrupt();
            assertThatCause(result).isInstanceOf(InterruptedException.class);
            assertThat(queue.isClosed()).isFalse();
        }

        @Test
        void closeEndsTheSpinWithShutdownStarted() throws Exception {
            ReceiveQueue queue = new ReceiveQueue(new RecordingPool(), LONG_SPIN);
            Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
            awaitSpinning();
            queue.close(new MessageList());
            assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> unwrap(result));
        }
    }
}
