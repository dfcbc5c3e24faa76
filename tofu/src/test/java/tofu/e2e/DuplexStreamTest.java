package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Message;
import tofu.OpCode;
import tofu.support.EngineTest;
import tofu.support.Numbered;
import tofu.support.Pair;
import tofu.support.Transport;

/**
 * Both peers stream at once on one connection, each posting with {@code get(ALWAYS)} while its receiver puts back
 * what arrives: both engines fill their sockets, so channels pause for a peer that does not read and starve for pool
 * messages in turn. Every message must arrive whole and in order. (A resume that ended in a pause once dropped the
 * bytes kept aside, and the decoder then read frames from the middle of a body.)
 */
class DuplexStreamTest extends EngineTest {
    private static final int COUNT = 20_000;
    private static final int BODY = 2048;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void bothWaysAtOnceEveryMessageArrivesWholeAndInOrder(Transport transport) throws Exception {
        for (int round = 0; round < 3; round++) {
            Pair p = Pair.connect(engines, transport, dir);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Pair.Side[] sides = {p.client(), p.server()};
            Thread[] threads = new Thread[4];
            for (int k = 0; k < 2; k++) {
                Pair.Side side = sides[k];
                threads[k] = new Thread(() -> {
                    for (int i = 0; i < COUNT; i++) {
                        Message m = Numbered.create(side.ampe(), side.channel(), i, BODY);
                        m.bhdr().opCode(OpCode.SIGNAL);
                        side.group().post(m);
                    }
                }, "duplex-sender-" + k);
                threads[k + 2] = new Thread(() -> {
                    try {
                        for (int i = 0; i < COUNT; ) {
                            Message m = side.group().waitReceive(TimeUnit.SECONDS.toNanos(20));
                            assertThat(m).as("message %d within 20 s", i).isNotNull();
                            if (m.isFromEngine()) { // POOL_EMPTY: the engine keeps going
                                side.ampe().put(m);
                                continue;
                            }
                            assertThat(m.bhdr().opCode()).as("%s", m).isEqualTo(OpCode.SIGNAL);
                            assertThat(m.body().length()).as("%s", m).isEqualTo(BODY);
                            assertThat(Numbered.seq(m)).as("order").isEqualTo(i);
                            side.ampe().put(m);
                            i++;
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "duplex-receiver-" + k);
            }
            for (Thread t : threads) {
                t.start();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
            }
            if (failure.get() != null) {
                throw new AssertionError("round " + round + " on " + transport, failure.get());
            }
        }
    }
}
