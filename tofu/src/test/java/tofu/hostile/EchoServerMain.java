package tofu.hostile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tofu.Address;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Listener;

/**
 * An echo server for a child JVM, so a test can cap the server's heap ({@code -Xmx}) and watch it apart from its own:
 * {@code java -cp <test class path> tofu.hostile.EchoServerMain <listen address>}. It runs an engine with
 * {@link Options#DEFAULT}, accepts every HelloRequest, answers every REQUEST with a RESPONSE carrying the same body and
 * every ByeRequest with a ByeResponse, like {@code tofu listen --echo}.
 *
 * <p>It talks to the test through its standard streams, one line each: it prints {@code listening <address>} once,
 * {@code closed <channel> <who> <reason>} for every CHANNEL_CLOSED signal, and in reply to {@code stats <n>} on stdin
 * the line {@link EchoStats#format} makes. It ends when its stdin closes (the test ended, even abnormally). Names
 * come from the {@code who} header of each HelloRequest, reduced to safe characters.
 *
 * <p>Threads: the main thread serves the group; a second thread reads stdin and takes the stats snapshots.
 */
final class EchoServerMain {
    private final Reactor reactor;
    private final ChannelGroup group;
    private final Map<Integer, String> names = new ConcurrentHashMap<>();

    private EchoServerMain(Reactor reactor) {
        this.reactor = reactor;
        this.group = reactor.ampe().create();
    }

    public static void main(String[] args) throws Exception {
        try (Reactor reactor = Reactor.create(Options.DEFAULT)) {
            EchoServerMain server = new EchoServerMain(reactor);
            Listener listener = Listener.open(reactor.ampe(), server.group, Address.parseServer(args[0]));
            Thread commands = new Thread(server::readCommands, "echo-commands");
            commands.setDaemon(true);
            commands.start();
            System.out.println("listening " + listener.bound().value());
            server.serve();
        }
    }

    private void serve() throws InterruptedException {
        try {
            while (true) {
                handle(group.waitReceive(ChannelGroup.INFINITE_TIMEOUT));
            }
        } catch (AmpeException e) {
            if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                throw e;
            }
        }
    }

    private void handle(Message m) {
        int channel = m.bhdr().channelNumber();
        if (m.isFromEngine()) {
            if (m.bhdr().opCode() == OpCode.SIGNAL && m.bhdr().status() == AmpeStatus.CHANNEL_CLOSED) {
                System.out.println("closed " + channel + " " + names.getOrDefault(channel, "?") + " "
                        + EchoStats.safe(m.thdrs().get(ServerApp.REASON)));
                names.remove(channel);
            }
            reactor.ampe().put(m);
            return;
        }
        switch (m.bhdr().opCode()) {
            case HELLO_REQUEST:
                names.put(channel, EchoStats.safe(m.thdrs().get(ServerApp.WHO)));
                answer(m, OpCode.HELLO_RESPONSE);
                break;
            case BYE_REQUEST:
                answer(m, OpCode.BYE_RESPONSE);
                break;
            case REQUEST:
                m.bhdr().opCode(OpCode.RESPONSE);
                post(m);
                break;
            default:
                reactor.ampe().put(m);
        }
    }

    private void answer(Message m, OpCode op) {
        m.thdrs().reset();
        m.body().reset();
        m.bhdr().opCode(op);
        post(m);
    }

    /** Posts, or puts the message back if the channel is already gone (its CHANNEL_CLOSED follows). */
    private void post(Message m) {
        try {
            group.post(m);
        } catch (AmpeException e) {
            reactor.ampe().put(m);
        }
    }

    /** Answers {@code stats <n>} lines; closes the engine (so {@link #serve} ends) when stdin ends. */
    private void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("stats ")) {
                    System.out.println(EchoStats.format(line.substring(6).trim(), reactor.stats(), names));
                }
            }
        } catch (IOException e) {
            e.printStackTrace();
        }
        reactor.close();
    }
}
