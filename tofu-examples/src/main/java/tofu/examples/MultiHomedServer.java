package tofu.examples;

import java.util.ArrayList;
import java.util.List;
import tofu.Address;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 2 — one server group listening on TCP and on a Unix-domain socket at once, with a client on each.
 *
 * <p>A group may own any number of listeners; connections accepted by any of them arrive in the same receive queue,
 * so the server code does not care which transport a client used ({@link EchoServer} tells it back in a header only
 * to make the point visible).
 */
public final class MultiHomedServer {
    /**
     * One client's exchange.
     *
     * @param dialled the address the client connected to
     * @param reply   the body of the echo
     * @param via     the address the server saw in the client's HelloRequest
     */
    public record Exchange(String dialled, String reply, String via) {
    }

    private MultiHomedServer() {
    }

    /** Runs the recipe: a TCP listener on a free loopback port and a UDS listener in a temporary directory. */
    public static void main(String[] args) throws Exception {
        for (Exchange e : run(Transport.TCP.listenAddress(), Transport.UDS.listenAddress())) {
            Examples.log("client", "%s", e);
        }
    }

    /** Starts one server listening on every address given, then connects a client to each and exchanges a request. */
    public static List<Exchange> run(Address... listenOn) throws InterruptedException {
        try (EchoServer server = EchoServer.start(listenOn); Reactor reactor = Reactor.create()) {
            Ampe ampe = reactor.ampe();
            List<Exchange> exchanges = new ArrayList<>();
            for (Address address : server.dialAddresses()) {
                // A group of its own per client: each connection's answers are then all this client's.
                try (ChannelGroup client = ampe.create()) {
                    int channel = Channels.connect(ampe, client, address, Examples.WAIT);
                    client.post(Examples.message(ampe, channel, OpCode.REQUEST, "hi via " + address.value()));
                    Message reply = Examples.receive(ampe, client);
                    if (reply.isFromEngine()) {
                        throw Examples.failure(ampe, reply, "request via " + address.value());
                    }
                    exchanges.add(new Exchange(address.value(), reply.body().asString(),
                            reply.thdrs().get(EchoServer.VIA)));
                    Examples.log("client", "via %s got '%s'", address.value(), reply.body().asString());
                    ampe.put(reply);
                    Examples.bye(ampe, client, channel);
                }
            }
            return exchanges;
        }
    }
}
