package tofu.examples;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import tofu.Address;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 3 — several requests outstanding at once, answered out of order, matched by message id.
 *
 * <p>{@code post} returns the message id it assigned; a response carries the id of its request. The client keeps a
 * map from id to what it asked, so the order in which answers come back does not matter. To make that visible the
 * server holds the whole batch and answers it backwards.
 */
public final class RequestResponseCorrelation {
    /**
     * One matched pair, in the order the responses arrived.
     *
     * @param messageId the id shared by request and response
     * @param question  the number the client sent
     * @param answer    the number the server returned (its square)
     */
    public record Exchange(long messageId, long question, long answer) {
    }

    /**
     * What the client saw.
     *
     * @param sentIds   the message ids in the order the requests were posted
     * @param exchanges the matched pairs in the order the responses arrived
     */
    public record Result(List<Long> sentIds, List<Exchange> exchanges) {
    }

    private RequestResponseCorrelation() {
    }

    /** Runs the recipe on the transport named by the first argument ({@code tcp} by default). */
    public static void main(String[] args) throws Exception {
        Result result = run(Transport.listenAddressFrom(args.length > 0 ? args[0] : "tcp"), 5);
        Examples.log("client", "sent ids %s", result.sentIds());
        Examples.log("client", "answers %s", result.exchanges());
    }

    /** Sends {@code batch} requests without waiting, then matches the responses to them by message id. */
    public static Result run(Address listenOn, int batch) throws InterruptedException {
        try (Reactor serverReactor = Reactor.create(); Reactor clientReactor = Reactor.create()) {
            ChannelGroup serverGroup = serverReactor.ampe().create();
            Address server = Channels.listen(serverReactor.ampe(), serverGroup, listenOn, Examples.WAIT).dialAddress();
            Future<Void> serving = Examples.inThread("server", () -> {
                Ampe serverAmpe = serverReactor.ampe();
                ServerLoop.serve(serverAmpe, serverGroup, 1, new BackwardsSquarer(serverAmpe, serverGroup, batch));
                return null;
            });

            Ampe ampe = clientReactor.ampe();
            ChannelGroup client = ampe.create();
            int channel = Channels.connect(ampe, client, server, Examples.WAIT);

            // Post the whole batch at once; remember what each message id asked.
            Map<Long, Long> outstanding = new HashMap<>();
            List<Long> sentIds = new ArrayList<>();
            for (long question = 1; question <= batch; question++) {
                long id = client.post(Examples.message(ampe, channel, OpCode.REQUEST, Long.toString(question)))
                        .messageId();
                outstanding.put(id, question);
                sentIds.add(id);
            }

            List<Exchange> exchanges = new ArrayList<>();
            while (!outstanding.isEmpty()) {
                Message m = Examples.receive(ampe, client);
                if (m.isFromEngine()) {
                    throw Examples.failure(ampe, m, "while waiting for answers");
                }
                long id = m.bhdr().messageId();
                Long question = outstanding.remove(id); // the correlation: the response's id names its request
                if (question == null) {
                    throw new IllegalStateException("response to a request we never sent: id " + id);
                }
                long answer = Long.parseLong(m.body().asString());
                Examples.log("client", "id %d: %d -> %d", id, question, answer);
                exchanges.add(new Exchange(id, question, answer));
                ampe.put(m);
            }
            Examples.bye(ampe, client, channel);
            Examples.await(serving);
            return new Result(sentIds, exchanges);
        }
    }

    /**
     * Holds requests until a batch is complete, then answers them last-in first-out with the square.
     *
     * <p>It keeps what it needs from each request, not the message: received messages come from the engine's pool,
     * and an engine whose pool is empty stops reading (POOL_EMPTY) until messages are put back. Holding a batch
     * bigger than the pool would then wait forever for requests that are never read.
     */
    private static final class BackwardsSquarer implements ServerLoop.Handler {
        private record Pending(int channel, long messageId, long question) {
        }

        private final Ampe ampe;
        private final ChannelGroup group;
        private final int batch;
        private final Deque<Pending> held = new ArrayDeque<>();

        BackwardsSquarer(Ampe ampe, ChannelGroup group, int batch) {
            this.ampe = ampe;
            this.group = group;
            this.batch = batch;
        }

        @Override
        public void handle(Message request) {
            held.push(new Pending(request.bhdr().channelNumber(), request.bhdr().messageId(),
                    Long.parseLong(request.body().asString())));
            ampe.put(request);
            if (held.size() < batch) {
                return;
            }
            while (!held.isEmpty()) {
                Pending p = held.pop();
                Message response = Examples.message(ampe, p.channel(), OpCode.RESPONSE,
                        Long.toString(p.question() * p.question()));
                response.bhdr().messageId(p.messageId()); // the correlation: a response carries its request's id
                group.post(response);
            }
        }
    }
}
