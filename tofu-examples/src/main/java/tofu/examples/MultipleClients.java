package tofu.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 8 — many clients, one server, state per client keyed by channel number.
 *
 * <p>Every connection the server accepts gets its own channel number, carried by every message that arrives on it;
 * a map from channel number to state is all the server needs. Here each client adds numbers to its own running total.
 * The clients run at the same time, each with its own group and thread, so their requests interleave at the server.
 */
public final class MultipleClients {
    /** HelloRequest header: the client's name. */
    static final String CLIENT = "Client";

    /**
     * What both sides ended with.
     *
     * @param clientTotals   per client name, the last running total the server sent back to it
     * @param serverTotals   per client name, the total the server kept in that client's state
     * @param serverChannels the distinct channel numbers the server saw
     */
    public record Result(Map<String, Long> clientTotals, Map<String, Long> serverTotals, int serverChannels) {
    }

    private MultipleClients() {
    }

    /** Runs the recipe with 4 clients sending 10 numbers each. */
    public static void main(String[] args) throws Exception {
        Result result = run(Transport.listenAddressFrom(args.length > 0 ? args[0] : "tcp"), 4, 10);
        Examples.log("main", "%s", result);
    }

    /** The number client {@code index} sends as its {@code k}-th request: clients' totals then all differ. */
    public static long number(int index, int k) {
        return (long) (index + 1) * k;
    }

    /** Runs {@code clients} concurrent clients, each sending {@code requests} numbers to one server. */
    public static Result run(Address listenOn, int clients, int requests) throws InterruptedException {
        try (Reactor serverReactor = Reactor.create(); Reactor clientReactor = Reactor.create()) {
            Ampe serverAmpe = serverReactor.ampe();
            ChannelGroup serverGroup = serverAmpe.create();
            Address server = Channels.listen(serverAmpe, serverGroup, listenOn, Examples.WAIT).dialAddress();
            Accounts accounts = new Accounts(serverGroup);
            Future<Void> serving = Examples.inThread("server", () -> {
                ServerLoop.serve(serverAmpe, serverGroup, clients, accounts);
                return null;
            });

            // All clients share one engine but each has its own group: a group's queue has one reader.
            List<Future<Long>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int index = i;
                running.add(Examples.inThread("client-" + i,
                        () -> client(clientReactor.ampe(), server, "client-" + index, index, requests)));
            }
            Map<String, Long> clientTotals = new TreeMap<>();
            for (int i = 0; i < clients; i++) {
                clientTotals.put("client-" + i, Examples.await(running.get(i)));
            }
            Examples.await(serving); // returns once every client has said bye
            return new Result(clientTotals, accounts.totalsByName(), accounts.channelsSeen());
        }
    }

    /** One client: connect with its name, send numbers one by one, return the last running total. */
    private static long client(Ampe ampe, Address server, String name, int index, int requests)
            throws InterruptedException {
        try (ChannelGroup group = ampe.create()) {
            Message hello = ampe.get(AllocationStrategy.ALWAYS);
            hello.thdrs().append(CLIENT, name);                    // introduces the client to the server
            server.format(hello);                                    // HELLO_REQUEST; keeps the header
            Message accepted = Channels.connect(ampe, group, hello, Examples.WAIT);
            int channel = accepted.bhdr().channelNumber();
            ampe.put(accepted);
            long total = 0;
            for (int k = 1; k <= requests; k++) {
                group.post(Examples.message(ampe, channel, OpCode.REQUEST, Long.toString(number(index, k))));
                Message reply = Examples.receive(ampe, group);
                if (reply.isFromEngine()) {
                    throw Examples.failure(ampe, reply, name + " request " + k);
                }
                total = Long.parseLong(reply.body().asString());
                ampe.put(reply);
            }
            Examples.log(name, "channel %d, total %d", channel, total);
            Examples.bye(ampe, group, channel);
            return total;
        }
    }

    /**
     * Server state: one account per channel number. Used only on the server's receiver thread; read by the main
     * thread after that thread has finished ({@code Future.get} makes its writes visible).
     */
    private static final class Accounts implements ServerLoop.Handler {
        private static final class Account {
            final String name;
            long total;

            Account(String name) {
                this.name = name;
            }
        }

        private final ChannelGroup group;
        private final Map<Integer, Account> byChannel = new HashMap<>();
        private final Map<String, Long> closedTotals = new TreeMap<>();
        private final Set<Integer> channelsSeen = new HashSet<>();

        Accounts(ChannelGroup group) {
            this.group = group;
        }

        @Override
        public void connected(Message hello) {
            // State is created when the connection is accepted and found again by the channel number.
            byChannel.put(hello.bhdr().channelNumber(), new Account(hello.thdrs().get(CLIENT)));
            channelsSeen.add(hello.bhdr().channelNumber());
        }

        @Override
        public void handle(Message m) {
            Account account = byChannel.get(m.bhdr().channelNumber());
            account.total += Long.parseLong(m.body().asString());
            m.bhdr().opCode(OpCode.RESPONSE);
            m.body().reset().append(Long.toString(account.total));
            group.post(m);
        }

        @Override
        public void closed(int channel) {
            // The number may later name another connection: the state goes with the connection.
            Account account = byChannel.remove(channel);
            closedTotals.put(account.name, account.total);
        }

        Map<String, Long> totalsByName() {
            return closedTotals;
        }

        int channelsSeen() {
            return channelsSeen.size();
        }
    }
}
