package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Message;
import tofu.OpCode;

/** PROTOCOL.md §6.5: the engine's LIFO message pool, its limits and its starvation episodes. */
class MessagePoolTest {
    private static final MessageAccess M = MessageAccess.get();

    @Test
    void startsWithTheInitialMessagesInTheFreshState() {
        MessagePool pool = new MessagePool(3, 5);
        assertThat(pool.size()).isEqualTo(3);
        assertThat(pool.max()).isEqualTo(5);
        Set<Message> seen = identitySet();
        for (int i = 0; i < 3; i++) {
            Message m = pool.get();
            assertThat(m).isNotNull();
            assertThat(m.bhdr()).isEqualTo(new BinaryHeader());
            assertThat(seen.add(m)).isTrue();
        }
        assertThat(pool.size()).isZero();
        assertThat(pool.get()).isNull();
    }

    @Test
    void createsItsMessagesWithASmallBodyAlreadyInPlace() {
        MessagePool pool = new MessagePool(2, 4);
        Message initial = pool.get();
        Message engines = pool.allocateForEngine();
        Message anyThreads = MessagePool.create();
        for (Message m : List.of(initial, engines, anyThreads)) {
            assertThat(M.bodyCapacity(m)).as("storage allocated with the message").isEqualTo(MessagePool.BODY_CAPACITY);
            assertThat(m.body().length()).as("but the body is empty").isZero();
        }
        initial.body().append(new byte[MessagePool.BODY_CAPACITY]);
        assertThat(M.bodyCapacity(initial)).as("a small body fits without growing").isEqualTo(MessagePool.BODY_CAPACITY);
        initial.body().append(new byte[1]);
        assertThat(M.bodyCapacity(initial)).as("a larger one grows as usual").isGreaterThan(MessagePool.BODY_CAPACITY);
        assertThat(M.bodyCapacity(Message.create())).as("a standalone message stays empty").isZero();
    }

    @Test
    void emptyPoolReturnsNull() {
        MessagePool pool = new MessagePool(0, 4);
        assertThat(pool.size()).isZero();
        assertThat(pool.get()).isNull();
    }

    @Test
    void getReturnsTheMostRecentlyPutMessage() {
        MessagePool pool = new MessagePool(0, 8);
        Message a = Message.create();
        Message b = Message.create();
        Message c = Message.create();
        pool.put(a);
        pool.put(b);
        pool.put(c);
        assertThat(pool.get()).isSameAs(c);
        pool.put(c);
        assertThat(pool.get()).isSameAs(c);
        assertThat(pool.get()).isSameAs(b);
        assertThat(pool.get()).isSameAs(a);
        assertThat(pool.get()).isNull();
    }

