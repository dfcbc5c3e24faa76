package tofu.examples;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import tofu.Address;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 11 — graceful shutdown: nothing in flight is lost.
 *
 * <p>The client posts a batch of requests and, without waiting, a ByeRequest right behind them. The ByeRequest is
 * written after everything queued before it, and the server answers it only after the requests ahead of it, so every
 * answer reaches the client before the ByeResponse. Anything the client posts after its ByeRequest is not sent: it
 * comes back with CHANNEL_CLOSED when the channel closes. The server stops accepting as soon as it has its client
 * (closing a listener leaves accepted connections alone), drains, then destroys its group and closes its engine.
 */
public final class GracefulShutdown {
    /**
     * What happened.
     *
     * @param posted          requests the client posted before its ByeRequest
     * @param answered          responses it received
     * @param answeredBeforeBye responses it had received when the ByeResponse arrived (-1: no ByeResponse)
     * @param lateRequest       the status of the request posted after the ByeRequest, returned by the engine
     * @param processed         requests the server handled
     */
    public record Result(int posted, int answered, int answeredBeforeBye, AmpeStatus lateRequest, int processed) {
    }

    private GracefulShutdown() {
    }

    /** Runs the recipe with a batch of 20 requests. */
    public static void main(String[] args) throws Exception {
        Result result = run(Transport.listenAddressFrom(args.length > 0 ? args[0] : "tcp"), 20);
        Examples.log("main", "%s", result);
    }

    /** Posts {@code batch} requests and a ByeRequest at once, then drains until the channel is closed. */
    public static Result run(Address listenOn, int batch) throws InterruptedException {
        Reactor serverReactor = Reactor.create();
        Reactor clientReactor = Reactor.create();
        try {
            Ampe serverAmpe = serverReactor.ampe();
            ChannelGroup serverGroup = serverAmpe.create();
            Channels.Listener listener = Channels.listen(serverAmpe, serverGroup, listenOn, Examples.WAIT);
            AtomicInteger processed = new AtomicInteger();
            Future<Void> serving = Examples.inThread("server", () -> {
                serve(serverReactor, serverGroup, listener, processed);
                return null;
            });

            Ampe ampe = clientReactor.ampe();
            ChannelGroup client = ampe.create();
            int channel = Channels.connect(ampe, client, listener.dialAddress(), Examples.WAIT);
            for (int i = 1; i <= batch; i++) {
                client.post(Examples.message(ampe, channel, OpCode.REQUEST, "job " + i));
            }
            client.post(Examples.message(ampe, channel, OpCode.BYE_REQUEST, "")); // queued behind the batch
            client.post(Examples.message(ampe, channel, OpCode.REQUEST, "too late")); // held, then returned

            // Drain: everything up to the channel's CHANNEL_CLOSED signal, which is always the last word.
            int answered = 0;
            int answeredBeforeBye = -1;
            AmpeStatus lateRequest = null;
            while (true) {
                Message m = Examples.receive(ampe, client);
                if (m.isFromEngine()) {
                    if (Examples.isChannelClosed(m)) {
                        ampe.put(m);
                        break;
                    }
                    lateRequest = m.bhdr().status(); // one of ours, returned unsent, with the reason
                    Examples.log("client", "returned unsent: '%s' (%s)", m.body().asString(), lateRequest);
                } else if (m.bhdr().opCode() == OpCode.RESPONSE) {
                    answered++;
                } else if (m.bhdr().opCode() == OpCode.BYE_RESPONSE) {
                    answeredBeforeBye = answered;
                    Examples.log("client", "bye acknowledged after %d answers", answered);
                }
                ampe.put(m);
            }
            // The channel is closed: destroy the group (synchronous), then stop the engine.
            client.close();
            clientReactor.close();
            Examples.log("client", "closed");

            Examples.await(serving);
            return new Result(batch, answered, answeredBeforeBye, lateRequest, processed.get());
        } finally {
            // Idempotent: after a normal run both are closed already; after a failure this is the cleanup.
            clientReactor.close();
            serverReactor.close();
        }
    }

    /** The server: stop accepting once the client is in, serve until it has gone, then shut down in order. */
    private static void serve(Reactor reactor, ChannelGroup group, Channels.Listener listener, AtomicInteger processed)
            throws InterruptedException {
        Ampe ampe = reactor.ampe();
        ServerLoop.serve(ampe, group, 1, new ServerLoop.Handler() {
            @Override
            public void connected(Message hello) {
                // One client is all we serve: close the listener now. BYE_SIGNAL on a listener stops accepting; the
                // connection it already accepted carries on.
                group.post(Examples.message(ampe, listener.channel(), OpCode.BYE_SIGNAL, ""));
            }

            @Override
            public void handle(Message m) {
                m.bhdr().opCode(OpCode.RESPONSE);
                m.body().append(": done");
                group.post(m);
                processed.incrementAndGet();
            }
        });
        // The loop returned: the client's channel is closed and nothing is left in flight.
        ampe.destroy(group);
        reactor.close();
        Examples.log("server", "closed after %d requests", processed.get());
    }
}
