package tofu.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Engines;
import tofu.support.Peers;
import tofu.support.Transport;

/** Records a short flow with JFR and checks that the engine's lifecycle events are there with readable fields. */
class JfrEventsTest {
    private static final List<String> EVENTS = List.of("tofu.EngineStarted", "tofu.EngineStopped",
            "tofu.ListenerStarted", "tofu.ListenerFailed", "tofu.Connected", "tofu.Accepted", "tofu.HandshakeDone",
            "tofu.ChannelClosed", "tofu.ProtocolViolation", "tofu.PoolStarvationBegin", "tofu.PoolStarvationEnd",
            "tofu.HandshakeTimeout", "tofu.TlsHandshakeFailed", "tofu.ConnectionRefused");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void lifecycleEventsAreRecorded(Transport transport) throws Exception {
        Path file = dir.resolve("flow.jfr");
        Address listenOn = transport.listenAddress(dir);
        try (Recording recording = new Recording()) {
            EVENTS.forEach(recording::enable);
            recording.start();
            try (Reactor reactor = Reactor.create(Engines.withTestTls(Options.DEFAULT))) {
                Ampe ampe = reactor.ampe();
                ChannelGroup server = ampe.create();
                ChannelGroup client = ampe.create();
                Address address = Peers.listen(ampe, server, listenOn);
                Peers.Link link = Peers.link(ampe, client, server, address);

                Message again = ampe.get(AllocationStrategy.ALWAYS);
                Address.parseServer(address.value()).format(again);   // the bound address again: must fail
                server.post(again);
                ampe.put(Peers.receive(server));              // WelcomeResponse with LISTEN_FAILED
                ampe.put(Peers.receive(server));              // its CHANNEL_CLOSED signal

                client.post(Peers.message(ampe, link.clientChannel(), OpCode.BYE_SIGNAL, null));
                ampe.put(Peers.receive(client));              // the ByeSignal back
                ampe.put(Peers.receive(client));              // CHANNEL_CLOSED signal
                ampe.put(Peers.receive(server));              // the server's CHANNEL_CLOSED signal
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Set<String> names = events.stream().map(e -> e.getEventType().getName()).collect(Collectors.toSet());
        assertThat(names).contains("tofu.EngineStarted", "tofu.EngineStopped", "tofu.ListenerStarted",
                "tofu.ListenerFailed", "tofu.Connected", "tofu.Accepted", "tofu.HandshakeDone", "tofu.ChannelClosed");
        RecordedEvent started = events.stream().filter(e -> e.getEventType().getName().equals("tofu.ListenerStarted"))
                .findFirst().orElseThrow();
        assertThat(started.getString("address")).startsWith(transport == Transport.UDS ? "uds|"
                : transport.name().toLowerCase() + "|127.0.0.1|");
        RecordedEvent failed = events.stream().filter(e -> e.getEventType().getName().equals("tofu.ListenerFailed"))
                .findFirst().orElseThrow();
        assertThat(failed.getString("status")).isEqualTo("LISTEN_FAILED");
        assertThat(events.stream().filter(e -> e.getEventType().getName().equals("tofu.ChannelClosed"))
                .map(e -> e.getString("reason"))).contains("CHANNEL_CLOSED", "PEER_DISCONNECTED");
    }

    @org.junit.jupiter.api.Test
    void tlsHandshakeFailuresAndRefusedConnectionsAreRecorded() throws Exception {
        Path file = dir.resolve("tls.jfr");
        try (Recording recording = new Recording()) {
            EVENTS.forEach(recording::enable);
            recording.start();
            try (Reactor reactor = Reactor.create(Engines.withTestTls(Options.DEFAULT.withMaxConnections(1)))) {
                Ampe ampe = reactor.ampe();
                ChannelGroup server = ampe.create();
                Address address = Peers.listen(ampe, server, Transport.TLS.listenAddress(dir));
                try (java.nio.channels.SocketChannel first = tofu.support.Endpoints.connectRaw(address)) {
                    first.write(java.nio.ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII)));   // not TLS: the handshake fails
                    java.nio.ByteBuffer alert = java.nio.ByteBuffer.allocate(64);
                    try {
                        while (first.read(alert) >= 0) {
                            alert.clear(); // the engine's alert, then the end of the stream
                        }
                    } catch (java.io.IOException reset) {
                        // or a reset: the handshake failed, the connection is gone either way
                    }
                }
                try (java.nio.channels.SocketChannel held = tofu.support.Endpoints.connectRaw(address);
                        java.nio.channels.SocketChannel refused = tofu.support.Endpoints.connectRaw(address)) {
                    assertThat(refused.read(java.nio.ByteBuffer.allocate(64))).as("refused at once").isEqualTo(-1);
                    assertThat(held.isOpen()).isTrue();
                } catch (java.io.IOException reset) {
                    // a refused connection may end with a reset rather than an end of stream
                }
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        RecordedEvent failed = events.stream().filter(e -> e.getEventType().getName().equals("tofu.TlsHandshakeFailed"))
                .findFirst().orElseThrow();
        assertThat(failed.getString("reason")).startsWith("tls: the client does not speak TLS");
        assertThat(failed.getString("address")).startsWith("tls|127.0.0.1|");
        assertThat(events.stream().map(e -> e.getEventType().getName())).contains("tofu.ConnectionRefused");
    }
}
