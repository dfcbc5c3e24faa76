package tofu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;

/**
 * {@code tofu send <address> [--header k=v]... [--body text|@file] [--count N] [--more] [--signal]}: connects, sends
 * N requests (or signals), prints the replies, then closes gracefully with a ByeRequest.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        header = "Connect, send requests or signals, print the replies, say bye.",
        description = {"Connect, send N requests (or signals), print the replies, then say bye.",
            "Each REQUEST waits for its RESPONSE (use 'tofu listen --echo' as the peer); signals expect none."})
public final class SendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<address>",
            description = "tcp|<host>|<port>, tls|<host>|<port> or uds|<path>")
    String address;

    @picocli.CommandLine.Mixin
    TlsOptions tls;

    @Option(names = "--header", paramLabel = "k=v", description = "A text header; repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--body", paramLabel = "text|@file", description = "The body: text, or @file for a file's bytes.")
    String body;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Messages to send (default 1).")
    int count;

    @Option(names = "--more", description = "Send the N messages as one stream: one message id, 'more' set on all "
            + "but the last.")
    boolean more;

    @Option(names = "--signal", description = "Send SIGNALs instead of REQUESTs (no replies expected).")
    boolean signal;

    @Option(names = "--timeout-ms", paramLabel = "T", defaultValue = "5000",
            description = "Bound of every wait, in ms (default ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 1 || timeoutMillis < 1) {
            throw new ParameterException(spec.commandLine(), "--count and --timeout-ms must be at least 1");
        }
        List<String[]> parsedHeaders = parseHeaders();
        byte[] payload = readBody();
        PrintWriter out = spec.commandLine().getOut();
        try (ClientSession session = ClientSession.connect(address, tls.applyClient(Options.DEFAULT, address),
                timeoutMillis)) {
            out.println("connected to " + session.address().value() + " on channel " + session.channel());
            long streamId = 0;
            for (int i = 0; i < count; i++) {
                Message m = session.message(signal ? OpCode.SIGNAL : OpCode.REQUEST);
                m.bhdr().messageId(streamId).more(more && i < count - 1);
                for (String[] h : parsedHeaders) {
                    m.thdrs().append(h[0], h[1]);
                }
                m.body().append(payload);
                Message shown = m.copy(); // m belongs to the engine once posted
                shown.bhdr().copyFrom(session.post(m));
                streamId = more ? shown.bhdr().messageId() : 0;
                out.println("sent " + MessagePrinter.format(shown));
            }
            if (!signal) {
                for (int i = 0; i < count; i++) {
                    Message reply = session.nextFromPeer("reply " + (i + 1) + " of " + count);
                    printAndPut(session, out, reply);
                }
            }
            session.bye(reply -> printAndPut(session, out, reply));
            out.println("closed");
            return ExitCodes.OK;
        }
    }

    private static void printAndPut(ClientSession session, PrintWriter out, Message reply) {
        out.println("recv " + MessagePrinter.format(reply));
        session.ampe().put(reply);
    }

    private List<String[]> parseHeaders() {
        List<String[]> list = new ArrayList<>();
        for (String h : headers) {
            int eq = h.indexOf('=');
            if (eq <= 0 || eq == h.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--header wants name=value, got '" + h + "'");
            }
            list.add(new String[] {h.substring(0, eq), h.substring(eq + 1)});
        }
        return list;
    }

    private byte[] readBody() {
        if (body == null) {
            return new byte[0];
        }
        if (!body.startsWith("@")) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        Path file = Path.of(body.substring(1));
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw CliException.failed("cannot read the body file " + file + ": " + e);
        }
    }
}
