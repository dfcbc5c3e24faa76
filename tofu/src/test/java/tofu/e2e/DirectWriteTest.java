package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.internal.EngineProbe;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Pair;
import tofu.support.Transport;

/**
 * Posts that a posting thread writes straight to an idle channel's socket (the direct write, TCP and UDS; TLS always
 * goes through the engine) keep the contract: per-thread FIFO on the channel when two threads post on it at once,
 * with the engine busy at times and idle at others, nothing lost, and figures that count every frame.
 */
class DirectWriteTest extends EngineTest {
    private static final int POSTERS = 2;
    private static final int PER_POSTER = 400;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void twoThreadsPostingOnOneChannelKeepTheirOrderWhetherTheEngineOrThePosterWrites(Transport transport)
            throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        long directBefore = EngineProbe.directWrites(p.client().reactor());
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Semaphore[] arrived = new Semaphore[POSTERS];
        List<Thread> posters = new ArrayList<>();
        for (int t = 0; t < POSTERS; t++) {
            arrived[t] = new Semaphore(0);
            int poster = t;
            Thread thread = new Thread(() -> post(p, poster, arrived[poster]), "poster-" + t);
            thread.setUncaughtExceptionHandler((th, e) -> failures.add(e));
            thread.start();
            posters.add(thread);
        }

        int[] next = new int[POSTERS];
        for (int i = 0; i < POSTERS * PER_POSTER; i++) {
            Message got = Expect.application(p.server().group(), OpCode.REQUEST, p.server().channel());
            ByteBuffer body = got.body().asReadOnlyBuffer();
            int poster = body.getInt();
            int seq = body.getInt();
            assertThat(seq).as("poster %d's posts arrive in its order", poster).isEqualTo(next[poster]);
            next[poster]++;
            p.server().ampe().put(got);
            arrived[poster].release();
        }
        for (Thread t : posters) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(failures).isEmpty();
        Expect.quiet(p.server().group());
        Expect.quiet(p.client().group());

        long direct = EngineProbe.directWrites(p.client().reactor()) - directBefore;
        if (transport == Transport.TLS) {
            assertThat(direct).as("TLS channels are written by the engine only").isZero();
        } else {
            assertThat(direct).as("idle moments were written by the posters").isPositive();
        }
        assertThat(p.client().reactor().stats().channels().stream()
                .filter(c -> c.channelNumber() == p.client().channel()).findFirst().orElseThrow().messagesOut())
                .as("the hello and every post, however written").isEqualTo(1 + POSTERS * PER_POSTER);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void withTheSwitchOffEveryFrameIsWrittenByTheEngine(Transport transport) throws Exception {
        Options off = Options.DEFAULT.withDirectWrite(false);
        Pair p = Pair.connect(engines, transport, dir, off, off);
        for (int i = 0; i < 50; i++) {
            BinaryHeader posted = p.client().post(OpCode.REQUEST);
            Message got = Expect.application(p.server().group(), OpCode.REQUEST, p.server().channel());
            assertThat(got.bhdr().messageId()).isEqualTo(posted.messageId());
            p.server().ampe().put(got);
        }
        assertThat(EngineProbe.directWrites(p.client().reactor())).isZero();
    }

    /** Posts in seeded bursts; after a burst, waits until the server has all of it, so the engine goes idle. */
    private static void post(Pair p, int poster, Semaphore arrived) {
        SplittableRandom random = new SplittableRandom(31L * poster + 7);
        int unconfirmed = 0;
        for (int seq = 0; seq < PER_POSTER; seq++) {
            Message m = p.client().message(OpCode.REQUEST);
            m.body().append(ByteBuffer.allocate(8).putInt(poster).putInt(seq).flip());
            assertThat(p.client().group().post(m).status()).isEqualTo(AmpeStatus.SUCCESS);
            unconfirmed++;
            if (random.nextInt(3) == 0) {
                try {
                    assertThat(arrived.tryAcquire(unconfirmed, 20, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                unconfirmed = 0;
            }
        }
    }
}
