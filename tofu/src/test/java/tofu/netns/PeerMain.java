package tofu.netns;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;

/**
 * The far end of a netns test: a small tofu application in a child JVM inside a {@link TestHost}'s namespace, driven
 * by {@link PeerProcess}. It accepts every HelloRequest, echoes REQUESTs as RESPONSEs, answers ByeRequests (unless
 * told to hold them), puts every message back, and reports what happens as {@code EVT} lines on stdout. It exits
 * when its stdin ends, so it never outlives the test JVM. Only the tofu API and the JDK: no test libraries.
 *
 * <p>Arguments ({@code key=value}): {@code keepalive=<idle s>,<interval s>,<count>}, {@code idle=<ms>} (idle limit),
 * {@code heartbeat=<ms>} (a SIGNAL with header {@code hb} on every open channel that often), {@code holdbyes},
 * {@code slow=<ms>} (a slow application: it spends that long on every tagged SIGNAL, so its sender's queue fills),
 * {@code buffers=<bytes>} (SO_SNDBUF and SO_RCVBUF).
 *
 * <p>Commands: {@code listen <address>}, {@code connect <address>}, {@code request <channel> <text>},
 * {@code signal <channel> <name>} (a SIGNAL with header {@code <name>}), {@code quit}. A held ByeRequest is answered
 * with a SIGNAL with header {@code held}: once it arrives, the sender knows its ByeRequest was acknowledged.
 *
 * <p>Events: {@code listening <actual address>}, {@code listen-failed <status>}, {@code connected <channel>},
 * {@code accepted <channel>}, {@code response <channel> <text>}, {@code got <channel> <tag>} (a SIGNAL with header
 * {@code tag}), {@code bye <channel>}, {@code returned <channel> <opcode> <status>},
 * {@code closed <channel> <~reason ...>}.
 */
public final class PeerMain {
    static final String TAG = "tag";
    static final String HEARTBEAT = "hb";

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private final Ampe ampe;
    private final ChannelGroup group;
    private final boolean holdByes;
    private final long slowMillis;
    private final Set<Integer> open = ConcurrentHashMap.newKeySet();

    private PeerMain(Ampe ampe, ChannelGroup group, boolean holdByes, long slowMillis) {
        this.ampe = ampe;
        this.group = group;
        this.holdByes = holdByes;
        this.slowMillis = slowMillis;
    }

