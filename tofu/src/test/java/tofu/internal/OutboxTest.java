package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static tofu.internal.ReceiveQueueTest.inOfferOrder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tofu.AmpeException;
import tofu.Message;

/**
 * The engine's side of a receive queue: deliveries go over in batches that come back to be reused, a lagging consumer
 * finds them appended to one batch, the group's single FIFO holds across the engine's batches and other threads'
 * offers, and a closed queue leaves the deliveries with the engine.
 */
class OutboxTest {
    private static final long WAIT_SECONDS = 20;

    private final RecordingPool pool = new RecordingPool();
    private final ConcurrentLinkedQueue<Message> recycled = pool.recycled;
    private final ReceiveQueue queue = new ReceiveQueue(pool);
    private final Outbox outbox = new Outbox(queue);
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFlushHandsTheDeliveriesOverInOrder() throws InterruptedException {
        List<Message> delivered = PostQueueTest.messages(5);
        delivered.forEach(outbox::add);
        assertThat(outbox.size()).isEqualTo(5);
        assertThat(outbox.peek()).isSameAs(delivered.get(0));
        assertThat(queue.poll(0)).as("nothing before the flush").isNull();

        assertThat(outbox.flush()).isTrue();

        assertThat(outbox.isEmpty()).isTrue();
        assertThat(drain()).containsExactlyElementsOf(delivered);
    }

    @Test
    void aLaggingConsumerFindsOneBatchThatTheFlushesAppendTo() throws InterruptedException {
        List<Message> delivered = PostQueueTest.messages(6);
        for (int i = 0; i < 6; i += 2) {
            outbox.add(delivered.get(i));
            outbox.add(delivered.get(i + 1));
            assertThat(outbox.flush()).isTrue();
        }
        assertThat(queue.depth()).isEqualTo(6);

        DeliveryBatch taken = queue.beginTransfer();
        assertThat(taken.next).as("one batch in the queue").isNull();
        assertThat(taken.size()).isEqualTo(6);
        List<Message> received = new ArrayList<>();
        received.add(queue.finishTransfer(taken));
        received.addAll(drain());
        assertThat(received).containsExactlyElementsOf(delivered);
    }

    @Test
    void anEmptiedBatchComesBackAndIsFilledAgain() throws InterruptedException {
        outbox.add(Message.create());
        outbox.flush();
        DeliveryBatch first = queue.beginTransfer();
        queue.finishTransfer(first);

        outbox.add(Message.create());
        outbox.flush();
        DeliveryBatch second = queue.beginTransfer();
        assertThat(second).as("the same batch, reused: nothing allocated").isSameAs(first);
        assertThat(queue.finishTransfer(second)).isNotNull();
    }

    @Test
    void oneFifoAcrossTheEnginesBatchesAndOtherThreadsOffers() throws InterruptedException {
        Message e1 = Message.create();
        Message update = Message.create();
        Message e2 = Message.create();
        Message e3 = Message.create();
        outbox.add(e1);
        outbox.flush();
        queue.offer(update); // pushed after e1: the next flush must not reclaim e1's batch past it
        outbox.add(e2);
        outbox.flush();
        outbox.add(e3);
        outbox.flush();      // reclaims e2's batch: still untaken and newest

        assertThat(drain()).containsExactly(e1, update, e2, e3);
    }

    @Test
    void aClosedQueueLeavesTheDeliveriesWithTheEngine() {
        List<Message> delivered = PostQueueTest.messages(3);
        outbox.add(delivered.get(0));
        outbox.flush();
        queue.close(new MessageList());
        outbox.add(delivered.get(1));
        outbox.add(delivered.get(2));

        assertThat(outbox.flush()).isFalse();

        MessageList kept = new MessageList();
        outbox.moveTo(kept::add);
        assertThat(PostQueueTest.toList(kept)).containsExactlyElementsOf(delivered.subList(1, 3));
        assertThat(outbox.isEmpty()).isTrue();
    }

    /**
     * An engine thread flushing (and reclaiming) batches, another thread offering single messages, the consumer taking
     * everything, and a close at a random moment: every message ends on exactly one side, and the consumer receives
     * each producer's messages in their order.
     */
    @Test
    void everyMessageEndsOnExactlyOneSideWhateverTheClosesTiming() throws Exception {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 200; round++) {
            ReceiveQueue q = new ReceiveQueue(pool);
            Outbox engineSide = new Outbox(q);
            recycled.clear();
            List<Message> fromEngine = PostQueueTest.messages(1 + random.nextInt(300));
            List<Message> fromUpdater = PostQueueTest.messages(random.nextInt(50));
            int closeAfter = random.nextInt(fromEngine.size() + 1);
            List<Message> received = Collections.synchronizedList(new ArrayList<>());
            Future<?> consumer = executor.submit(() -> {
                try {
                    while (true) {
                        received.add(q.poll(Long.MAX_VALUE));
                    }
                } catch (AmpeException closed) {
                    return null;
                }
            });
            List<Message> refusedUpdates = new ArrayList<>();
            Future<?> updater = executor.submit(() -> {
                for (Message m : fromUpdater) {
                    if (!q.offer(m)) {
                        refusedUpdates.add(m);
                    }
                }
            });
            MessageList leftovers = new MessageList();
            MessageList keptByEngine = new MessageList();
            for (int i = 0; i < fromEngine.size(); i++) {
                if (i == closeAfter) {
                    q.close(leftovers);
                }
                engineSide.add(fromEngine.get(i));
                if (random.nextInt(3) == 0 && !engineSide.flush()) {
                    engineSide.moveTo(keptByEngine::add);
                }
            }
            if (!engineSide.flush()) {
                engineSide.moveTo(keptByEngine::add);
            }
            updater.get(WAIT_SECONDS, TimeUnit.SECONDS);
            q.close(leftovers);
            assertThat(q.awaitSettled()).as("round %d settled", round).isTrue();
            consumer.get(WAIT_SECONDS, TimeUnit.SECONDS);

            List<Message> all = new ArrayList<>(received);
            all.addAll(PostQueueTest.toList(leftovers));
            all.addAll(PostQueueTest.toList(keptByEngine));
            all.addAll(recycled);
            all.addAll(refusedUpdates);
            Set<Message> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            distinct.addAll(all);
            List<Message> everything = new ArrayList<>(fromEngine);
            everything.addAll(fromUpdater);
            assertThat(all).as("round %d: every message on exactly one side", round).hasSize(everything.size());
            assertThat(distinct).as("round %d: no message on two sides", round)
                    .containsExactlyInAnyOrderElementsOf(everything);
            assertThat(inOfferOrder(received, fromEngine)).as("round %d: the engine's in order", round)
                    .isEqualTo(inOfferOrder(fromEngine, received));
            assertThat(inOfferOrder(received, fromUpdater)).as("round %d: the updater's in order", round)
                    .isEqualTo(inOfferOrder(fromUpdater, received));
        }
    }

    private List<Message> drain() throws InterruptedException {
        List<Message> out = new ArrayList<>();
        Message m;
        while ((m = queue.poll(0)) != null) {
            out.add(m);
        }
        return out;
    }
}
