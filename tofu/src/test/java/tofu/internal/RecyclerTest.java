package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tofu.Message;
import tofu.OpCode;

/** The way back to the pool, and the way out of it for frames delivered as bytes (PROTOCOL.md §6.5). */
class RecyclerTest {
    private static final MessageAccess M = MessageAccess.get();

    private final MessagePool pool = new MessagePool(2, 10);
    private final AtomicInteger refilled = new AtomicInteger();
    private final Recycler recycler = new Recycler(pool, refilled::incrementAndGet);

    private static ByteBuffer frame() {
        Message m = Message.create();
        m.bhdr().opCode(OpCode.RESPONSE).channelNumber(4).messageId(77);
        m.thdrs().append("a", "b");
        m.body().append("payload");
        return ByteBuffer.wrap(tofu.WireFrames.encode(m));
    }

    @Test
    void aFrameDeliveredAsBytesIsDecodedIntoTheIdleMessagePutBackLast() {
        Message first = pool.get();
        Message last = pool.get();
        recycler.recycle(first);
        recycler.recycle(last);
        assertThat(pool.lend(1)).isEqualTo(1);

        Message m = recycler.decodeLent(frame());

        assertThat(m).as("the receiver's own message, warm in its cache").isSameAs(last);
        assertThat(M.isPosted(m)).as("the engine's until waitReceive hands it out").isTrue();
        M.posted(m, false); // as waitReceive does
        assertThat(m.bhdr().opCode()).isEqualTo(OpCode.RESPONSE);
        assertThat(m.bhdr().messageId()).isEqualTo(77);
        assertThat(m.thdrs().get("a")).isEqualTo("b");
        assertThat(m.body().asString()).isEqualTo("payload");
        assertThat(M.received(m)).as("a reply written into it is left to the engine (DECISIONS.md)").isTrue();
        assertThat(pool.lent()).isZero();
        assertThat(pool.size()).isEqualTo(1);
    }

    @Test
    void endingTheLoansAStarvingReaderWaitsForWakesTheLoop() {
        assertThat(pool.lend(2)).isEqualTo(2);
        assertThat(pool.lend(1)).as("dry: a starvation episode starts").isZero();
        recycler.releaseLoans(2);
        assertThat(refilled.get()).isEqualTo(1);
        assertThat(pool.size()).isEqualTo(2);
        recycler.releaseLoans(0);
        assertThat(refilled.get()).isEqualTo(1);
    }
}
