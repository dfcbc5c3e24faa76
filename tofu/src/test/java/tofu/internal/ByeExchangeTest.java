package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tofu.AmpeStatus;
import tofu.OpCode;

/**
 * The bye exchange as one value (docs/PROTOCOL.md, closing a channel): every legal transition, what each state lets
 * through the send queue and whether a close is graceful in it, and the transitions the rules cannot produce, which
 * fail loudly under assertions.
 */
class ByeExchangeTest {
    @BeforeAll
    static void assertionsAreOn() {
        assertThat(ByeExchange.class.desiredAssertionStatus()).as("tests run with -ea").isTrue();
    }

    @Test
    void withoutAByeEverythingIsQueuedAndACloseIsNotGraceful() {
        for (OpCode op : OpCode.values()) {
            assertThat(ByeExchange.NONE.mayQueue(op)).as("%s", op).isTrue();
        }
        assertThat(ByeExchange.NONE.exchanged()).isFalse();
        assertThat(ByeExchange.NONE.peerClosedReason()).isEqualTo(AmpeStatus.PEER_DISCONNECTED);
        assertThat(ByeExchange.NONE.failureReason(AmpeStatus.PEER_DISCONNECTED))
                .isEqualTo(AmpeStatus.PEER_DISCONNECTED);
    }

    @Test
    void theInitiatorsPath() {
        ByeExchange asked = ByeExchange.NONE.queued(OpCode.BYE_REQUEST);
        assertThat(asked).isEqualTo(ByeExchange.ASKED);
        assertThat(asked.mayQueue(OpCode.BYE_RESPONSE)).isTrue();
        assertThat(asked.mayQueue(OpCode.REQUEST)).isFalse();
        assertThat(asked.mayQueue(OpCode.BYE_REQUEST)).as("a second BYE_REQUEST is held").isFalse();
        assertThat(asked.exchanged()).as("only our request went out").isFalse();

        ByeExchange answered = asked.peerBye();
        assertThat(answered).isEqualTo(ByeExchange.BOTH_ASKED);
        assertThat(answered.exchanged()).isTrue();
        assertThat(answered.peerClosedReason()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
    }

    @Test
    void theRespondersPath() {
        ByeExchange peerAsked = ByeExchange.NONE.peerBye();
        assertThat(peerAsked).isEqualTo(ByeExchange.PEER_ASKED);
        assertThat(peerAsked.exchanged()).isTrue();
        assertThat(peerAsked.mayQueue(OpCode.RESPONSE)).as("answers may still go out before our bye").isTrue();
        assertThat(peerAsked.failureReason(AmpeStatus.PEER_DISCONNECTED))
                .as("a reset after the bye is a close").isEqualTo(AmpeStatus.CHANNEL_CLOSED);
        assertThat(peerAsked.failureReason(AmpeStatus.SEND_FAILED)).isEqualTo(AmpeStatus.SEND_FAILED);

        ByeExchange done = peerAsked.queued(OpCode.BYE_RESPONSE);
        assertThat(done).isEqualTo(ByeExchange.DONE);
        for (OpCode op : OpCode.values()) {
            assertThat(done.mayQueue(op)).as("%s after our BYE_RESPONSE", op).isFalse();
        }
        assertThat(done.responseWritten()).isEqualTo(ByeExchange.DONE);
    }

    @Test
    void ourResponseCountsOnlyOnceItIsWrittenInFull() {
        ByeExchange answering = ByeExchange.NONE.queued(OpCode.BYE_RESPONSE);
        assertThat(answering).isEqualTo(ByeExchange.ANSWERING);
        assertThat(answering.mayQueue(OpCode.SIGNAL)).isFalse();
        assertThat(answering.exchanged()).as("queued, not written: the peer may not have it").isFalse();
        assertThat(answering.responseWritten()).isEqualTo(ByeExchange.DONE);
        assertThat(answering.peerBye()).isEqualTo(ByeExchange.DONE);
        assertThat(ByeExchange.ASKED.queued(OpCode.BYE_RESPONSE)).isEqualTo(ByeExchange.ANSWERING);
        assertThat(ByeExchange.BOTH_ASKED.queued(OpCode.BYE_RESPONSE)).isEqualTo(ByeExchange.DONE);
        assertThat(ByeExchange.PEER_ASKED.queued(OpCode.BYE_REQUEST)).isEqualTo(ByeExchange.BOTH_ASKED);
    }

    @Test
    void aSecondByeFromThePeerChangesNothing() {
        for (ByeExchange s : new ByeExchange[] {ByeExchange.PEER_ASKED, ByeExchange.BOTH_ASKED, ByeExchange.DONE}) {
            assertThat(s.peerBye()).as("%s", s).isEqualTo(s);
        }
    }

    @Test
    void transitionsTheRulesCannotProduceFailLoudly() {
        assertThatThrownBy(() -> ByeExchange.ASKED.queued(OpCode.BYE_REQUEST)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("BYE_REQUEST queued in ASKED");
        assertThatThrownBy(() -> ByeExchange.ANSWERING.queued(OpCode.BYE_RESPONSE))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ByeExchange.DONE.queued(OpCode.BYE_REQUEST)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ByeExchange.NONE.queued(OpCode.REQUEST)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("REQUEST queued");
        for (ByeExchange s : new ByeExchange[] {ByeExchange.NONE, ByeExchange.ASKED, ByeExchange.PEER_ASKED,
                ByeExchange.BOTH_ASKED}) {
            assertThatThrownBy(s::responseWritten).as("%s: no BYE_RESPONSE is queued to be written", s)
                    .isInstanceOf(AssertionError.class).hasMessageContaining("BYE_RESPONSE written in " + s);
        }
    }
}
