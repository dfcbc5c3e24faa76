package tofu.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import tofu.Address;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;
import tofu.cli.text.Json;

/**
 * The server behind {@code tofu listen}: listens on one address, accepts every HelloRequest, prints what arrives,
 * answers ByeRequests, and in echo mode answers each REQUEST with a RESPONSE (same id, headers and body) and sends
 * each SIGNAL back.
 *
 * <p>Stops when the data-message limit is reached and every connection has closed (or the linger time has passed),
 * when the receiving thread is interrupted, or when the engine is closed (the Ctrl-C path). Runs on the calling
 * thread; one instance per run.
 */
final class ListenServer {
    /** How long {@link #listen(Address)} waits for the engine to report the listener ready. */
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(10);

    private final Ampe ampe;
    private final ChannelGroup group;
    private final PrintWriter out;
    private final boolean echo;
    private final boolean quiet;
    private final boolean json;
    private final long limit;
    private final long lingerMillis;
    private int listenerChannel;

    /**
     * @param json         true to print JSON objects instead of lines for people
     * @param limit        data messages (REQUEST, RESPONSE, SIGNAL) after which to stop; 0 = no limit
     * @param lingerMillis how long to wait, once the limit is reached, for open connections to close
     */
    ListenServer(Reactor reactor, PrintWriter out, boolean echo, boolean quiet, boolean json, long limit,
            long lingerMillis) {
        this.ampe = reactor.ampe();
        this.group = ampe.create();
        this.out = out;
        this.echo = echo;
        this.quiet = quiet;
        this.json = json;
        this.limit = limit;
        this.lingerMillis = lingerMillis;
    }

    /**
     * Starts listening and returns the actual bound address (the real port for port 0).
     *
     * @throws CliException with the engine's status (e.g. LISTEN_FAILED) or on timeout
     */
    Address listen(Address address) throws InterruptedException {
        try {
            Channels.Listener listener = Channels.listen(ampe, group, address, LISTEN_WAIT);
            listenerChannel = listener.channel();
            return listener.address();
        } catch (AmpeException e) {
            throw CliException.of(e, "listen on " + address.value());
        }
    }

    /** Serves until a stop condition (see the class comment); returns the number of data messages received. */
    long serve() throws InterruptedException {
        Set<Integer> open = new HashSet<>();
        long received = 0;
        Deadline linger = null;
        while (true) {
            if (limit > 0 && received >= limit) {
                if (open.isEmpty()) {
                    break;
                }
                linger = linger == null ? Deadline.inMillis(lingerMillis) : linger;
                if (linger.expired()) {
                    break;
                }
            }
            long wait = linger == null ? ChannelGroup.SEC_TIMEOUT : linger.remainingNanos();
            try {
                Message m = group.waitReceive(wait);
                if (m == null) {
                    continue;
                }
                if (!quiet) {
                    out.println(json ? MessagePrinter.json(Json.ofType("received"), m).toString()
                            : "recv " + MessagePrinter.format(m));
                }
                if (m.isFromEngine()) {
                    onReport(m, open);
                } else if (handle(m, open)) {
                    received++;
                }
            } catch (AmpeException e) {
                if (e.status() == AmpeStatus.SHUTDOWN_STARTED) {
                    break; // the engine was closed: Ctrl-C
                }
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // asked to stop; let the caller see it too
                break;
            }
        }
        out.println(json ? Json.ofType("end").put("received", received).toString()
                : "received " + received + " data messages");
        out.flush();
        return received;
    }

    /** Handles an engine report: a closed connection is forgotten; a closed listener ends the run. */
    private void onReport(Message m, Set<Integer> open) {
        int channel = m.bhdr().channelNumber();
        boolean closed = m.bhdr().opCode() == OpCode.SIGNAL && m.bhdr().status() == AmpeStatus.CHANNEL_CLOSED;
        ampe.put(m);
        if (closed) {
            open.remove(channel);
            if (channel == listenerChannel) {
                throw CliException.status(AmpeStatus.CHANNEL_CLOSED, "the listener closed");
            }
        }
    }

    /** Handles a peer's message, answering as needed; returns true if it was a data message. */
    private boolean handle(Message m, Set<Integer> open) {
        OpCode op = m.bhdr().opCode();
        switch (op) {
            case HELLO_REQUEST:
                open.add(m.bhdr().channelNumber());
                answer(m, OpCode.HELLO_RESPONSE);
                return false;
            case BYE_REQUEST:
                answer(m, OpCode.BYE_RESPONSE);
                return false;
            case REQUEST:
            case SIGNAL:
                if (echo) {
                    m.bhdr().opCode(op.echo());
                    group.post(m); // same channel, id, more flag, headers and body
                } else {
                    ampe.put(m);
                }
                return true;
            case RESPONSE:
                ampe.put(m);
                return true;
            default:
                ampe.put(m);
                return false;
        }
    }

    /** Answers a handshake message with {@code op}, same channel and id, no headers or body. */
    private void answer(Message m, OpCode op) {
        m.thdrs().reset();
        m.body().reset();
        m.bhdr().opCode(op).more(false);
        group.post(m);
    }
}
