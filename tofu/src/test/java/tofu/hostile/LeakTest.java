package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.EngineStats;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Engines;
import tofu.support.Endpoints;
import tofu.support.Expect;
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * Leak checks: many cycles of create / connect / exchange / close leave the process where it started — the same
 * number of open file descriptors (a small fixed tolerance for descriptors the JVM opens on its own, never growth
 * proportional to the cycles), no {@code tofu-*} thread, and every pool message back home; failed connects leak no
 * socket.
 */
class LeakTest {
    private static final int CYCLES = 50;
    private static final int FD_TOLERANCE = 3;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void engineLifecyclesLeakNoDescriptorThreadOrMessage(Transport transport) throws Exception {
        Set<Thread> threadsBefore = ProcessProbe.tofuThreads();
        for (int i = 0; i < 3; i++) {
            engineCycle(transport); // warm-up: class loading and JIT open files of their own
        }
        long fds = ProcessProbe.openFds();
        for (int i = 0; i < CYCLES; i++) {
            engineCycle(transport);
        }
        assertNoGrowth("engine cycles", fds);
        Await.until("no tofu thread left", () -> {
            Set<Thread> now = ProcessProbe.tofuThreads();
            now.removeAll(threadsBefore);
            return now.isEmpty();
        }, ProcessProbe::tofuThreads);
    }

    /** Two engines, a listener, a link, ten round trips, a bye, both groups destroyed, both engines closed. */
    private void engineCycle(Transport transport) throws InterruptedException {
        Options tls = Engines.withTestTls(Options.DEFAULT);
        try (Reactor server = Reactor.create(tls); Reactor client = Reactor.create(tls)) {
            ChannelGroup sg = server.ampe().create();
            ChannelGroup cg = client.ampe().create();
            Peers.Link link = Peers.link(client.ampe(), cg, sg, Peers.listen(server.ampe(), sg,
                    transport.listenAddress(dir)));
            exchange(client.ampe(), cg, server.ampe(), sg, link, 10);
            bye(client.ampe(), cg, server.ampe(), sg, link);
            server.ampe().destroy(sg);
            client.ampe().destroy(cg);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void groupAndChannelCyclesOnLongLivedEnginesReturnEveryMessage(Transport transport) throws Exception {
        Options pool = new Options(32, 1024);
        try (Reactor server = Reactor.create(Engines.withTestTls(pool));
                Reactor client = Reactor.create(Engines.withTestTls(pool))) {
            channelCycle(transport, server, client);
            long fds = ProcessProbe.openFds();
            for (int i = 0; i < CYCLES; i++) {
                channelCycle(transport, server, client);
            }
            assertNoGrowth("group and channel cycles", fds);
            for (Reactor r : new Reactor[] {server, client}) {
                Await.until("nothing open and every message back in the pool", () -> idle(r.stats()), r::stats);
            }
        }
    }

    /** Nothing open, and the pool holds at least its initial messages: none is stuck in the engine. */
    private static boolean idle(EngineStats s) {
        return s.groups() == 0 && s.listeners() == 0 && s.ioChannels() == 0 && s.pendingHandshakes() == 0
                && s.poolSize() >= 32;
    }

    private void channelCycle(Transport transport, Reactor server, Reactor client) throws InterruptedException {
        ChannelGroup sg = server.ampe().create();
        ChannelGroup cg = client.ampe().create();
        Peers.Link link = Peers.link(client.ampe(), cg, sg, Peers.listen(server.ampe(), sg,
                transport.listenAddress(dir)));
        exchange(client.ampe(), cg, server.ampe(), sg, link, 20);
        bye(client.ampe(), cg, server.ampe(), sg, link);
        server.ampe().destroy(sg);
        client.ampe().destroy(cg);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void failedConnectsLeakNoSocket(Transport transport) throws Exception {
        try (Reactor client = Reactor.create(Engines.withTestTls(Options.DEFAULT))) {
            ChannelGroup cg = client.ampe().create();
            Address refused = Endpoints.abandonedServer(transport, dir).asClient();
            Address missing = Endpoints.missingTarget(transport, dir);
            failConnects(client.ampe(), cg, refused, 3);
            long fds = ProcessProbe.openFds();
            failConnects(client.ampe(), cg, refused, CYCLES);
            failConnects(client.ampe(), cg, missing, CYCLES);
            assertNoGrowth("failed connects", fds);
            Await.until("no channel left", () -> client.stats().ioChannels() == 0, client::stats);
        }
    }

    /** Posts {@code n} HelloRequests that must fail and consumes their reports and CHANNEL_CLOSED signals. */
    private static void failConnects(Ampe ampe, ChannelGroup g, Address to, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            Message hello = ampe.get(AllocationStrategy.ALWAYS);
            to.format(hello);
            int channel = g.post(hello).channelNumber();
            Message report = Expect.next(g);
            assertThat(report.isFromEngine()).as("%s", report).isTrue();
            assertThat(report.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
            ampe.put(report);
            Message closed = Expect.next(g);
            assertThat(Expect.isClosedSignal(closed)).as("%s", closed).isTrue();
            assertThat(closed.bhdr().channelNumber()).isEqualTo(channel);
            ampe.put(closed);
        }
    }

    private static void exchange(Ampe ca, ChannelGroup cg, Ampe sa, ChannelGroup sg, Peers.Link link, int n)
            throws InterruptedException {
        for (int i = 0; i < n; i++) {
            cg.post(Tags.tag(Peers.message(ca, link.clientChannel(), OpCode.REQUEST, null), i, 256));
            Message req = Expect.application(sg, OpCode.REQUEST, link.serverChannel());
            req.bhdr().opCode(OpCode.RESPONSE);
            sg.post(req);
            Message resp = Expect.application(cg, OpCode.RESPONSE, link.clientChannel());
            assertThat(Tags.of(resp)).isEqualTo(i);
            ca.put(resp);
        }
    }

    /** Graceful close: the client's ByeRequest, the server's ByeResponse, then both CHANNEL_CLOSED signals. */
    private static void bye(Ampe ca, ChannelGroup cg, Ampe sa, ChannelGroup sg, Peers.Link link)
            throws InterruptedException {
        cg.post(Peers.message(ca, link.clientChannel(), OpCode.BYE_REQUEST, null));
        Message req = Expect.application(sg, OpCode.BYE_REQUEST, link.serverChannel());
        req.bhdr().opCode(OpCode.BYE_RESPONSE);
        sg.post(req);
        ca.put(Expect.application(cg, OpCode.BYE_RESPONSE, link.clientChannel()));
        Message c = Expect.next(cg);
        assertThat(Expect.isClosedSignal(c)).as("%s", c).isTrue();
        ca.put(c);
        Message s = Expect.next(sg);
        assertThat(Expect.isClosedSignal(s)).as("%s", s).isTrue();
        sa.put(s);
    }

    private static void assertNoGrowth(String what, long baseline) {
        Await.until(what + ": open descriptors back to " + baseline + " ± " + FD_TOLERANCE,
                () -> Math.abs(ProcessProbe.openFds() - baseline) <= FD_TOLERANCE, ProcessProbe::openFds);
    }
}
