package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tofu.Message;
import tofu.OpCode;

/**
 * The bye rules of a channel's send queue (PROTOCOL.md §6.4): what may still go out after a BYE_REQUEST or
 * BYE_RESPONSE.
 */
class SendQueueTest {
    /** The rules need no engine: only writing does. */
    private final SendQueue queue = new SendQueue(new EmbeddedContext(tofu.Options.DEFAULT, 0));

    @Test
    void everythingIsQueuedInOrderWhileNoByeWasPosted() {
        Message a = message(OpCode.REQUEST);
        Message b = message(OpCode.SIGNAL);
        assertThat(queue.add(a)).isTrue();
        assertThat(queue.add(b)).isTrue();
        assertThat(queue.depth()).isEqualTo(2);
        assertThat(unsent()).containsExactly(a, b);
    }

    @Test
    void afterAByeRequestOnlyAByeResponseIsQueuedAndTheRestIsHeld() {
        Message bye = message(OpCode.BYE_REQUEST);
        Message late = message(OpCode.REQUEST);
        Message answer = message(OpCode.BYE_RESPONSE);
        assertThat(queue.add(bye)).isTrue();
        assertThat(queue.add(late)).isFalse();
        assertThat(queue.add(answer)).isTrue();
        assertThat(queue.depth()).isEqualTo(3);
        // Queued first (in order), then the held ones.
        assertThat(unsent()).containsExactly(bye, answer, late);
    }

    @Test
    void afterAByeResponseNothingMoreIsQueued() {
        Message answer = message(OpCode.BYE_RESPONSE);
        Message late = message(OpCode.SIGNAL);
        Message secondBye = message(OpCode.BYE_RESPONSE);
        assertThat(queue.add(answer)).isTrue();
        assertThat(queue.add(late)).isFalse();
        assertThat(queue.add(secondBye)).isFalse();
        assertThat(unsent()).containsExactly(answer, late, secondBye);
        assertThat(queue.bye()).as("our BYE_RESPONSE is queued, not written").isEqualTo(ByeExchange.ANSWERING);
        assertThat(queue.bye().exchanged()).isFalse();
    }

    @Test
    void drainingLeavesTheQueueEmpty() {
        queue.add(message(OpCode.BYE_REQUEST));
        queue.add(message(OpCode.REQUEST));
        unsent();
        assertThat(queue.depth()).isZero();
        assertThat(unsent()).isEmpty();
    }

    private List<Message> unsent() {
        MessageList list = new MessageList();
        queue.drainUnsent(list);
        List<Message> out = new ArrayList<>();
        Message m;
        while ((m = list.poll()) != null) {
            out.add(m);
        }
        return out;
    }

    private static Message message(OpCode op) {
        Message m = Message.create();
        m.bhdr().opCode(op);
        return m;
    }
}
