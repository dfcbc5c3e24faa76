package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Transport;

/**
 * Addresses that pass the syntax check of {@code post} (PROTOCOL.md §4) but that the operating system cannot use: a UDS
 * listener in a missing directory or on a regular file, a client path that is missing or a regular file; and a NUL,
 * which post refuses outright. Each must fail only its own channel — the request comes back with a status, then CHANNEL_CLOSED — while a
 * live link of another group on the same engine keeps working.
 */
class HostileAddressTest extends EngineTest {
    private static final Set<AmpeStatus> CONNECT_FAILURES = Set.of(AmpeStatus.INVALID_ADDRESS,
            AmpeStatus.UDS_PATH_NOT_FOUND, AmpeStatus.CONNECT_FAILED);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unusableClientAddressesFailOnlyTheirOwnChannel(Transport transport) throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "not a socket");
        run(transport, List.of("uds|" + dir + "/missing", "uds|" + file), true);
    }

    /** A NUL can never name a socket or a host: post refuses it at once, and the engine never sees it. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void nulInAnAddressIsRefusedByPost(Transport transport) throws Exception {
        Reactor engine = engines.start();
        ServerApp server = ServerApp.start(engines.start(), transport.listenAddress(dir));
        GoodClient good = GoodClient.connect(engine, server.address);
        ChannelGroup g = engine.ampe().create();
        List<Address> addresses = List.of(Address.udsClient(dir + "/nul\u0000inside"),
                Address.tcpClient("nul\u0000host", 80), Address.udsServer(dir + "/nul\u0000inside"),
                Address.tcpServer("nul\u0000host", 0));
        for (Address address : addresses) {
            assertThatThrownBy(() -> Address.parseClient(address.value())).isInstanceOf(AmpeException.class)
                    .extracting(e -> ((AmpeException) e).status()).isEqualTo(AmpeStatus.INVALID_ADDRESS);
            Message m = engine.ampe().get(AllocationStrategy.ALWAYS);
            address.format(m);
            assertThatThrownBy(() -> g.post(m)).isInstanceOf(AmpeException.class)
                    .extracting(e -> ((AmpeException) e).status()).isEqualTo(AmpeStatus.INVALID_ADDRESS);
            engine.ampe().put(m);
            good.roundTrips(2, 64);
        }
        assertThat(g.waitReceive(0)).isNull();
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unusableListenAddressesFailOnlyTheirOwnChannel(Transport transport) throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "not a socket");
        run(transport, List.of("uds|" + dir + "/missing-dir/l.sock", "uds|" + file), false);
    }

    /** Posts each address from a group of an engine that also runs a good client, which must keep working. */
    private void run(Transport transport, List<String> values, boolean client) throws Exception {
        Reactor engine = engines.start();
        ServerApp server = ServerApp.start(engines.start(), transport.listenAddress(dir));
        GoodClient good = GoodClient.connect(engine, server.address);
        ChannelGroup g = engine.ampe().create();
        for (String value : values) {
            if (client) {
                expectFailure(engine, g, Address.parseClient(value), OpCode.HELLO_REQUEST, CONNECT_FAILURES);
            } else {
                expectFailure(engine, g, Address.parseServer(value), OpCode.WELCOME_RESPONSE,
                        Set.of(AmpeStatus.INVALID_ADDRESS, AmpeStatus.LISTEN_FAILED));
            }
            good.roundTrips(2, 64);
        }
        server.close();
    }

    private static void expectFailure(Reactor engine, ChannelGroup g, Address address, OpCode reportOp,
                                      Set<AmpeStatus> allowed) throws InterruptedException {
        Message m = engine.ampe().get(AllocationStrategy.ALWAYS);
        address.format(m);
        int channel = g.post(m).channelNumber();
        Message report = Expect.next(g);
        String shown = address.value().replace('\u0000', '@');
        assertThat(report.isFromEngine()).as("%s: %s", shown, report).isTrue();
        assertThat(report.bhdr().opCode()).as("%s", shown).isEqualTo(reportOp);
        assertThat(report.bhdr().status()).as("%s", shown).isIn(allowed);
        engine.ampe().put(report);
        Message closed = Expect.next(g);
        assertThat(Expect.isClosedSignal(closed)).as("%s: %s", shown, closed).isTrue();
        assertThat(closed.bhdr().channelNumber()).isEqualTo(channel);
        engine.ampe().put(closed);
    }
}
