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
    private final EmbeddedContext ctx = new EmbeddedContext(tofu.Options.DEFAULT, 0);
    private final SendQueue queue = new SendQueue(ctx);

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

    @Test
    void framesTheirPostersEncodedKeepTheirPlaceAmongMessagesAndComeBackAsMessages() {
        Message a = message(OpCode.REQUEST);
        byte[] b = encoded(OpCode.SIGNAL, 7, "second");
        Message c = message(OpCode.RESPONSE);
        byte[] d = encoded(OpCode.REQUEST, 9, "fourth");
        queue.add(a);
        assertThat(queue.addEncoded(OpCode.SIGNAL, b, 0, b.length, false)).isTrue();
        queue.add(c);
        assertThat(queue.addEncoded(OpCode.REQUEST, d, 0, d.length, false)).isTrue();
        assertThat(queue.depth()).isEqualTo(4);
        List<Message> back = unsent();
        assertThat(back).hasSize(4);
        assertThat(back.get(0)).isSameAs(a);
        assertThat(back.get(2)).isSameAs(c);
        assertThat(back.get(1).bhdr().opCode()).isEqualTo(OpCode.SIGNAL);
        assertThat(back.get(1).bhdr().messageId()).isEqualTo(7);
        assertThat(back.get(1).body().asString()).isEqualTo("second");
        assertThat(back.get(3).bhdr().messageId()).isEqualTo(9);
        assertThat(back.get(3).thdrs().get("Job")).isEqualTo("9");
        assertThat(back.get(3).body().asString()).isEqualTo("fourth");
        assertThat(queue.depth()).isZero();
    }

    @Test
    void anEncodedFrameThatComesBackTakesTheMessageThePoolLentToIt() {
        Message lentOne = Message.create();
        assertThat(ctx.pool.putLent(lentOne)).isTrue();
        byte[] f = encoded(OpCode.SIGNAL, 5, "lent");
        queue.addEncoded(OpCode.SIGNAL, f, 0, f.length, true);
        List<Message> back = unsent();
        assertThat(back).containsExactly(lentOne);
        assertThat(lentOne.body().asString()).isEqualTo("lent");
        assertThat(ctx.pool.lent()).isZero();
    }

    @Test
    void afterAByeRequestAnEncodedFrameIsHeldAsAMessage() {
        Message bye = message(OpCode.BYE_REQUEST);
        byte[] late = encoded(OpCode.REQUEST, 3, "late");
        queue.add(bye);
        assertThat(queue.addEncoded(OpCode.REQUEST, late, 0, late.length, false)).isFalse();
        List<Message> back = unsent();
        assertThat(back).hasSize(2);
        assertThat(back.get(0)).isSameAs(bye);
        assertThat(back.get(1).body().asString()).isEqualTo("late");
    }

    /** The frame a posting thread would have encoded for such a message (channel 1). */
    static byte[] encoded(OpCode op, long id, String body) {
        Message m = Message.create();
        m.bhdr().opCode(op).channelNumber(1).messageId(id);
        m.thdrs().append("Job", Long.toString(id));
        m.body().append(body);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(FrameEncoder.frameLength(m));
        new FrameEncoder().encode(m, 0, out);
        return out.array();
    }

    private List<Message> unsent() {
        MessageList list = new MessageList();
        queue.drainUnsent(list);
        List<Message> out = new ArrayList<>();
        Message m;
        while ((m = list.poll()) != null) {
            MessageAccess.get().posted(m, false); // handed to the application, as waitReceive does
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