    /**
     * Runs the peer until stdin ends or says {@code quit}.
     *
     * @param args the options above
     * @throws Exception if reading stdin fails
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.DEFAULT;
        long heartbeatMillis = 0;
        boolean holdByes = false;
        long slowMillis = 0;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "keepalive" -> {
                    String[] k = kv[1].split(",");
                    options = options.withKeepAlive(Duration.ofSeconds(Long.parseLong(k[0])),
                            Duration.ofSeconds(Long.parseLong(k[1])), Integer.parseInt(k[2]));
                }
                case "idle" -> options = options.withIdleTimeout(Duration.ofMillis(Long.parseLong(kv[1])));
                case "heartbeat" -> heartbeatMillis = Long.parseLong(kv[1]);
                case "holdbyes" -> holdByes = true;
                case "slow" -> slowMillis = Long.parseLong(kv[1]);
                case "buffers" -> options = options.withSocketBuffers(Integer.parseInt(kv[1]),
                        Integer.parseInt(kv[1]));
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        try (Reactor reactor = Reactor.create(options)) {
            PeerMain peer = new PeerMain(reactor.ampe(), reactor.ampe().create(), holdByes, slowMillis);
            daemon("peer-receiver", peer::receiveLoop);
            if (heartbeatMillis > 0) {
                long every = heartbeatMillis;
                daemon("peer-heartbeat", () -> peer.heartbeats(every));
            }
            peer.commands();
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private void commands() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            String[] words = line.split(" ", 3);
            switch (words[0]) {
                case "listen" -> {
                    Message m = ampe.get(AllocationStrategy.ALWAYS);
                    Address.parseServer(words[1]).format(m);
                    group.post(m);
                }
                case "connect" -> {
                    Message m = ampe.get(AllocationStrategy.ALWAYS);
                    Address.parseClient(words[1]).format(m);
                    group.post(m);
                }
                case "signal" -> {
                    Message m = ampe.get(AllocationStrategy.ALWAYS);
                    m.bhdr().opCode(OpCode.SIGNAL).channelNumber(Integer.parseInt(words[1]));
                    m.thdrs().append(words[2], "1");
                    group.post(m);
                }
                case "request" -> {
                    Message m = ampe.get(AllocationStrategy.ALWAYS);
                    m.bhdr().opCode(OpCode.REQUEST).channelNumber(Integer.parseInt(words[1]));
                    m.body().append(words[2]);
                    group.post(m);
                }
                default -> event("unknown-command " + line);
            }
        }
    }

    private void receiveLoop() {
        try {
            while (true) {
                Message m = group.waitReceive(ChannelGroup.INFINITE_TIMEOUT);
                handle(m);
            }
        } catch (AmpeException shutdown) {
            // the engine closed: the peer is ending
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(Message m) throws InterruptedException {
        int channel = m.bhdr().channelNumber();
        if (m.isFromEngine()) {
            if (m.bhdr().opCode() == OpCode.SIGNAL && m.bhdr().status() == AmpeStatus.CHANNEL_CLOSED) {
                open.remove(channel);
                event("closed " + channel + " " + m.thdrs().get("~reason"));
            } else if (m.bhdr().opCode() == OpCode.WELCOME_RESPONSE) {
                event("listen-failed " + m.bhdr().status());
            } else if (m.bhdr().status() != AmpeStatus.POOL_EMPTY && m.thdrs().get(HEARTBEAT) == null) {
                event("returned " + channel + " " + m.bhdr().opCode() + " " + m.bhdr().status());
            }
            ampe.put(m);
            return;
        }
        switch (m.bhdr().opCode()) {
            case WELCOME_RESPONSE -> event("listening " + Address.of(m).value());
            case HELLO_REQUEST -> {
                open.add(channel);
                m.bhdr().opCode(OpCode.HELLO_RESPONSE);
                group.post(m);
                event("accepted " + channel);
                return;
            }
            case HELLO_RESPONSE -> {
                open.add(channel);
                event("connected " + channel);
            }
            case REQUEST -> {
                m.bhdr().opCode(OpCode.RESPONSE);
                group.post(m);
                return;
            }
            case RESPONSE -> event("response " + channel + " " + m.body().asString());
            case SIGNAL -> {
                if (m.thdrs().get(TAG) != null) {
                    event("got " + channel + " " + m.thdrs().get(TAG));
                    if (slowMillis > 0) {
                        Thread.sleep(slowMillis); // the slow application's work
                    }
                }
            }
            case BYE_REQUEST -> {
                event("bye " + channel);
                if (!holdByes) {
                    m.bhdr().opCode(OpCode.BYE_RESPONSE);
                    group.post(m);
                    return;
                }
                Message held = ampe.get(AllocationStrategy.ALWAYS);
                held.bhdr().opCode(OpCode.SIGNAL).channelNumber(channel);
                held.thdrs().append("held", "1");
                group.post(held);
            }
            default -> {
            }
        }
        ampe.put(m);
    }

    private void heartbeats(long everyMillis) {
        try {
            while (true) {
                Thread.sleep(everyMillis); // the heartbeat's own period, not a synchronisation
                for (int channel : open) {
                    Message hb = ampe.get(AllocationStrategy.ALWAYS);
                    hb.bhdr().opCode(OpCode.SIGNAL).channelNumber(channel);
                    hb.thdrs().append(HEARTBEAT, "1");
                    try {
                        group.post(hb);
                    } catch (AmpeException closed) {
                        ampe.put(hb);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void event(String text) {
        out.println("EVT " + text);
    }
}
