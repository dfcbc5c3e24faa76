package tofu.cli.tap;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tofu.Address;
import tofu.TcpClientAddress;
import tofu.cli.CliException;
import tofu.cli.ExitCodes;
import tofu.cli.ShutdownHook;

/**
 * {@code tofu tap <listen-address> <peer-address>}: a relay that shows the conversation between two tofu peers,
 * frame by frame, without changing, reordering or dropping a byte.
 */
@Command(name = "tap", mixinStandardHelpOptions = true,
        header = "Relay connections to a peer and print every frame both ways.",
        description = {"Accept connections on <listen-address>, connect each one to <peer-address>, forward the "
                + "bytes unchanged in both directions and print every frame: time, connection, direction (c->s "
                + "toward the peer, s->c back), opcode, channel, message id, flags, headers and a body preview.",
            "What each read brings is printed, then forwarded at once; nothing is changed, reordered or dropped, "
                + "and a frame always shows before the answer it provokes. A stream that "
                + "stops being tofu (an opcode 10-15) is reported as undecodable and still relayed, shown raw. An "
                + "end of stream is passed on as an end of stream, a reset as a reset.",
            "Stops on Ctrl-C, or after --count connections have come and gone."})
public final class TapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<listen-address>",
            description = "Where clients connect: tcp|<ip>|<port> (0 = any free port) or uds|<path>.")
    String listen;

    @Parameters(index = "1", paramLabel = "<peer-address>",
            description = "The peer to relay to: tcp|<host>|<port> or uds|<path>.")
    String peer;

    @Option(names = "--json", description = "Print one JSON object per line (frames and connection events).")
    boolean json;

    @Option(names = "--quiet", description = "Print connection events only, no frames.")
    boolean quiet;

    @Option(names = "--count", paramLabel = "N",
            description = "Stop after N connections have been relayed and have ended.")
    long count;

    @Option(names = "--pcap", paramLabel = "FILE",
            description = "Also write the relayed bytes as a pcap capture for Wireshark (synthesized TCP/IPv4 "
                    + "packets; see tools/wireshark/README.md).")
    Path pcapFile;

    @Option(names = "--pcap-port", paramLabel = "P",
            description = "The peer's TCP port in the capture (default: the peer's port, or 7099 for UDS).")
    Integer pcapPort;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (count < 0 || (pcapPort != null && (pcapPort < 1 || pcapPort > 65535))) {
            throw new ParameterException(spec.commandLine(), "--count must not be negative and --pcap-port must be "
                    + "1..65535");
        }
        Address listenOn = Address.parseServer(listen);
        Address to = Address.parseClient(peer);
        PrintWriter out = spec.commandLine().getOut();
        TapPrinter printer = new TapPrinter(out, json, quiet);
        CountDownLatch finished = new CountDownLatch(1);
        try (PcapWriter pcap = openCapture(to);
             TapRelay relay = new TapRelay(listenOn, to, printer, pcap, count);
             ShutdownHook hook = ShutdownHook.install(relay::close, finished)) {
            // The hook is in place before the first line: whoever reacts to that line with Ctrl-C gets a clean stop.
            Address actual = relay.start();
            printer.listening(actual.value(), to.value());
            relay.run();
            return ExitCodes.OK;
        } finally {
            finished.countDown();
        }
    }

    private PcapWriter openCapture(Address to) {
        if (pcapFile == null) {
            return null;
        }
        int port = pcapPort != null ? pcapPort : to instanceof TcpClientAddress ? ((TcpClientAddress) to).port()
                : 7099;
        try {
            return PcapWriter.create(pcapFile, port);
        } catch (NoSuchFileException e) {
            throw CliException.failed("cannot write the capture " + pcapFile + ": no such folder");
        } catch (IOException e) {
            throw CliException.failed("cannot write the capture " + pcapFile + ": " + e.getMessage());
        }
    }
}
