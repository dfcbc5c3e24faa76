package tofu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tofu.WireFrames.headerBytes;
import static tofu.WireFrames.latin1;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import tofu.internal.MessageAccess;

/** PROTOCOL.md §5: a message's fresh state, reset, deep copy and the origin/more shortcuts. */
class MessageTest {

    @Test
    void createdMessageIsFresh() {
        assertFresh(Message.create());
    }

    @Test
    void createReturnsDistinctMessages() {
        Message a = Message.create();
        Message b = Message.create();
        assertThat(a).isNotSameAs(b);
        assertThat(a.bhdr()).isNotSameAs(b.bhdr());
        assertThat(a.thdrs()).isNotSameAs(b.thdrs());
        assertThat(a.body()).isNotSameAs(b.body());
    }

    @Test
    void partsAreStable() {
        Message m = Message.create();
        assertThat(m.bhdr()).isSameAs(m.bhdr());
        assertThat(m.thdrs()).isSameAs(m.thdrs());
        assertThat(m.body()).isSameAs(m.body());
    }

    @Test
    void resetReturnsEveryFieldToTheFreshState() {
        Message m = dirty();
        assertThat(m.reset()).isSameAs(m);
        assertFresh(m);
    }

    @Test
    void resetOfAReceivedMessageClearsTheReceivedLengths() {
        Message m = WireFrames.decode(WireFrames.frame(9, 0x10 | 0x20 | 0x02, 22, 77, latin1("A:1\r\n"),
                latin1("body")));
        assertThat(m.bhdr().textHeadersLength()).isEqualTo(5);
        assertThat(m.bhdr().bodyLength()).isEqualTo(4);
        m.reset();
        assertFresh(m);
    }

    @Test
    void resetMessageKeepsWorking() {
        Message m = dirty().reset();
        m.bhdr().opCode(OpCode.SIGNAL).channelNumber(3);
        m.thdrs().append("B", "2");
        m.body().append("x");
        assertThat(m.thdrs().toList()).containsExactly(new TextHeader("B", "2"));
        assertThat(m.body().asString()).isEqualTo("x");
    }

    @Test
    void copyIsDeepAndEqualInContent() {
        Message m = dirty();
        Message c = m.copy();
        assertThat(c).isNotSameAs(m);
        assertThat(c.bhdr()).isNotSameAs(m.bhdr()).isEqualTo(m.bhdr());
        assertThat(c.thdrs()).isNotSameAs(m.thdrs());
        assertThat(c.body()).isNotSameAs(m.body());
        assertThat(headerBytes(c)).isEqualTo(headerBytes(m));
        assertThat(c.body().toByteArray()).isEqualTo(m.body().toByteArray());
        assertThat(c.isFromEngine()).isTrue();
        assertThat(c.bhdr().status()).isEqualTo(AmpeStatus.PEER_DISCONNECTED);

        m.bhdr().channelNumber(1).messageId(2).more(false);
        m.thdrs().append("Later", "x");
        m.body().append("later");
        assertThat(c.bhdr().channelNumber()).isEqualTo(500);
        assertThat(c.bhdr().messageId()).isEqualTo(123);
        assertThat(c.hasMore()).isTrue();
        assertThat(c.thdrs().toList()).containsExactly(new TextHeader("A", "1"));
        assertThat(c.body().asString()).isEqualTo("payload");

        c.reset();
        assertThat(m.thdrs().get("A")).isEqualTo("1");
        assertThat(m.body().asString()).isEqualTo("payloadlater");
    }

    @Test
    void copyOfAReceivedMessageKeepsItsBytesAndLengths() {
        byte[] block = latin1(" odd :  x \r\n\r\n");
        Message m = WireFrames.decode(WireFrames.frame(9, 0x21, 0, 77, block, latin1("b")));
        Message c = m.copy();
        assertThat(headerBytes(c)).isEqualTo(block);
        assertThat(c.bhdr()).isEqualTo(m.bhdr());
        assertThat(c.bhdr().textHeadersLength()).isEqualTo(block.length);
    }

    @Test
    void copyOfAFreshMessageIsFresh() {
        assertFresh(Message.create().copy());
    }

    @Test
    void originShortcuts() {
        Message m = Message.create();
        assertThat(m.isFromApplication()).isTrue();
        assertThat(m.isFromEngine()).isFalse();
        m.bhdr().origin(Origin.ENGINE);
        assertThat(m.isFromApplication()).isFalse();
        assertThat(m.isFromEngine()).isTrue();
    }

    @Test
    void hasMoreFollowsTheHeader() {
        Message m = Message.create();
        assertThat(m.hasMore()).isFalse();
        m.bhdr().more(true);
        assertThat(m.hasMore()).isTrue();
        m.bhdr().more(false);
        assertThat(m.hasMore()).isFalse();
    }

    @Test
    void aPostedMessageRefusesAccessUntilHandedBack() {
        Message m = dirty();
        MessageAccess.get().posted(m, true);
        for (ThrowingCallable access : new ThrowingCallable[] {m::bhdr, m::thdrs, m::body, m::isFromEngine,
            m::isFromApplication, m::hasMore, m::reset, m::copy}) {
            assertThatThrownBy(access).isInstanceOf(IllegalStateException.class);
        }
        assertThat(m.toString()).isNotNull();
        MessageAccess.get().posted(m, false);
        assertThat(m.bhdr().channelNumber()).isEqualTo(500);
        assertThat(m.body().asString()).isEqualTo("payload");
    }

    /** A message with every field away from the fresh state. */
    private static Message dirty() {
        Message m = Message.create();
        m.bhdr().opCode(OpCode.BYE_RESPONSE).channelNumber(500).messageId(123).more(true);
        m.bhdr().origin(Origin.ENGINE);
        m.bhdr().status(AmpeStatus.PEER_DISCONNECTED);
        m.thdrs().append("A", "1");
        m.body().append("payload");
        return m;
    }

    private static void assertFresh(Message m) {
        BinaryHeader h = m.bhdr();
        assertThat(h.opCode()).isEqualTo(OpCode.REQUEST);
        assertThat(h.channelNumber()).isZero();
        assertThat(h.messageId()).isZero();
        assertThat(h.origin()).isEqualTo(Origin.APPLICATION);
        assertThat(h.more()).isFalse();
        assertThat(h.status()).isEqualTo(AmpeStatus.SUCCESS);
        assertThat(h.textHeadersLength()).isZero();
        assertThat(h.bodyLength()).isZero();
        assertThat(h).isEqualTo(new BinaryHeader());
        assertThat(m.thdrs().length()).isZero();
        assertThat(m.thdrs().size()).isZero();
        assertThat(m.body().length()).isZero();
        assertThat(m.isFromApplication()).isTrue();
        assertThat(m.isFromEngine()).isFalse();
        assertThat(m.hasMore()).isFalse();
    }
}
