package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tofu.BinaryHeader;
import tofu.Message;

/**
 * The engine thread's traffic with the pool, without a loop or a socket: batches taken and given back, a dry pool
 * (starve, unless the deadlock rule applies, within its bounds) and the size of a read.
 */
class PoolExchangeTest {
    private static final int MAX_READ = 256 * 1024;
    private static final int MAX_ENGINE_ALLOCATED = 4;

    private final EngineThread thread = new EngineThread();
    private final EngineCounters counters = new EngineCounters();
    private final GroupImpl group = new TestOwner().group();

    @BeforeEach
    void playEngineThread() {
        thread.enter();
    }

    private PoolExchange exchange(MessagePool pool) {
        return new PoolExchange(thread, counters, new Starvation(thread), pool, MAX_READ, MAX_ENGINE_ALLOCATED);
    }

    @Test
    void receiveMessagesComeInBatchesAndAllGoBack() {
        MessagePool pool = new MessagePool(100, 100);
        PoolExchange exchange = exchange(pool);

        Message m = exchange.takeForDecode(group, false);

        assertThat(m).isNotNull();
        assertThat(pool.size()).as("one batch taken with one lock").isEqualTo(100 - 32);
        assertThat(exchange.hasWritten()).isFalse();
        exchange.recycleWritten(m);
        assertThat(exchange.hasWritten()).isTrue();
        exchange.giveBack();
        assertThat(pool.size()).as("the written message and the unused cache are back").isEqualTo(100);
        assertThat(exchange.hasWritten()).isFalse();
    }

    @Test
    void writtenMessagesGoBackAtOnceWithoutTheReceiveCache() {
        MessagePool pool = new MessagePool(40, 100);
        PoolExchange exchange = exchange(pool);
        Message decoded = exchange.takeForDecode(group, false); // the cache keeps the rest of its batch
        int idle = pool.size();

        exchange.recycleWritten(decoded);
        exchange.recycleWritten(Message.create());
        assertThat(exchange.giveBackWritten()).as("no starvation to end").isFalse();

        assertThat(pool.size()).as("both written messages back, the cache still held").isEqualTo(idle + 2);
        assertThat(exchange.hasWritten()).isFalse();
        exchange.giveBack();
        assertThat(pool.size()).isEqualTo(40 + 1);
    }

    @Test
    void givingWrittenMessagesBackEndsAStarvation() {
        MessagePool pool = new MessagePool(0, 10);
        PoolExchange exchange = exchange(pool);
        assertThat(exchange.takeForDecode(group, false)).as("dry: a starvation starts").isNull();

        exchange.recycleWritten(Message.create());
        assertThat(exchange.giveBackWritten()).isTrue();
        assertThat(exchange.giveBackWritten()).as("nothing left to give").isFalse();
    }

    @Test
    void aDryPoolStarvesTheReaderWhenNoWriterIsBlocked() {
        MessagePool pool = new MessagePool(0, 10);
        PoolExchange exchange = exchange(pool);

        assertThat(exchange.takeForDecode(group, false)).isNull();

        assertThat(limits().receiveAllocations()).isZero();
        assertThat(pool.put(Message.create())).as("the empty take started a starvation episode").isTrue();
    }

    @Test
    void theDeadlockRuleAllocatesWhileAWriterIsBlockedUpToItsBound() {
        MessagePool pool = new MessagePool(0, 10);
        PoolExchange exchange = exchange(pool);
        exchange.writeBlocked(true);

        assertThat(exchange.takeForDecode(group, true)).as("never for a channel whose peer does not read").isNull();
        for (int i = 0; i < MAX_ENGINE_ALLOCATED; i++) {
            assertThat(exchange.takeForDecode(group, false)).isNotNull();
        }
        assertThat(exchange.takeForDecode(group, false)).as("at most the bound out at once").isNull();
        assertThat(limits().receiveAllocations()).isEqualTo(MAX_ENGINE_ALLOCATED);
        assertThat(pool.engineAllocated()).isEqualTo(MAX_ENGINE_ALLOCATED);

        exchange.writeBlocked(false);
        MessagePool fresh = new MessagePool(0, 10);
        assertThat(exchange(fresh).takeForDecode(group, false)).as("no writer blocked any more").isNull();
    }

    @Test
    void theDeadlockRuleDoesNotFeedAGroupWithABacklog() {
        PoolExchange exchange = exchange(new MessagePool(0, 10));
        exchange.writeBlocked(true);
        for (int i = 0; i < 16; i++) {
            assertThat(group.queue.offer(Message.create())).isTrue();
        }

        assertThat(exchange.takeForDecode(group, false)).isNull();
    }

    @Test
    void aReadTakesAboutWhatTheFreeMessagesCanHold() {
        PoolExchange exchange = exchange(new MessagePool(100, 100));

        assertThat(exchange.readLimit(group, 1000, 10, false)).isEqualTo(100 * 1000);
        assertThat(exchange.readLimit(group, 10, 10, false)).as("frames below a header count as a header")
                .isEqualTo(Math.max(4096, 100 * BinaryHeader.SIZE));
        assertThat(exchange.readLimit(group, 100_000, 10, false)).as("at most the buffer").isEqualTo(MAX_READ);
    }

    @Test
    void aReadWithNoFreeMessageTakesOnlyWhatNeedsNone() {
        PoolExchange exchange = exchange(new MessagePool(0, 10));

        assertThat(exchange.readLimit(group, 1000, 10, false)).isEqualTo(10);
        assertThat(exchange.readLimit(group, 1000, 0, false)).as("still reads, to see the peer's close")
                .isEqualTo(1);
        assertThat(exchange.readLimit(group, 1000, 1_000_000, false)).isEqualTo(MAX_READ);
    }

    private tofu.EngineStats.LimitStats limits() {
        return counters.snapshot(0, new ArrayList<>(), 0, new MessagePool(0, 1), new Admission(0)).limits();
    }
}
