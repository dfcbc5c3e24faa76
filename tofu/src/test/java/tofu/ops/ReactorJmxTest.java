package tofu.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.EngineStats;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.ReactorJmx;
import tofu.ReactorMXBean;
import tofu.support.Engines;
import tofu.support.Peers;
import tofu.support.Transport;

/** The engine's MXBean: registered only on request, read through the MBean server, unregistered on close. */
class ReactorJmxTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void attributesAreTheEngineFigures(Transport transport) throws Exception {
        try (Reactor reactor = Reactor.create(Engines.withTestTls(Options.DEFAULT));
             ReactorJmx.Registration jmx = ReactorJmx.register(reactor, "jmx-test-" + transport)) {
            ObjectName name = jmx.objectName();
            assertThat(name.toString()).isEqualTo("dev.tofu:type=Reactor,name=jmx-test-" + transport);
            Ampe ampe = reactor.ampe();
            ChannelGroup server = ampe.create();
            ChannelGroup client = ampe.create();
            Address address = Peers.listen(ampe, server, transport.listenAddress(dir));
            Peers.Link link = Peers.link(ampe, client, server, address);
            client.post(Peers.message(ampe, link.clientChannel(), OpCode.SIGNAL, "through JMX"));
            ampe.put(Peers.receive(server));

            EngineStats stats = reactor.stats();
            assertThat(SERVER.getAttribute(name, "Running")).isEqualTo(true);
            assertThat(SERVER.getAttribute(name, "MessagesIn")).isEqualTo(3L).isEqualTo(stats.messagesIn());
            assertThat(SERVER.getAttribute(name, "MessagesOut")).isEqualTo(stats.messagesOut());
            assertThat(SERVER.getAttribute(name, "BytesIn")).isEqualTo(stats.bytesIn());
            assertThat(SERVER.getAttribute(name, "Groups")).isEqualTo(2);
            assertThat(SERVER.getAttribute(name, "Listeners")).isEqualTo(1);
            assertThat(SERVER.getAttribute(name, "IoChannels")).isEqualTo(2);
            assertThat(SERVER.getAttribute(name, "PendingHandshakes")).isEqualTo(0);
            assertThat((Long) SERVER.getAttribute(name, "UptimeMillis")).isNotNegative();

            CompositeData[] channels = (CompositeData[]) SERVER.getAttribute(name, "Channels");
            assertThat(channels).extracting(c -> c.get("kind"))
                    .containsExactlyInAnyOrder("LISTENER", "CLIENT", "ACCEPTED");
            CompositeData accepted = Arrays.stream(channels)
                    .filter(c -> c.get("channelNumber").equals(link.serverChannel())).findFirst().orElseThrow();
            assertThat(accepted.get("messagesIn")).as("hello and the signal").isEqualTo(2L);
            assertThat(accepted.get("address")).isEqualTo(address.value());
            assertThat(accepted.get("readState")).isEqualTo("READING");
            assertThat(SERVER.getAttribute(name, "SendQueueRefusals")).isEqualTo(stats.limits().sendQueueRefusals());
            assertThat(SERVER.getAttribute(name, "FrameTimeouts")).isEqualTo(0L);
            assertThat(SERVER.getAttribute(name, "ReceiveAllocations")).isEqualTo(stats.limits().receiveAllocations());
            assertThat(SERVER.getAttribute(name, "EngineAllocatedOut")).isEqualTo(0);

            client.post(Peers.message(ampe, link.clientChannel(), OpCode.BYE_SIGNAL, null));
            Message back = Peers.receive(client);
            assertThat(back.bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
            ampe.put(back);
            TabularData returned = (TabularData) SERVER.getAttribute(name, "ReturnedByStatus");
            assertThat(returned.get(new Object[] {"CHANNEL_CLOSED"}).get("value")).isEqualTo(1L);
            assertThat(SERVER.getAttribute(name, "ReturnedTotal")).isEqualTo(1L);
        }
    }

    @Test
    void aProxySeesTheSameAndAClosedEngineKeepsItsLastFigures() throws Exception {
        Reactor reactor = Reactor.create();
        try (ReactorJmx.Registration jmx = ReactorJmx.register(reactor)) {
            ReactorMXBean proxy = JMX.newMXBeanProxy(SERVER, jmx.objectName(), ReactorMXBean.class);
            ChannelGroup group = reactor.ampe().create();
            Peers.listen(reactor.ampe(), group, Transport.TCP.listenAddress(dir));
            assertThat(proxy.isRunning()).isTrue();
            assertThat(proxy.getListeners()).isEqualTo(1);
            List<ReactorMXBean.ChannelInfo> channels = proxy.getChannels();
            assertThat(channels).singleElement().satisfies(c -> {
                assertThat(c.getKind()).isEqualTo("LISTENER");
                assertThat(c.getAddress()).startsWith("tcp|127.0.0.1|");
            });
            int pool = proxy.getPoolSize();

            reactor.close();
            assertThat(proxy.isRunning()).isFalse();
            assertThat(proxy.getListeners()).as("last figures read").isEqualTo(1);
            assertThat(proxy.getPoolSize()).isEqualTo(pool);
            assertThat(proxy.getChannels()).as("a closed engine has no open channel").isEmpty();
        }
    }

    @Test
    void nothingIsRegisteredUnlessAsked() throws Exception {
        ObjectName all = new ObjectName(ReactorJmx.DOMAIN + ":*");
        try (Reactor reactor = Reactor.create()) {
            reactor.ampe().create();
            assertThat(SERVER.queryNames(all, null)).isEmpty();
            ReactorJmx.Registration jmx = ReactorJmx.register(reactor);
            assertThat(SERVER.queryNames(all, null)).containsExactly(jmx.objectName());
            assertThat(jmx.objectName().getKeyProperty("name")).matches("reactor-\\d+");

            jmx.close();
            jmx.close();
            assertThat(SERVER.queryNames(all, null)).isEmpty();
        }
    }

    @Test
    void namesAreUniqueAndQuotedWhenNeeded() {
        try (Reactor reactor = Reactor.create();
             ReactorJmx.Registration odd = ReactorJmx.register(reactor, "orders, eu=1")) {
            assertThat(ObjectName.unquote(odd.objectName().getKeyProperty("name"))).isEqualTo("orders, eu=1");
            assertThatThrownBy(() -> ReactorJmx.register(reactor, "orders, eu=1"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
            assertThatThrownBy(() -> ReactorJmx.register(reactor, "")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ReactorJmx.register(null, "x")).isInstanceOf(NullPointerException.class);
        }
    }
}
