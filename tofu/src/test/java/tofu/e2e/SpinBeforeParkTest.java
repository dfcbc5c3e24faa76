package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Pair;
import tofu.support.Transport;

/**
 * Engines whose threads busy-wait before parking ({@code Options.spinBeforePark}) keep the whole contract: round trips
 * in order, and close as usual (the engine's spin ends when it is stopped).
 */
class SpinBeforeParkTest extends EngineTest {
    private static final Options SPINNING = Options.DEFAULT.withSpinBeforePark(Duration.ofNanos(200_000));

    @ParameterizedTest
    @EnumSource(Transport.class)
    void roundTripsBetweenSpinningEnginesArriveInOrder(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir, SPINNING, SPINNING);
        for (int i = 0; i < 200; i++) {
            Message request = p.client().message(OpCode.REQUEST);
            request.body().append(new byte[] {(byte) i});
            BinaryHeader posted = p.client().group().post(request);

            Message got = Expect.application(p.server().group(), OpCode.REQUEST, p.server().channel());
            assertThat(got.body().asReadOnlyBuffer().get(0)).isEqualTo((byte) i);
            got.bhdr().opCode(OpCode.RESPONSE);
            p.server().group().post(got);

            Message answer = Expect.application(p.client().group(), OpCode.RESPONSE, p.client().channel());
            assertThat(answer.bhdr().messageId()).isEqualTo(posted.messageId());
            assertThat(answer.bhdr().status()).isEqualTo(AmpeStatus.SUCCESS);
            p.client().ampe().put(answer);
        }
        Expect.quiet(p.client().group());
    }
}
