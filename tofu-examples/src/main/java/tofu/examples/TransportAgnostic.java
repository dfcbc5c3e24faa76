package tofu.examples;

import java.util.List;
import tofu.Address;

/**
 * Recipe 10 — the same code over TCP and Unix-domain sockets, chosen by an address value alone.
 *
 * <p>Listening and connecting are messages whose only transport-specific part is one header value,
 * {@code tcp|host|port} or {@code uds|path}. Keep that value in configuration, parse it with
 * {@link Address#parseServer} / {@link Address#parseClient}, and nothing else in the program changes — here the
 * server is {@link EchoServer} and the client is {@link EchoService#talk}, neither of which looks at the transport.
 */
public final class TransportAgnostic {
    /**
     * One run.
     *
     * @param configured the listen value the run was given
     * @param bound      the value the listener reported (port 0 replaced by the real port)
     * @param conversation what the client saw
     */
    public record Result(String configured, String bound, EchoService.Result conversation) {
    }

    private TransportAgnostic() {
    }

    /** Runs the recipe once per argument ({@code tcp}, {@code uds} or a listen value), by default on both. */
    public static void main(String[] args) throws Exception {
        List<String> words = args.length > 0 ? List.of(args) : List.of("tcp", "uds");
        for (String word : words) {
            Examples.log("main", "%s", run(Transport.listenAddressFrom(word).value()));
        }
    }

    /**
     * Starts a server on the listen value {@code listenOn} and talks to it through the dial value it reports.
     *
     * @throws tofu.AmpeException with INVALID_ADDRESS if the value does not parse — configuration errors fail at once
     */
    public static Result run(String listenOn) throws InterruptedException {
        try (EchoServer server = EchoServer.start(Address.parseServer(listenOn))) {
            // Pass the dial address on as a plain string, as a service registry or config file would.
            String dial = server.dialAddress().value();
            EchoService.Result conversation = EchoService.talk(Address.parseClient(dial), List.of("same", "code"));
            return new Result(listenOn, server.boundAddress().value(), conversation);
        }
    }
}
