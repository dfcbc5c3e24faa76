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
import tofu.Address;
import tofu.AmpeException;
import tofu.Body;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.TextHeaders;
import tofu.cli.text.Json;
import tofu.cli.text.SafeText;

/**
 * {@code tofu send <address> [--header k=v]... [--body text|@file] [--count N] [--more] [--signal]}: connects, sends
 * N requests (or signals), prints the replies, then closes gracefully with a ByeRequest. Everything the command line
 * says is checked before it connects (address, header syntax, body size), so a bad command never costs the peer a
 * connection.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        header = "Connect, send requests or signals, print the replies, say bye.",
        description = {"Connect, send N requests (or signals), print the replies, then say bye.",
            "Each REQUEST waits for its RESPONSE (use 'tofu listen --echo' as the peer); signals expect none.",
            "Every message carries the same headers and body: --count 3 --body @file sends the file's bytes three "
                + "times. A body is at most 65535 bytes, and so is the header block."})
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

    @Option(names = "--body", paramLabel = "text|@file", description = "The body: text, or @file for a file's bytes "
            + "(at most 65535).")
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

    @Option(names = "--json", description = "Print one JSON object per line: connected, sent, received, closed.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 1 || timeoutMillis < 1) {
            throw new ParameterException(spec.commandLine(), "--count and --timeout-ms must be at least 1");
        }
        Address.parseClient(address); // INVALID_ADDRESS now rather than after reading files
        Message template = template();
        PrintWriter out = spec.commandLine().getOut();
        try (ClientSession session = ClientSession.connect(address, tls.applyClient(Options.DEFAULT, address),
                timeoutMillis)) {
            String peer = session.address().value();
            print(out, Json.ofType("connected").put("address", peer).put("channel", session.channel()),
                    "connected to " + SafeText.escape(peer) + " on channel " + session.channel());
            long streamId = 0;
            for (int i = 0; i < count; i++) {
                Message m = session.message(signal ? OpCode.SIGNAL : OpCode.REQUEST);
                m.bhdr().messageId(streamId).more(more && i < count - 1);
                for (var h : template.thdrs()) {
                    m.thdrs().append(h.name(), h.value());
                }
                m.body().append(template.body().asReadOnlyBuffer());
                Message shown = m.copy(); // m belongs to the engine once posted
                shown.bhdr().copyFrom(session.post(m));
                streamId = more ? shown.bhdr().messageId() : 0;
                printMessage(out, "sent", shown);
            }
            if (!signal) {
                for (int i = 0; i < count; i++) {
                    Message reply = session.nextFromPeer("reply " + (i + 1) + " of " + count);
                    printAndPut(session, out, reply);
                }
            }
            session.bye(reply -> printAndPut(session, out, reply));
            print(out, Json.ofType("closed"), "closed");
            return ExitCodes.OK;
        }
    }

    private void printAndPut(ClientSession session, PrintWriter out, Message reply) {
        printMessage(out, "recv", reply);
        session.ampe().put(reply);
    }

    private void printMessage(PrintWriter out, String what, Message m) {
        print(out, MessagePrinter.json(Json.ofType(what.equals("sent") ? "sent" : "received"), m),
                what + " " + MessagePrinter.format(m));
    }

    private void print(PrintWriter out, Json machine, String people) {
        out.println(json ? machine.toString() : people);
        out.flush();
    }

    /**
     * The headers and body every message carries, built and checked before connecting: a header the protocol would
     * refuse, or a body or header block past 65535 bytes, is a usage error here, not a vanished connection there.
     */
    private Message template() {
        Message m = Message.create();
        TextHeaders block = m.thdrs();
        for (String h : headers) {
            int eq = h.indexOf('=');
            if (eq <= 0 || eq == h.length() - 1) {
                throw usage("--header wants name=value, got '" + h + "'");
            }
            try {
                block.append(h.substring(0, eq), h.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw usage("--header '" + h + "' cannot travel: " + e.getMessage());
            } catch (AmpeException e) {
                throw usage("the --header values take more than " + TextHeaders.MAX_LENGTH + " bytes");
            }
        }
        byte[] payload = readBody();
        if (payload.length > Body.MAX_LENGTH) {
            throw usage("the body is " + payload.length + " bytes; a message carries at most " + Body.MAX_LENGTH);
        }
        m.body().append(payload);
        return m;
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
            if (Files.isDirectory(file)) {
                throw CliException.failed("cannot read the body file: " + file + " is a folder");
            }
            if (Files.size(file) > Body.MAX_LENGTH) {
                throw usage("the body file " + file + " has " + Files.size(file) + " bytes; a message carries at "
                        + "most " + Body.MAX_LENGTH);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw CliException.failed("cannot read the body file: " + Reasons.of(e));
        }
    }

    private ParameterException usage(String reason) {
        return new ParameterException(spec.commandLine(), reason); // Main escapes the line it prints
    }
}
