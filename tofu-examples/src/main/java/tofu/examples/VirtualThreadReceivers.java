package tofu.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tofu.Address;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 13 — virtual threads: one virtual thread per group receiver, and callers that post from their own threads,
 * as many as the application likes.
 *
 * <p>A group has one receiver; with virtual threads it costs nothing to give each group its own, blocked in
 * {@code waitReceive} (tofu parks there, it never waits on a monitor, so the carrier thread is free meanwhile).
 * Callers post from any thread and wait for their answer on something of their own — here a
 * {@link CompletableFuture} found by the message id the caller chose — which the group's receiver completes. The
 * receivers end when the engine closes: {@code waitReceive} then throws SHUTDOWN_STARTED.
 *
 * <p>Runs on Java 17 too: {@link VirtualThreads} falls back to platform threads where virtual threads do not exist.
 */
public final class VirtualThreadReceivers {
    private static final long ANSWER_SECONDS = 20;

    /**
     * What happened.
     *
     * @param virtual  whether the receivers and callers ran on virtual threads (JDK 21+) or platform threads
     * @param calls    requests posted
     * @param answered requests that got their own echo back
     */
    public record Result(boolean virtual, int calls, int answered) {
    }

    /** A client group: its connection, and the calls waiting for an answer, by message id. */
    private record Client(ChannelGroup group, int channel, Map<Long, CompletableFuture<String>> pending) {
    }

    private VirtualThreadReceivers() {
    }

    /** Runs the recipe on the transport named by the first argument ({@code tcp} by default). */
    public static void main(String[] args) throws Exception {
        Result r = run(Transport.listenAddressFrom(args.length > 0 ? args[0] : "tcp"), 4, 1_000, 5);
        Examples.log("main", "%s threads: %d of %d calls answered", r.virtual() ? "virtual" : "platform",
                r.answered(), r.calls());
    }

    /** {@code callers} threads each make {@code callsEach} calls through {@code groups} client groups. */
    public static Result run(Address listenOn, int groups, int callers, int callsEach) throws InterruptedException {
        AtomicInteger answered = new AtomicInteger();
        try (Reactor serverEngine = Reactor.create(); Reactor clientEngine = Reactor.create()) {
            Ampe sa = serverEngine.ampe();
            ChannelGroup server = sa.create();
            Address dial = Channels.listen(sa, server, listenOn, Examples.WAIT).dialAddress();
            VirtualThreads.start("server-receiver", () -> echo(sa, server));

            Ampe ca = clientEngine.ampe();
            List<Client> clients = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                ChannelGroup group = ca.create();
                int channel = Channels.connect(ca, group, dial, Examples.WAIT); // before its receiver starts
                Client client = new Client(group, channel, new ConcurrentHashMap<>());
                VirtualThreads.start("receiver-" + g, () -> dispatch(ca, client)); // its one receiver, from now on
                clients.add(client);
            }

            AtomicLong ids = new AtomicLong();
            CountDownLatch done = new CountDownLatch(callers);
            for (int c = 0; c < callers; c++) {
                Client client = clients.get(c % groups);
                int caller = c;
                VirtualThreads.start("caller-" + c, () -> {
                    try {
                        for (int i = 0; i < callsEach; i++) {
                            String question = caller + "/" + i;
                            if (question.equals(call(ca, client, ids.incrementAndGet(), question))) {
                                answered.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        Examples.log("caller", "%d failed: %s", caller, e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            if (!done.await(2 * ANSWER_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("callers did not finish in time");
            }
        } // closing the engines ends every receiver
        return new Result(VirtualThreads.available(), callers * callsEach, answered.get());
    }

    /** Posts a request from the calling thread and waits for its answer, which the group's receiver hands over. */
    private static String call(Ampe ampe, Client client, long id, String body)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<String> answer = new CompletableFuture<>();
        client.pending().put(id, answer); // before posting: the answer may come back at once
        Message request = Examples.message(ampe, client.channel(), OpCode.REQUEST, body);
        request.bhdr().messageId(id); // ids the caller chooses are kept; the response carries the same one
        client.group().post(request);
        return answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    /** A client group's receiver: completes the call each response answers. */
    private static void dispatch(Ampe ampe, Client client) {
        try {
            while (true) {
                Message m = client.group().waitReceive(ChannelGroup.INFINITE_TIMEOUT);
                if (!m.isFromEngine() && m.bhdr().opCode() == OpCode.RESPONSE) {
                    CompletableFuture<String> call = client.pending().remove(m.bhdr().messageId());
                    if (call != null) {
                        call.complete(m.body().asString());
                    }
                } else if (m.isFromEngine() && m.bhdr().status() != AmpeStatus.POOL_EMPTY) {
                    Examples.log("engine", "%s %s on channel %d", m.bhdr().opCode(), m.bhdr().status(),
                            m.bhdr().channelNumber());
                }
                ampe.put(m);
            }
        } catch (AmpeException closed) {
            // SHUTDOWN_STARTED: the engine closed; nothing left to receive
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server group's receiver: accepts connections and echoes each request as its response. */
    private static void echo(Ampe ampe, ChannelGroup group) {
        try {
            while (true) {
                Message m = group.waitReceive(ChannelGroup.INFINITE_TIMEOUT);
                if (m.isFromEngine()) {
                    ampe.put(m); // closing signals, POOL_EMPTY notices
                } else if (m.bhdr().opCode() == OpCode.HELLO_REQUEST) {
                    Examples.accept(group, m);
                } else if (m.bhdr().opCode() == OpCode.REQUEST) {
                    m.bhdr().opCode(OpCode.RESPONSE);
                    group.post(m); // the request becomes its response in place: channel and message id kept
                } else {
                    ampe.put(m);
                }
            }
        } catch (AmpeException closed) {
            // SHUTDOWN_STARTED
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
