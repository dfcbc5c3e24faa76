package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tofu.Message;

class MessageRingTest {
    private static final MessageAccess M = MessageAccess.get();

    @Test
    void keepsFifoOrderThroughWrapAroundAndGrowthLikeADeque() {
        MessageRing ring = new MessageRing();
        Deque<Message> model = new ArrayDeque<>();
        Random random = new Random(7);
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                Message m = Message.create();
                ring.add(m);
                model.addLast(m);
            } else if (op < 6) {
                Message m = Message.create();
                ring.addFirst(m);
                model.addFirst(m);
            } else {
                assertThat(ring.poll()).isSameAs(model.pollFirst());
            }
            assertThat(ring.size()).isEqualTo(model.size());
            assertThat(ring.peek()).isSameAs(model.peekFirst());
            if (!model.isEmpty()) {
                assertThat(ring.get(model.size() - 1)).isSameAs(model.peekLast());
            }
        }
        List<Message> rest = new ArrayList<>();
        MessageList list = new MessageList();
        ring.moveTo(list);
        for (Message m = list.poll(); m != null; m = list.poll()) {
            rest.add(m);
        }
        assertThat(rest).containsExactlyElementsOf(model);
        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.poll()).isNull();
    }
}
