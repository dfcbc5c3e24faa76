package tofu.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Origin;
import tofu.support.Expect;

/**
 * A connect to a host whose link drops everything (a black hole: no reset, no ICMP, nothing) fails at
 * {@code Options.connectTimeout} instead of after the kernel's two minutes of SYN retries.
 */
@Tag("netns")
class BlackHoleTest {
    private static final Duration LIMIT = Duration.ofSeconds(1);
    /** Scheduling slack on a busy 2-core machine: the limit itself is kept by the engine's clock. */
    private static final long SLACK_NANOS = TimeUnit.SECONDS.toNanos(3);

    @BeforeEach
    void netns() {
        NetNs.assumeAvailable();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void connectToABlackHoleFailsAtTheLimitWithEverythingPostedBehindIt() throws Exception {
        try (TestHost host = TestHost.create();
                LocalPeer local = LocalPeer.start(Options.DEFAULT.withConnectTimeout(LIMIT))) {
            host.linkDown();
            long start = System.nanoTime();
            for (String ip : List.of(host.hostIpv4(), host.hostIpv6())) {
                int channel = local.dial("tcp|" + ip + "|7099");
                long first = local.signal(channel, 1, 100);
                long second = local.signal(channel, 2, 100);
                List<Message> back = local.untilClosed(channel, TimeUnit.SECONDS.toNanos(1) + SLACK_NANOS);
                long waited = System.nanoTime() - start;
                LocalPeer.measured("connect to a black hole (" + ip + ") failed", start);

                assertThat(back).as("returned messages, then the signal, for %s", ip).hasSize(4);
                String words = "connect timed out after 1 s";
                Expect.assertReport(back.get(0), OpCode.HELLO_REQUEST, AmpeStatus.CONNECT_FAILED);
                assertThat(back.get(0).thdrs().get("~reason")).isEqualTo(words);
                assertThat(back.get(0).thdrs().get("~connect_to")).isEqualTo("tcp|" + ip + "|7099");
                for (int i = 1; i <= 2; i++) {
                    Expect.assertReport(back.get(i), OpCode.SIGNAL, AmpeStatus.CONNECT_FAILED);
                    assertThat(back.get(i).bhdr().messageId()).isEqualTo(i == 1 ? first : second);
                    assertThat(back.get(i).thdrs().get("~reason")).isEqualTo(words);
                }
                Message closed = back.get(3);
                assertThat(closed.bhdr().origin()).isEqualTo(Origin.ENGINE);
                assertThat(closed.thdrs().get("~reason")).isEqualTo("CONNECT_FAILED: " + words);
                assertThat(waited).as("failed at the limit, not before").isGreaterThanOrEqualTo(LIMIT.toNanos());
                start = System.nanoTime();
            }
            assertThat(local.next(Expect.QUIET_NANOS)).as("nothing more").isNull();
        }
    }
}