    @Test
    void keepsAtMostMaxMessages() {
        MessagePool pool = new MessagePool(0, 2);
        Message a = Message.create();
        Message b = Message.create();
        Message c = Message.create();
        pool.put(a);
        pool.put(b);
        assertThat(pool.put(c)).isFalse();
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.get()).isSameAs(b);
        assertThat(pool.get()).isSameAs(a);
        assertThat(pool.get()).isNull();
    }

    @Test
    void aPoolFilledToMaxByItsInitialMessagesDropsPuts() {
        MessagePool pool = new MessagePool(5, 5);
        assertThat(pool.size()).isEqualTo(5);
        assertThat(pool.put(Message.create())).isFalse();
        assertThat(pool.size()).isEqualTo(5);
    }

    @Test
    void putResetsTheMessage() {
        MessagePool pool = new MessagePool(0, 1);
        Message m = Message.create();
        m.bhdr().opCode(OpCode.BYE_REQUEST).channelNumber(9).messageId(77).more(true);
        M.markEngineReport(m, AmpeStatus.CHANNEL_CLOSED);
        m.thdrs().append("A", "1");
        m.body().append("body");
        pool.put(m);
        Message back = pool.get();
        assertThat(back).isSameAs(m);
        assertThat(back.bhdr()).isEqualTo(new BinaryHeader());
        assertThat(back.thdrs().length()).isZero();
        assertThat(back.body().length()).isZero();
    }

    @Test
    void putHandsAPostedMessageBackToUsableState() {
        MessagePool pool = new MessagePool(0, 1);
        Message m = Message.create();
        M.posted(m, true);
        pool.put(m);
        assertThat(pool.get().body().length()).isZero();
    }

    @Test
    void aPooledMessageIsOwnedByThePoolUntilTakenAgain() {
        MessagePool pool = new MessagePool(0, 1);
        Message m = Message.create();
        pool.put(m);
        assertThatThrownBy(m::body).as("a stale reference after put").isInstanceOf(IllegalStateException.class);
        assertThat(pool.get()).isSameAs(m);
        assertThat(m.body().length()).isZero();
    }

    @Test
    void aDroppedMessageIsResetToo() {
        MessagePool pool = new MessagePool(1, 1);
        Message m = Message.create();
        m.body().append("x");
        assertThat(pool.put(m)).isFalse();
        assertThat(m.body().length()).isZero();
    }

    @Test
    void putReportsTheEndOfAStarvationEpisodeExactlyOnce() {
        MessagePool pool = new MessagePool(0, 4);
        assertThat(pool.put(Message.create())).as("no get found it empty yet").isFalse();
        Message m = pool.get();
        assertThat(m).isNotNull();
        assertThat(pool.put(m)).as("the get succeeded: no starvation").isFalse();

        pool.get();
        assertThat(pool.get()).isNull();
        assertThat(pool.get()).isNull();
        assertThat(pool.put(Message.create())).as("first put after starving").isTrue();
        assertThat(pool.put(Message.create())).isFalse();

        assertThat(pool.get()).isNotNull();
        assertThat(pool.get()).isNotNull();
        assertThat(pool.put(Message.create())).as("emptied by gets, but no get found it empty").isFalse();
    }

    @Test
    void aPutDroppedBecauseOfMaxDoesNotEndAnEpisode() {
        MessagePool pool = new MessagePool(0, 1);
        assertThat(pool.get()).isNull();
        assertThat(pool.put(Message.create())).isTrue();
        assertThat(pool.put(Message.create())).isFalse();
    }

    @Test
    void closeDropsEverythingAndLaterPutsToo() {
        MessagePool pool = new MessagePool(4, 8);
        pool.close();
        assertThat(pool.size()).isZero();
        assertThat(pool.get()).isNull();
        Message m = Message.create();
        m.body().append("x");
        assertThat(pool.put(m)).isFalse();
        assertThat(pool.size()).isZero();
        assertThat(pool.get()).isNull();
        assertThat(m.body().length()).as("still reset").isZero();
    }

    @ParameterizedTest
    @CsvSource({"64, 64, 4, 100000", "2, 2, 4, 100000"})
    void concurrentGetAndPutNeverLoseOrDuplicateAMessage(int initial, int max, int threads, int opsPerThread)
            throws Exception {
        MessagePool pool = new MessagePool(initial, max);
        List<Message> originals = drain(pool);
        for (Message m : originals) {
            pool.put(m);
        }
        Set<Message> inUse = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger emptyGets = new AtomicInteger();
        AtomicInteger endedEpisodes = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                await(start);
                List<Message> held = new ArrayList<>();
                for (int i = 0; i < opsPerThread; i++) {
                    // Hold up to two messages so the small pool really runs empty.
                    if (held.size() < 2 && (i & 1) == 0) {
                        Message m = pool.get();
                        if (m == null) {
                            emptyGets.incrementAndGet();
                        } else if (!inUse.add(m)) {
                            duplicates.incrementAndGet();
                        } else {
                            held.add(m);
                        }
                    } else if (!held.isEmpty()) {
                        Message m = held.remove(held.size() - 1);
                        inUse.remove(m);
                        if (pool.put(m)) {
                            endedEpisodes.incrementAndGet();
                        }
                    }
                }
                for (Message m : held) {
                    inUse.remove(m);
                    if (pool.put(m)) {
                        endedEpisodes.incrementAndGet();
                    }
                }
            }, "pool-worker-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(w.isAlive()).as("%s finished", w.getName()).isFalse();
        }
        assertThat(duplicates.get()).as("messages handed to two holders at once").isZero();
        List<Message> after = drain(pool);
        Set<Message> distinct = identitySet();
        distinct.addAll(after);
        assertThat(after).hasSize(originals.size());
        assertThat(distinct).hasSize(originals.size());
        assertThat(distinct).containsExactlyInAnyOrderElementsOf(originals);
        // An episode starts with every miss, also one whose second look then finds a message that a put pushed
        // meanwhile (get registers the miss before looking again), so ended episodes are bounded by the misses, not
        // by the gets that came back empty.
        assertThat((long) endedEpisodes.get()).isLessThanOrEqualTo(pool.misses());
        if (emptyGets.get() > 0) {
            assertThat(endedEpisodes.get()).isPositive();
        }
    }

    @Test
    void theMessageGivenBackLastIsReusedFirst() {
        MessagePool pool = new MessagePool(4, 8);
        Message a = pool.get();
        Message b = pool.get();
        pool.put(a);
        pool.put(b);
        assertThat(pool.get()).isSameAs(b);
        assertThat(pool.get()).isSameAs(a);
        MessageRing batch = new MessageRing();
        batch.add(a);
        batch.add(b);
        pool.putAll(batch);
        assertThat(pool.get()).as("the batch's last message is on top").isSameAs(b);
        assertThat(pool.size()).isEqualTo(3);
    }

    @Test
    void takeBatchMovesUpToMaxAndAnEmptyTakeStartsStarvation() {
        MessagePool pool = new MessagePool(5, 5);
        MessageRing into = new MessageRing();
        assertThat(pool.takeBatch(into, 3)).isEqualTo(3);
        assertThat(into.size()).isEqualTo(3);
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.takeBatch(into, 10)).isEqualTo(2);
        assertThat(pool.takeBatch(into, 10)).isZero();
        assertThat(pool.misses()).isEqualTo(1);
        // Giving everything back ends the starvation episode, once, and resets each message.
        MessageAccess.get().header(into.peek()).messageId(42);
        assertThat(pool.putAll(into)).isTrue();
        assertThat(into.isEmpty()).isTrue();
        assertThat(pool.size()).isEqualTo(5);
        List<Message> all = drain(pool);
        assertThat(all).allSatisfy(m -> assertThat(m.bhdr().messageId()).isZero());
    }

    @Test
    void putAllKeepsAtMostMaxAndReportsNoEpisodeWithoutStarvation() {
        MessagePool pool = new MessagePool(0, 2);
        MessageRing list = new MessageRing();
        for (int i = 0; i < 4; i++) {
            list.add(Message.create());
        }
        assertThat(pool.putAll(list)).isFalse();
        assertThat(pool.size()).isEqualTo(2);
        assertThat(list.isEmpty()).isTrue();
        assertThat(pool.putAll(new MessageRing())).isFalse();
    }

    private static List<Message> drain(MessagePool pool) {
        List<Message> all = new ArrayList<>();
        for (Message m = pool.get(); m != null; m = pool.get()) {
            all.add(m);
        }
        return all;
    }

    private static Set<Message> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- messages lent to frames their posting thread encoded ----

    @Test
    void aLentMessageIsKeptButCannotBeTakenUntilItsFrameIsWritten() {
        MessagePool pool = new MessagePool(1, 10);
        Message posted = pool.get();
        posted.body().append("frame");
        assertThat(pool.putLent(posted)).isTrue();
        assertThat(pool.size()).as("as if the message were still in flight").isZero();
        assertThat(pool.lent()).isEqualTo(1);
        assertThat(pool.get()).as("POOL_ONLY is throttled exactly as before").isNull();
        assertThat(pool.release(1)).as("the frame is written: the take that found none may resume").isTrue();
        assertThat(pool.size()).isEqualTo(1);
        Message again = pool.get();
        assertThat(again).as("the poster's own message, warm in its cache").isSameAs(posted);
        assertThat(again.body().length()).as("reset when it was lent").isZero();
    }

    @Test
    void aLentMessageIsOwnedByThePoolAtOnce() {
        MessagePool pool = new MessagePool(0, 10);
        Message posted = Message.create();
        pool.putLent(posted);
        assertThatThrownBy(posted::body).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFrameThatComesBackUnsentTakesItsLentMessageBack() {
        MessagePool pool = new MessagePool(2, 10);
        Message posted = pool.get();
        pool.putLent(posted);
        assertThat(pool.size()).isEqualTo(1);
        Message back = pool.reclaim(true);
        assertThat(back).isNotNull();
        assertThat(pool.lent()).isZero();
        assertThat(pool.size()).as("the other idle message is still free").isEqualTo(1);
        assertThat(M.isPosted(back)).as("still not the application's: a stale reference throws").isTrue();
        assertThat(M.isPosted(pool.reclaim(false))).as("a new message for a frame that owed nothing").isTrue();
    }

    @Test
    void theLimitBoundsWhatCanBeTakenNotWhatIsLent() {
        MessagePool pool = new MessagePool(1, 1);
        Message extra = Message.create();
        assertThat(pool.putLent(extra)).as("a frame in flight, as it was before it was encoded").isTrue();
        assertThat(pool.size()).isEqualTo(1);
        Message taken = pool.get();
        assertThat(pool.put(taken)).as("loans never make a put be refused").isFalse();
        assertThat(pool.size()).isEqualTo(1);
        pool.release(1);
        assertThat(pool.size()).as("an ended loan beyond the limit drops a message").isEqualTo(1);
        assertThat(pool.get()).isNotNull();
        assertThat(pool.get()).isNull();
    }

    @Test
    void aPutWhileEveryIdleMessageIsLentEndsTheStarvationItMet() {
        MessagePool pool = new MessagePool(1, 1);
        Message posted = pool.get();
        pool.putLent(posted);
        assertThat(pool.get()).isNull(); // starving: the one idle message is lent
        assertThat(pool.put(Message.create())).as("kept, and the starving reader resumes").isTrue();
        assertThat(pool.size()).isEqualTo(1);
    }

    @Test
    void aClosedPoolLendsNothing() {
        MessagePool pool = new MessagePool(0, 4);
        pool.close();
        assertThat(pool.putLent(Message.create())).isFalse();
        assertThat(pool.lent()).isZero();
    }

    @Test
    void theEngineTakesNoLentMessageForDecoding() {
        MessagePool pool = new MessagePool(3, 10);
        pool.putLent(pool.get());
        MessageRing into = new MessageRing();
        assertThat(pool.takeBatch(into, 10)).as("3 idle, 1 of them lent").isEqualTo(2);
        assertThat(pool.takeBatch(into, 10)).isZero();
        pool.release(1);
        assertThat(pool.takeBatch(into, 10)).isEqualTo(1);
    }

    // ---- messages lent to received frames the engine hands on as bytes ----

    @Test
    void lendingForReceivedFramesTakesWhatIsIdleAndStarvesWhenNoneIs() {
        MessagePool pool = new MessagePool(3, 10);
        assertThat(pool.lend(2)).isEqualTo(2);
        assertThat(pool.size()).as("lent messages cannot be taken").isEqualTo(1);
        assertThat(pool.lend(5)).as("only what is idle").isEqualTo(1);
        assertThat(pool.lend(1)).as("none left: a starvation episode starts").isZero();
        assertThat(pool.release(1)).as("an unused loan ended: the starving reader resumes").isTrue();
        assertThat(pool.size()).isEqualTo(1);
    }

    @Test
    void theReceiverDecodesIntoTheMessageItPutBackLast() {
        MessagePool pool = new MessagePool(2, 10);
        Message first = pool.get();
        Message second = pool.get();
        pool.put(first);
        pool.put(second);
        assertThat(pool.lend(1)).isEqualTo(1);
        Message decodeInto = pool.reclaim(true);
        assertThat(decodeInto).as("the top of the stack, warm in the cache of whoever put it back").isSameAs(second);
        assertThat(pool.lent()).isZero();
        assertThat(pool.size()).isEqualTo(1);
        assertThat(M.isPosted(decodeInto)).as("the engine's until waitReceive hands it out").isTrue();
    }

    @Test
    void loansEndedAfterCloseChangeNothing() {
        MessagePool pool = new MessagePool(2, 10);
        pool.lend(2);
        pool.close();
        assertThat(pool.release(2)).isFalse();
        assertThat(pool.lent()).isZero();
        assertThat(pool.size()).isZero();
        assertThat(pool.reclaim(true)).as("a frame decoded after close gets a new message").isNotNull();
    }
}
