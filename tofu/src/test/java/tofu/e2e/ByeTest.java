package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;
import tofu.support.Engines;
import tofu.support.Expect;
import tofu.support.Numbered;
import tofu.support.Pair;
import tofu.support.Peers;
import tofu.support.Transport;

/** PROTOCOL.md §6.4, graceful close: everything before the ByeRequest arrives, both sides end with CHANNEL_CLOSED. */
class ByeTest {
    @TempDir
    Path dir;

    private final Engines engines = new Engines();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void cleanUp() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(Peers.WAIT_NANOS, TimeUnit.NANOSECONDS)).isTrue();
        engines.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientByeAfterDataDeliversEverythingThenClosesBothSides(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        byeAfter(p.client(), p.server(), 100, p.helloId());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void serverByeBehindAThousandQueuedMessages(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        byeAfter(p.server(), p.client(), 1000, p.helloId());
    }

    /** {@code from} posts {@code n} messages and a ByeRequest at once; {@code to} gets all, answers, both close. */
    private static void byeAfter(Pair.Side from, Pair.Side to, int n, long helloId) throws InterruptedException {
        Numbered.post(from.ampe(), from.group(), from.channel(), n, 64);
        BinaryHeader bye = from.post(OpCode.BYE_REQUEST);

        for (int i = 0; i < n; i++) {
            Message m = Expect.application(to.group(), OpCode.REQUEST, to.channel());
            assertThat(Numbered.seq(m)).isEqualTo(i);
            to.ampe().put(m);
        }
        Message request = Expect.application(to.group(), OpCode.BYE_REQUEST, to.channel());
        assertThat(request.bhdr().messageId()).isEqualTo(bye.messageId());
        request.bhdr().opCode(OpCode.BYE_RESPONSE);
        to.group().post(request);

        Message response = Expect.application(from.group(), OpCode.BYE_RESPONSE, from.channel());
        assertThat(response.bhdr().messageId()).isEqualTo(bye.messageId());
        Expect.closedSignal(from.group(), from.channel(), helloId);
        Expect.closedSignal(to.group(), to.channel(), helloId);
        Expect.quiet(from.group());
        Expect.quiet(to.group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void peerDataPostedBeforeItsByeResponseIsDelivered(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Pair.Side a = p.client();
        Pair.Side b = p.server();
        BinaryHeader bye = a.post(OpCode.BYE_REQUEST);
        // B is still talking when A's ByeRequest arrives; what B posted before answering must reach A.
        Numbered.post(b.ampe(), b.group(), b.channel(), 200, 64);

        Message request = Expect.application(b.group(), OpCode.BYE_REQUEST, b.channel());
        request.bhdr().opCode(OpCode.BYE_RESPONSE);
        b.group().post(request);

        for (int i = 0; i < 200; i++) {
            Message m = Expect.application(a.group(), OpCode.REQUEST, a.channel());
            assertThat(Numbered.seq(m)).isEqualTo(i);
            a.ampe().put(m);
        }
        Message response = Expect.application(a.group(), OpCode.BYE_RESPONSE, a.channel());
        assertThat(response.bhdr().messageId()).isEqualTo(bye.messageId());
        Expect.closedSignal(a.group(), a.channel(), p.helloId());
        Expect.closedSignal(b.group(), b.channel(), p.helloId());
        Expect.quiet(a.group());
        Expect.quiet(b.group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void simultaneousByeRequestsCompleteOnBothSides(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);

        p.client().post(OpCode.BYE_REQUEST);
        p.server().post(OpCode.BYE_REQUEST);
        CompletableFuture<List<Message>> client = CompletableFuture.supplyAsync(() -> answerByesUntilClosed(p.client()),
                threads);
        CompletableFuture<List<Message>> server = CompletableFuture.supplyAsync(() -> answerByesUntilClosed(p.server()),
                threads);

        for (List<Message> seen : List.of(client.get(2 * Peers.WAIT_NANOS, TimeUnit.NANOSECONDS),
                server.get(2 * Peers.WAIT_NANOS, TimeUnit.NANOSECONDS))) {
            assertThat(seen.stream().filter(Expect::isClosedSignal)).as("exactly one CHANNEL_CLOSED signal").hasSize(1);
            assertThat(seen).as("the peer's ByeRequest").anySatisfy(m -> {
                assertThat(m.bhdr().opCode()).isEqualTo(OpCode.BYE_REQUEST);
                assertThat(m.bhdr().origin()).isEqualTo(Origin.APPLICATION);
            });
            assertThat(seen).as("only bye traffic and the return of a late ByeResponse").allSatisfy(m -> {
                if (Expect.isClosedSignal(m)) {
                    assertThat(m.bhdr().messageId()).isEqualTo(p.helloId());
                } else if (m.bhdr().origin() == Origin.ENGINE) {
                    Expect.assertReport(m, OpCode.BYE_RESPONSE, AmpeStatus.CHANNEL_CLOSED);
                } else {
                    assertThat(m.bhdr().opCode()).isIn(OpCode.BYE_REQUEST, OpCode.BYE_RESPONSE);
                }
            });
        }
    }

    /**
     * Receives on one side until its CHANNEL_CLOSED signal, answering the peer's ByeRequest as an application does,
     * then until the group stays quiet: a ByeResponse the engine took after the teardown comes back after the signal
     * (the closed-channel rule). Returns everything received, the signal included.
     */
    private static List<Message> answerByesUntilClosed(Pair.Side side) {
        List<Message> seen = new ArrayList<>();
        try {
            boolean closed = false;
            while (true) {
                Message m = closed ? side.group().waitReceive(Expect.QUIET_NANOS) : Expect.next(side.group());
                if (m == null) {
                    return seen;
                }
                assertThat(m.bhdr().channelNumber()).isEqualTo(side.channel());
                closed |= Expect.isClosedSignal(m);
                seen.add(m.copy());
                if (m.bhdr().origin() == Origin.APPLICATION && m.bhdr().opCode() == OpCode.BYE_REQUEST) {
                    m.bhdr().opCode(OpCode.BYE_RESPONSE);
                    side.group().post(m);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void messagesPostedAfterTheByeRequestComeBackAtTeardown(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Pair.Side a = p.client();
        Pair.Side b = p.server();

        a.post(OpCode.BYE_REQUEST);
        Numbered.post(a.ampe(), a.group(), a.channel(), 3, 16);

        Message request = Expect.application(b.group(), OpCode.BYE_REQUEST, b.channel());
        request.bhdr().opCode(OpCode.BYE_RESPONSE);
        b.group().post(request);
        // After its ByeResponse, B sends nothing more either.
        Numbered.post(b.ampe(), b.group(), b.channel(), 1, 16);

        Expect.application(a.group(), OpCode.BYE_RESPONSE, a.channel());
        for (int i = 0; i < 3; i++) {
            Message back = Expect.report(a.group(), OpCode.REQUEST, AmpeStatus.CHANNEL_CLOSED);
            assertThat(back.bhdr().channelNumber()).isEqualTo(a.channel());
            assertThat(Numbered.seq(back)).isEqualTo(i);
        }
        Expect.closedSignal(a.group(), a.channel(), p.helloId());
        Expect.quiet(a.group());

        // B's late request comes back (held until teardown, or refused as posted to a closed channel), never sent.
        List<Message> atB = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            atB.add(Expect.next(b.group()));
        }
        assertThat(atB).anySatisfy(m -> Expect.assertClosedSignal(m, b.channel(), p.helloId()));
        assertThat(atB).anySatisfy(m -> {
            Expect.assertReport(m, OpCode.REQUEST, AmpeStatus.CHANNEL_CLOSED);
            assertThat(m.bhdr().channelNumber()).isEqualTo(b.channel());
        });
        Expect.quiet(b.group());
    }
}
