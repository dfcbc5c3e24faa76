package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tofu.Address;
import tofu.EngineStats;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.TlsClientAddress;
import tofu.support.Engines;
import tofu.support.Peers;
import tofu.support.TestTls;
import tofu.support.Transport;

/**
 * Hostile peers against a mutual-TLS listener (docs/PROTOCOL.md, secure channels; docs/SECURITY.md): garbage instead
 * of a ClientHello, a storm of half-done handshakes (a real ClientHello, then silence) and a slowloris handshake (a
 * ClientHello one byte at a time), all while a good mutual-TLS client on the same server engine does request/response
 * traffic. The server application hears only the good client; each failed or abandoned handshake costs only its own
 * connection, is counted in {@link EngineStats#admission()}, and descriptors and memory return to where they were.
 */
class TlsHostilePeerTest {
    private static final int GARBAGE = 40;
    private static final int STORM = 300;
    private static final Duration LIMIT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final Engines engines = new Engines();
    private final List<HostilePeer> peers = new ArrayList<>();
    private ServerApp server;

    @AfterEach
    void tearDown() throws InterruptedException {
        peers.forEach(HostilePeer::close);
        if (server != null) {
            server.close();
            assertThat(server.failure()).as("server application thread").isNull();
        }
        engines.close();
    }

    @Test
    void garbageHalfDoneAndSlowHandshakesCostTheGoodClientNothing() throws Exception {
        Reactor serverEngine = engines.start(Options.DEFAULT.withHandshakeTimeout(LIMIT)); // mutual TLS
        server = ServerApp.start(serverEngine, Transport.TLS.listenAddress(dir));
        GoodClient good = GoodClient.connect(engines.start(), server.address);
        good.roundTrips(20, 512); // warm: class loading, JIT, pools
        long fdsBefore = ProcessProbe.openFds();
        long heapBefore = ProcessProbe.heapAfterGc();
        Address target = server.address;
        byte[] clientHello = clientHello(target);
        Random rnd = new Random(Seeds.seed("TlsHostilePeerTest"));

        try (Background traffic = Background.run("good-traffic", () -> good.roundTrips(4, 512))) {
            for (int i = 0; i < GARBAGE; i++) {
                try (HostilePeer p = HostilePeer.connect(target)) {
                    // At least a record header's worth, and a first byte no TLS (or SSLv2) record starts with, so
                    // the engine can tell at once that this is not TLS rather than wait for the rest of a record.
                    byte[] junk = Frames.garbage(rnd, 5 + rnd.nextInt(2048));
                    junk[0] = (byte) rnd.nextInt(20);
                    p.send(junk);
                    assertThat(p.awaitDrop(Peers.WAIT_NANOS)).as("garbage instead of a ClientHello is dropped")
                            .isTrue();
                }
            }
            HostilePeer slowloris = HostilePeer.connect(target);
            peers.add(slowloris);
            int[] sent = {0};
            // The slowloris keeps making progress, one byte of its ClientHello every 100 ms, and never finishes.
            try (Background dribble = Background.paced("slowloris", 100, () -> {
                if (sent[0] < clientHello.length && slowloris.trySend(new byte[] {clientHello[sent[0]]})) {
                    sent[0]++;
                }
            })) {
                for (int i = 0; i < STORM; i++) {
                    HostilePeer p = HostilePeer.connect(target);
                    peers.add(p);
                    p.send(clientHello); // then nothing: the server's answer is never acknowledged
                }
                Await.until("the slowloris dropped by the handshake limit while still sending",
                        () -> serverEngine.stats().admission().handshakeTimeouts() >= 1, serverEngine::stats);
            }
            Await.until("every half-done handshake and the slowloris dropped by the handshake limit", () -> {
                EngineStats s = serverEngine.stats();
                return s.pendingHandshakes() == 0 && s.admission().handshakeTimeouts() == STORM + 1;
            }, serverEngine::stats);
            assertThat(traffic.iterations()).as("good traffic kept flowing").isPositive();
        }
        for (HostilePeer p : peers) {
            assertThat(p.awaitDrop(Peers.WAIT_NANOS)).as("an abandoned handshake is dropped").isTrue();
        }
        peers.forEach(HostilePeer::close);
        peers.clear();

        EngineStats s = serverEngine.stats();
        assertThat(s.admission().tlsHandshakeFailures()).as("%s", s).isEqualTo(GARBAGE);
        assertThat(s.admission().acceptedOpen()).as("only the good client is held").isEqualTo(1);
        assertThat(s.ioChannels()).isEqualTo(1);
        good.roundTrips(20, 1024);
        assertHeardOnlyGoodClient();

        Await.until("descriptors back to where they were", () -> ProcessProbe.openFds() <= fdsBefore + 4,
                ProcessProbe::openFds);
        long heapAfter = ProcessProbe.heapAfterGc();
        assertThat(heapAfter).as("heap after the storm: %s, before %s", ProcessProbe.mib(heapAfter),
                ProcessProbe.mib(heapBefore)).isLessThan(heapBefore + 16L * 1024 * 1024);
    }

    /** A real ClientHello for {@code target}, as a JDK client with the test context would send it. */
    private static byte[] clientHello(Address target) throws SSLException {
        TlsClientAddress a = (TlsClientAddress) target;
        SSLEngine e = TestTls.MUTUAL.createSSLEngine(a.host(), a.port());
        e.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        assertThat(hello[0]).as("a handshake record").isEqualTo((byte) 22);
        return hello;
    }

    private void assertHeardOnlyGoodClient() {
        List<ServerApp.Heard> heard = server.heard();
        Set<Integer> goodChannels = heard.stream()
                .filter(h -> h.op() == OpCode.HELLO_REQUEST && GoodClient.NAME.equals(h.who()))
                .map(ServerApp.Heard::channel).collect(Collectors.toSet());
        assertThat(goodChannels).hasSize(1);
        assertThat(heard).as("the server application hears only the good client").allSatisfy(h -> {
            assertThat(h.channel()).isIn(goodChannels);
            assertThat(h.closedSignal()).isFalse();
        });
    }
}
