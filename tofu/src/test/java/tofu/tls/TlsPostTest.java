package tofu.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.Options;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Rejections;
import tofu.support.TestTls;

/**
 * {@code tls|} addresses need an engine with TLS: {@code post} refuses them otherwise, and the caller keeps the
 * message; the TLS and connection-limit switches of {@link Options}.
 */
class TlsPostTest extends EngineTest {

    @Test
    void aTlsAddressOnAnEngineWithoutTlsIsNotAllowed() throws Exception {
        Ampe ampe = engines.startWithoutTls(Options.DEFAULT).ampe();
        ChannelGroup group = ampe.create();
        for (Address a : new Address[] {Address.tlsClient("127.0.0.1", 7443), Address.tlsServer("127.0.0.1", 0)}) {
            Message m = ampe.get(AllocationStrategy.ALWAYS);
            m.thdrs().append("Job", "7");
            m.body().append("kept");
            a.format(m);
            Rejections.assertRejected(group, m, AmpeStatus.NOT_ALLOWED);
            assertThat(m.thdrs().get("Job")).isEqualTo("7");
        }
        Expect.quiet(group);
    }

    @Test
    void optionsCarryTlsAndTheConnectionLimit() {
        Options o = Options.DEFAULT.withTls(TestTls.MUTUAL, true).withMaxConnections(5);
        assertThat(o.tlsContext()).isSameAs(TestTls.MUTUAL);
        assertThat(o.requireClientCertificate()).isTrue();
        assertThat(o.maxConnections()).isEqualTo(5);
        assertThat(o).isEqualTo(Options.DEFAULT.withMaxConnections(5).withTls(TestTls.MUTUAL, true))
                .hasSameHashCodeAs(Options.DEFAULT.withMaxConnections(5).withTls(TestTls.MUTUAL, true))
                .isNotEqualTo(o.withTls(TestTls.MUTUAL, false)).isNotEqualTo(o.withoutTls())
                .isNotEqualTo(o.withTls(TestTls.trustOnly(), true));
        assertThat(o.toString()).contains("maxConnections=5").contains("requiring client certificates");
        assertThat(o.withoutTls().tlsContext()).isNull();
        assertThat(o.withoutTls().requireClientCertificate()).isFalse();
        assertThat(Options.DEFAULT.maxConnections()).isZero();
        assertThat(Options.DEFAULT.tlsContext()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.DEFAULT.withMaxConnections(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.DEFAULT.withTls(null, true))
                .isInstanceOf(NullPointerException.class);
    }
}
