package tofu.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.ChannelStats;
import tofu.EngineStats;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Engines;
import tofu.support.Peers;
import tofu.support.Transport;

/** Reactor.stats() reports what really happened: counts, bytes, channels by kind, returned messages by status. */
class StatsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void countsTrafficChannelsAndReturns(Transport transport) throws Exception {
        try (Reactor reactor = Reactor.create(Engines.withTestTls(Options.DEFAULT))) {
            Ampe ampe = reactor.ampe();
            ChannelGroup server = ampe.create();
            ChannelGroup client = ampe.create();
            Address address = Peers.listen(ampe, server, transport.listenAddress(dir));
            Peers.Link link = Peers.link(ampe, client, server, address);
            int n = 10;
            for (int i = 0; i < n; i++) {
                client.post(Peers.message(ampe, link.clientChannel(), OpCode.SIGNAL, "0123456789"));
            }
            for (int i = 0; i < n; i++) {
                ampe.put(Peers.receive(server));
            }

            EngineStats stats = reactor.stats();
            // hello (client → server), hello response (server → client), n signals of 16 + 10 bytes
            assertThat(stats.messagesIn()).isEqualTo(n + 2);
            assertThat(stats.messagesOut()).isEqualTo(n + 2);
            assertThat(stats.bytesIn()).isEqualTo(stats.bytesOut());
            assertThat(stats.listeners()).isEqualTo(1);
            assertThat(stats.ioChannels()).isEqualTo(2);
            assertThat(stats.groups()).isEqualTo(2);
            assertThat(stats.channels()).extracting(ChannelStats::kind)
                    .containsExactlyInAnyOrder(ChannelStats.Kind.LISTENER, ChannelStats.Kind.CLIENT,
                            ChannelStats.Kind.ACCEPTED);
            ChannelStats accepted = stats.channels().stream()
                    .filter(c -> c.channelNumber() == link.serverChannel()).findFirst().orElseThrow();
            assertThat(accepted.messagesIn()).isEqualTo(n + 1);
            assertThat(accepted.bytesIn()).isGreaterThanOrEqualTo(n * 26L);
            assertThat(stats.uptime()).isPositive();

            Message bye = Peers.message(ampe, link.clientChannel(), OpCode.BYE_SIGNAL, null);
            client.post(bye);
            Message back = Peers.receive(client);
            assertThat(back.bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
            ampe.put(back);
            ampe.put(Peers.receive(client));
            assertThat(reactor.stats().returnedByStatus()).containsEntry(AmpeStatus.CHANNEL_CLOSED, 1L);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void statsAfterCloseThrowShutdownStarted(Transport transport) {
        Reactor reactor = Reactor.create(Engines.withTestTls(Options.DEFAULT));
        reactor.close();
        assertThatThrownBy(reactor::stats).isInstanceOf(AmpeException.class)
                .extracting(e -> ((AmpeException) e).status()).isEqualTo(AmpeStatus.SHUTDOWN_STARTED);
    }
}
