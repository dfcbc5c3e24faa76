package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Origin;
import tofu.Reactor;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Flood;
import tofu.support.Numbered;
import tofu.support.Pair;
import tofu.support.Peers;
import tofu.support.ReactorThreads;
import tofu.support.Transport;

/**
 * PROTOCOL.md §6.5: a receiver whose pool runs dry stops reading (kernel flow control slows the sender), says
 * POOL_EMPTY at most once a second per group, does not spin, and loses nothing; an idle connection holds no pool
 * message.
 */
class PoolBackpressureTest extends EngineTest {
    private static final int MESSAGES = 2_000;
    private static final int BODY = 1024;
    /** Far below a busy thread (1.0): a starving engine must sleep in its selector, not poll. */
    private static final double IDLE_CPU_SHARE = 0.20;
    private static final long CPU_WINDOW_MILLIS = 1_000;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void starvedReceiverIsToldIdlesAndLosesNothing(Transport transport) throws Exception {
        Reactor client = engines.start();
        ReactorThreads.Started server = ReactorThreads.start(() -> engines.start(Flood.TINY_POOL));
        Pair p = Pair.connect(client, server.reactor(), transport, dir);
        long start = System.nanoTime();

        Numbered.post(p.client().ampe(), p.client().group(), p.client().channel(), MESSAGES, BODY);

        // Not consuming: everything received is held, so the pool stays empty and the POOL_EMPTY signal comes.
        List<Message> held = Flood.holdUntilPoolEmpty(p.server());
        double share = ReactorThreads.cpuShare(server.thread(), CPU_WINDOW_MILLIS);
        assertThat(share).as("CPU share of the starving engine thread").isLessThan(IDLE_CPU_SHARE);

        int poolEmptySignals = 1;
        int next = held.size();
        Flood.release(p.server(), held);
        while (next < MESSAGES) {
            Message m = Peers.receive(p.server().group());
            if (Expect.isPoolEmpty(m)) {
                assertThat(m.bhdr().channelNumber()).isEqualTo(p.server().channel());
                poolEmptySignals++;
            } else {
                assertThat(m.bhdr().origin()).as("%s", m).isEqualTo(Origin.APPLICATION);
                assertThat(m.bhdr().opCode()).as("%s", m).isEqualTo(OpCode.REQUEST);
                assertThat(Numbered.seq(m)).as("in order, none lost").isEqualTo(next);
                next++;
            }
            p.server().ampe().put(m);
        }
        long elapsedSeconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(poolEmptySignals).as("POOL_EMPTY signals in %d s (at most one per second)", elapsedSeconds)
                .isLessThanOrEqualTo(1 + (int) elapsedSeconds);
        Expect.quiet(p.server().group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anIdleConnectionHoldsNoPoolMessage(Transport transport) throws Exception {
        Options clientOptions = Options.DEFAULT;
        Pair p = Pair.connect(engines, transport, dir, clientOptions, Flood.TINY_POOL);
        Numbered.post(p.client().ampe(), p.client().group(), p.client().channel(), 100, BODY);
        for (int i = 0; i < 100; i++) {
            Message m = Expect.application(p.server().group(), OpCode.REQUEST, p.server().channel());
            assertThat(Numbered.seq(m)).isEqualTo(i);
            p.server().ampe().put(m);
        }
        Message echo = p.server().message(OpCode.SIGNAL);
        p.server().group().post(echo);
        p.client().ampe().put(Expect.application(p.client().group(), OpCode.SIGNAL, p.client().channel()));

        // Traffic has stopped and everything is back. Two synchronous destroys make sure each engine finished the loop
        // iteration that handled the last put, so nothing transient is counted.
        settle(p.server().ampe());
        settle(p.client().ampe());
        assertPoolHolds(p.server().ampe(), Flood.TINY_POOL.initialPoolMsgs(), true);
        assertPoolHolds(p.client().ampe(), clientOptions.initialPoolMsgs(), false);
    }

    private static void settle(Ampe ampe) {
        ampe.destroy(ampe.create());
        ampe.destroy(ampe.create());
    }

    /**
     * Takes {@code count} messages from the pool without allocating (each must be there) and, if {@code exactly}, checks
     * that there is no other (the pool never keeps more than its maximum); then puts them back, so that the engine's
     * pool is whole again when the test ends.
     */
    private static void assertPoolHolds(Ampe ampe, int count, boolean exactly) {
        List<Message> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = ampe.get(AllocationStrategy.POOL_ONLY);
            assertThat(m).as("pool message %d of %d", i + 1, count).isNotNull();
            taken.add(m);
        }
        if (exactly) {
            assertThat(ampe.get(AllocationStrategy.POOL_ONLY)).as("never more than maxPoolMsgs").isNull();
        }
        taken.forEach(ampe::put);
    }
}
