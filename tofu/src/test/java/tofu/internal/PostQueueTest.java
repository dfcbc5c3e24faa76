package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tofu.Message;

/** The multi-producer hand-off of posted messages to the engine thread: FIFO, batch drain, targets, close. */
class PostQueueTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final PostTarget TARGET = new ChannelSlot(7, null, ChannelSlot.Kind.IO);

    private final PostQueue queue = new PostQueue();

    @Test
    void drainReturnsEverythingInPushOrderPastTheInitialCapacity() {
        int n = 3 * PostQueue.INITIAL_CAPACITY + 5; // the arrays grow twice
        List<Message> pushed = messages(n);
        assertThat(queue.isEmpty()).isTrue();
        for (Message m : pushed) {
            assertThat(queue.push(m, TARGET)).isTrue();
        }
        assertThat(queue.isEmpty()).isFalse();
        assertThat(drain()).containsExactlyElementsOf(pushed);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(drain()).isEmpty();
    }

    @Test
    void eachMessageComesOutWithTheTargetItWasPushedWith() {
        List<Message> pushed = messages(5);
        List<PostTarget> targets = new ArrayList<>();
        for (int i = 0; i < pushed.size(); i++) {
            PostTarget t = new ChannelSlot(i + 1, null, ChannelSlot.Kind.IO);
            targets.add(t);
            queue.push(pushed.get(i), t);
        }
        PostBatch batch = new PostBatch(1);
        queue.drainTo(batch);
        for (int i = 0; i < pushed.size(); i++) {
            assertThat(batch.next()).isTrue();
            assertThat(batch.polledMessage()).isSameAs(pushed.get(i));
            assertThat(batch.polledTarget()).isSameAs(targets.get(i));
            assertThat(batch.polledFrame()).as("a message, not an encoded frame").isZero();
        }
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.next()).isFalse();
        assertThat(batch.polledMessage()).isNull();
        assertThat(batch.polledTarget()).isNull();
    }

    @Test
    void theArraysChangeHandsSoBatchAfterBatchReusesThemWithoutHoldingMessages() {
        PostBatch batch = new PostBatch(PostQueue.INITIAL_CAPACITY);
        List<Message> a = messages(10);
        a.forEach(m -> queue.push(m, TARGET));
        queue.drainTo(batch);
        Message[] first = batch.messages();
        assertThat(toList(batch)).containsExactlyElementsOf(a);
        assertThat(first).as("polled slots are cleared").containsOnlyNulls();
        List<Message> b = messages(10);
        b.forEach(m -> queue.push(m, TARGET));
        queue.drainTo(batch);
        assertThat(batch.messages()).as("the queue's arrays came over").isNotSameAs(first);
        assertThat(toList(batch)).containsExactlyElementsOf(b);
        List<Message> c = messages(1);
        c.forEach(m -> queue.push(m, TARGET));
        queue.drainTo(batch);
        assertThat(batch.messages()).as("the first batch's arrays went back to the queue and return").isSameAs(first);
        assertThat(toList(batch)).containsExactlyElementsOf(c);
    }

    @Test
    void successiveBatchesKeepTheOrder() {
        List<Message> a = messages(3);
        List<Message> b = messages(4);
        a.forEach(m -> queue.push(m, TARGET));
        assertThat(drain()).containsExactlyElementsOf(a);
        b.forEach(m -> queue.push(m, TARGET));
        assertThat(drain()).containsExactlyElementsOf(b);
    }

    @Test
    void closeHandsBackWhatWasPushedAndRefusesLaterPushes() {
        List<Message> pushed = messages(5);
        pushed.forEach(m -> queue.push(m, TARGET));
        MessageList leftovers = new MessageList();
        queue.close(leftovers);
        assertThat(toList(leftovers)).containsExactlyElementsOf(pushed);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.push(Message.create(), TARGET)).isFalse();
        assertThat(drain()).isEmpty();
        MessageList again = new MessageList();
        queue.close(again);
        assertThat(again.isEmpty()).isTrue();
    }

    @Test
    void closeOfAnEmptyQueueHandsBackNothing() {
        MessageList leftovers = new MessageList();
        queue.close(leftovers);
        assertThat(leftovers.isEmpty()).isTrue();
        assertThat(queue.push(Message.create(), TARGET)).isFalse();
    }

    @Test
    void manyProducersLoseAndDuplicateNothingAndKeepEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 25_000;
        Map<Message, long[]> origin = new IdentityHashMap<>();
        List<List<Message>> batches = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            List<Message> batch = messages(perProducer);
            for (int i = 0; i < perProducer; i++) {
                origin.put(batch.get(i), new long[] {p, i});
            }
            batches.add(batch);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (List<Message> batch : batches) {
            Thread t = new Thread(() -> {
                awaitQuietly(start);
                for (Message m : batch) {
                    queue.push(m, TARGET);
                }
            }, "post-producer");
            threads.add(t);
            t.start();
        }
        start.countDown();

        // Plain counters in the hot loop: one assertion per message would dominate the run time.
        int[] nextSeq = new int[producers];
        Set<Message> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int duplicates = 0;
        int strangers = 0;
        int outOfOrder = 0;
        PostBatch into = new PostBatch(1);
        long deadline = System.nanoTime() + WAIT_NANOS;
        int total = producers * perProducer;
        while (seen.size() < total) {
            if (System.nanoTime() - deadline > 0) {
                fail("only %d of %d messages drained in time", seen.size(), total);
            }
            queue.drainTo(into);
            for (Message m = poll(into); m != null; m = poll(into)) {
                long[] o = origin.get(m);
                if (!seen.add(m)) {
                    duplicates++;
                } else if (o == null) {
                    strangers++;
                } else if (o[1] != nextSeq[(int) o[0]]++) {
                    outOfOrder++;
                }
            }
            Thread.onSpinWait();
        }
        assertThat(duplicates).as("duplicates").isZero();
        assertThat(strangers).as("messages nobody pushed").isZero();
        assertThat(outOfOrder).as("messages out of their producer's order").isZero();
        joinAll(threads);
        assertThat(drain()).isEmpty();
    }

    /** Pushes per racing producer at most: the race with close happens long before, and the heap stays small. */
    private static final int MAX_PER_RACER = 50_000;

    @Test
    void aPushRacingWithCloseEitherLandsInTheLeftoversOrFails() throws Exception {
        int producers = 4;
        AtomicLong accepted = new AtomicLong();
        AtomicBoolean go = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(producers);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            Thread t = new Thread(() -> {
                started.countDown();
                while (!go.get()) {
                    Thread.onSpinWait();
                }
                // Bounded: with the consumer descheduled (four spinning producers on two cores) an unbounded
                // producer would fill the heap before close comes.
                for (int i = 0; i < MAX_PER_RACER && queue.push(Message.create(), TARGET); i++) {
                    accepted.incrementAndGet();
                }
            }, "post-racer");
            threads.add(t);
            t.start();
        }
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
        go.set(true);
        Set<Message> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        PostBatch drained = new PostBatch(1);
        MessageList into = new MessageList();
        for (int round = 0; round < 200; round++) {
            queue.drainTo(drained);
            for (Message m = poll(drained); m != null; m = poll(drained)) {
                into.add(m);
            }
        }
        queue.close(into);
        joinAll(threads);
        for (Message m = into.poll(); m != null; m = into.poll()) {
            assertThat(seen.add(m)).isTrue();
        }
        assertThat((long) seen.size()).isEqualTo(accepted.get());
    }

    @Test
    void anEncodedPostComesOutAsItsFrameInPlaceAndItsMessageIsBackInThePoolAtOnce() {
        MessagePool pool = new MessagePool(0, 100);
        Message before = messages(1).get(0);
        Message encoded = numbered(3, "encoded by its poster");
        byte[] frame = tofu.WireFrames.encode(encoded);
        Message after = messages(1).get(0);
        queue.push(before, TARGET);
        assertThat(queue.pushEncoded(encoded, TARGET, frame.length, pool)).isTrue();
        queue.push(after, TARGET);
        assertThat(pool.lent()).as("its message went back to the pool, lent to the frame").isEqualTo(1);
        assertThat(pool.size()).isZero();

        PostBatch batch = new PostBatch(1);
        queue.drainTo(batch);
        assertThat(batch.next()).isTrue();
        assertThat(batch.polledMessage()).isSameAs(before);
        assertThat(batch.next()).isTrue();
        assertThat(batch.polledMessage()).as("no message travels").isNull();
        assertThat(batch.polledTarget()).isSameAs(TARGET);
        assertThat(batch.polledFrame()).as("lent: positive").isEqualTo(frame.length);
        assertThat(java.util.Arrays.copyOfRange(batch.log(), batch.polledOffset(), batch.polledOffset() + frame.length))
                .isEqualTo(frame);
        assertThat(batch.next()).isTrue();
        assertThat(batch.polledMessage()).isSameAs(after);
        assertThat(batch.polledFrame()).isZero();
        assertThat(batch.next()).isFalse();
    }

    @Test
    void encodedFramesOfManyBatchesKeepTheirBytesAcrossLogGrowthAndSwaps() {
        MessagePool pool = new MessagePool(0, 100_000);
        PostBatch batch = new PostBatch(1);
        int id = 0;
        for (int round = 0; round < 4; round++) {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 500 * (round + 1); i++) {
                Message m = numbered(++id, "x".repeat(id % 300));
                byte[] frame = tofu.WireFrames.encode(m);
                frames.add(frame);
                queue.pushEncoded(m, TARGET, frame.length, pool);
            }
            queue.drainTo(batch);
            for (byte[] frame : frames) {
                assertThat(batch.next()).isTrue();
                assertThat(batch.polledFrame()).isEqualTo(frame.length);
                assertThat(java.util.Arrays.copyOfRange(batch.log(), batch.polledOffset(),
                        batch.polledOffset() + frame.length)).isEqualTo(frame);
            }
            assertThat(batch.next()).isFalse();
        }
    }

    @Test
    void closeKeepsTheMessagesAndCountsTheLoansOfEncodedPostsStillQueued() {
        MessagePool pool = new MessagePool(0, 100);
        Message plain = messages(1).get(0);
        queue.push(plain, TARGET);
        Message encoded = numbered(1, "e");
        queue.pushEncoded(encoded, TARGET, tofu.WireFrames.encode(encoded).length, pool);
        MessageList left = new MessageList();
        assertThat(queue.close(left)).as("loans for the caller to end").isEqualTo(1);
        assertThat(toList(left)).containsExactly(plain);
        assertThat(queue.pushEncoded(Message.create(), TARGET, 16, pool)).as("refused once closed").isFalse();
    }

    /** A small data message as a poster would have it: channel 7, its id, a text header and a body. */
    private static Message numbered(long id, String body) {
        Message m = Message.create();
        m.bhdr().opCode(tofu.OpCode.SIGNAL).channelNumber(7).messageId(id);
        m.thdrs().append("Seq", Long.toString(id));
        m.body().append(body);
        return m;
    }

    private List<Message> drain() {
        PostBatch into = new PostBatch(1);
        queue.drainTo(into);
        return toList(into);
    }

    private static List<Message> toList(PostBatch batch) {
        List<Message> out = new ArrayList<>();
        for (Message m = poll(batch); m != null; m = poll(batch)) {
            out.add(m);
        }
        return out;
    }

    /** The next message of a batch of message posts; null at its end. */
    private static Message poll(PostBatch batch) {
        return batch.next() ? batch.polledMessage() : null;
    }

    static List<Message> toList(MessageList list) {
        List<Message> out = new ArrayList<>();
        for (Message m = list.poll(); m != null; m = list.poll()) {
            out.add(m);
        }
        return out;
    }

    static List<Message> messages(int n) {
        List<Message> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(Message.create());
        }
        return list;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.NANOSECONDS.toMillis(WAIT_NANOS));
            assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
        }
    }
}
