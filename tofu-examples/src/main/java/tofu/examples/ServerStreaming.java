package tofu.examples;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import tofu.Address;
import tofu.Ampe;
import tofu.Body;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 5 — server streaming: one request, an answer too big for one message, sent as RESPONSE parts.
 *
 * <p>Every part carries the request's message id and all but the last have {@code more} set; the client appends
 * parts until {@code more} is off. Parts of one channel arrive in the order they were posted.
 */
public final class ServerStreaming {
    /** Request header: how many lines of report the client asks for. */
    static final String LINES = "Lines";

    /**
     * What the client reassembled.
     *
     * @param parts  how many RESPONSE messages made up the answer
     * @param report the reassembled text
     */
    public record Result(int parts, String report) {
    }

    private ServerStreaming() {
    }

    /** Runs the recipe: asks for a 5 000-line report, streamed in parts of at most one full body. */
    public static void main(String[] args) throws Exception {
        Result result = run(Transport.listenAddressFrom(args.length > 0 ? args[0] : "tcp"), 5_000, Body.MAX_LENGTH);
        Examples.log("client", "%d parts, %d characters, identical to the report: %b", result.parts(),
                result.report().length(), result.report().equals(report(5_000)));
    }

    /** The report the server produces: {@code lines} numbered lines. Public so a test can compare. */
    public static String report(int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            sb.append("line ").append(i).append(" of ").append(lines).append('\n');
        }
        return sb.toString();
    }

    /** Requests a report of {@code lines} lines and reassembles the parts the server streams back. */
    public static Result run(Address listenOn, int lines, int partSize) throws InterruptedException {
        try (Reactor serverReactor = Reactor.create(); Reactor clientReactor = Reactor.create()) {
            Ampe serverAmpe = serverReactor.ampe();
            ChannelGroup serverGroup = serverAmpe.create();
            Address server = Channels.listen(serverAmpe, serverGroup, listenOn, Examples.WAIT).dialAddress();
            Future<Void> serving = Examples.inThread("server", () -> {
                ServerLoop.serve(serverAmpe, serverGroup, 1, request -> {
                    byte[] data = report(Integer.parseInt(request.thdrs().get(LINES))).getBytes(StandardCharsets.UTF_8);
                    // All parts answer the request, so all carry its message id.
                    Parts.send(serverAmpe, serverGroup, request.bhdr().channelNumber(), OpCode.RESPONSE,
                            request.bhdr().messageId(), data, partSize);
                    serverAmpe.put(request);
                });
                return null;
            });

            Ampe ampe = clientReactor.ampe();
            ChannelGroup client = ampe.create();
            int channel = Channels.connect(ampe, client, server, Examples.WAIT);
            Message request = Examples.message(ampe, channel, OpCode.REQUEST, "");
            request.thdrs().append(LINES, Integer.toString(lines));
            long id = client.post(request).messageId();

            Parts.Assembler answer = new Parts.Assembler();
            boolean last = false;
            while (!last) {
                Message part = Examples.receive(ampe, client);
                if (part.isFromEngine()) {
                    throw Examples.failure(ampe, part, "while streaming");
                }
                if (part.bhdr().messageId() != id) {
                    throw new IllegalStateException("part of another message: " + part.bhdr());
                }
                last = answer.add(part); // true once a part arrives with more off
                ampe.put(part);
            }
            Examples.log("client", "message %d complete after %d parts", id, answer.parts());
            Examples.bye(ampe, client, channel);
            Examples.await(serving);
            return new Result(answer.parts(), new String(answer.bytes(), StandardCharsets.UTF_8));
        }
    }
}
