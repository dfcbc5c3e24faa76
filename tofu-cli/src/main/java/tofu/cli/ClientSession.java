package tofu.cli;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.cli.text.SafeText;

/**
 * One connected client channel with its own engine, as {@code send}, {@code ping} and {@code bench} use it: connect
 * (HelloRequest, wait for the HelloResponse), exchange messages, close gracefully (ByeRequest, ByeResponse, the
 * CHANNEL_CLOSED signal).
 *
 * <p>Every wait is bounded by the timeout given at connect time. Engine reports become {@link CliException}s carrying
 * their status. Used by one thread; {@link #close()} stops the engine and may be called from any thread.
 */
public final class ClientSession implements AutoCloseable {
    private final Reactor reactor;
    private final ChannelGroup group;
    private final Address address;
    private final long timeoutNanos;
    /** Scratch header for {@link #send(Message)}: the session is used by one thread. */
    private final BinaryHeader posted = new BinaryHeader();
    private int channel;

    private ClientSession(Reactor reactor, Address address, long timeoutMillis) {
        this.reactor = reactor;
        this.group = reactor.ampe().create();
        this.address = address;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /**
     * Connects to {@code address} (a client address such as {@code tcp|127.0.0.1|7099}) and waits for the
     * HelloResponse.
     *
     * @param options       the engine's pool sizes
     * @param timeoutMillis the bound of every wait of this session
     * @throws CliException    with the engine's status if the connect fails, or a timeout
     * @throws tofu.AmpeException with INVALID_ADDRESS if {@code address} does not parse
     */
    public static ClientSession connect(String address, Options options, long timeoutMillis)
            throws InterruptedException {
        Address parsed = Address.parseClient(address);
        ClientSession session = new ClientSession(Reactor.create(options), parsed, timeoutMillis);
        try {
            session.hello();
            return session;
        } catch (RuntimeException | InterruptedException e) {
            session.close();
            throw e;
        }
    }

    private void hello() throws InterruptedException {
        try {
            channel = Channels.connect(ampe(), group, address, Duration.ofNanos(timeoutNanos));
        } catch (AmpeException e) {
            throw CliException.of(e, "connect to " + address.value());
        }
    }

    /** Returns the engine's interface, to take and put messages. */
    public Ampe ampe() {
        return reactor.ampe();
    }

    /** Returns the address this session connected to. */
    public Address address() {
        return address;
    }

    /** Returns the client channel number. */
    public int channel() {
        return channel;
    }

    /** Returns the bound of every wait, in nanoseconds. */
    public long timeoutNanos() {
        return timeoutNanos;
    }

    /** Takes a fresh message addressed to this session's channel, with opcode {@code op}. */
    public Message message(OpCode op) {
        Message m = ampe().get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(op).channelNumber(channel);
        return m;
    }

    /** Posts {@code msg} and returns the header as posted (with its message id); the engine owns it afterwards. */
    public BinaryHeader post(Message msg) {
        return group.post(msg);
    }

    /** Posts {@code msg} without allocating a header snapshot (the measuring path); the engine owns it afterwards. */
    public void send(Message msg) {
        group.post(msg, posted);
    }

    /**
     * Returns the next message from the peer; the caller owns it. Engine reports end the session: a returned message
     * or a CHANNEL_CLOSED signal throws with its status.
     *
     * @param waitingFor what the caller waits for, for the timeout message
     * @throws CliException on timeout or when the engine reports a failure
     */
    public Message nextFromPeer(String waitingFor) throws InterruptedException {
        while (true) {
            Message m = group.waitReceive(timeoutNanos);
            if (m == null) {
                throw CliException.timeout("no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                        + " ms while waiting for " + waitingFor);
            }
            if (m.isFromApplication()) {
                return m;
            }
            failOnReport(m);
        }
    }

    /**
     * Returns the next message from the peer within {@code timeoutNanos}, or null if none came; the caller owns it.
     * Engine reports end the session as in {@link #nextFromPeer(String)}.
     */
    public Message poll(long timeoutNanos) throws InterruptedException {
        long end = System.nanoTime() + timeoutNanos;
        while (true) {
            Message m = group.waitReceive(Math.max(0, end - System.nanoTime()));
            if (m == null || m.isFromApplication()) {
                return m;
            }
            failOnReport(m);
        }
    }

    /** Puts an engine report back; returns for informational ones, throws for those that end the session. */
    private void failOnReport(Message m) {
        AmpeStatus status = m.bhdr().status();
        OpCode op = m.bhdr().opCode();
        String reason = m.thdrs().get("~reason"); // the engine's words, e.g. why a TLS handshake failed
        ampe().put(m);
        if (status == AmpeStatus.POOL_EMPTY || status == AmpeStatus.RECEIVER_UPDATE) {
            return; // informational: the engine keeps going
        }
        if (op == OpCode.HELLO_REQUEST) {
            throw CliException.status(status, "connect to " + SafeText.escape(address.value()) + " failed"
                    + (reason == null ? "" : " (" + SafeText.escape(reason) + ")"));
        }
        if (status == AmpeStatus.CHANNEL_CLOSED && op == OpCode.SIGNAL) {
            throw CliException.status(status, "the connection to " + address.value() + " was closed");
        }
        throw CliException.status(status, op + " to " + address.value() + " came back");
    }

    /**
     * Closes the channel gracefully: posts a ByeRequest, waits for the ByeResponse and the engine's CHANNEL_CLOSED
     * signal. Messages that arrive from the peer in the meantime go to {@code others} (which must put them back or
     * keep them).
     *
     * @throws CliException on timeout or if the channel ends any other way
     */
    public void bye(Consumer<Message> others) throws InterruptedException {
        group.post(message(OpCode.BYE_REQUEST));
        boolean answered = false;
        while (true) {
            Message m = group.waitReceive(timeoutNanos);
            if (m == null) {
                throw CliException.timeout("no " + (answered ? "close" : "ByeResponse") + " within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms from " + address.value());
            }
            boolean closedSignal = m.isFromEngine() && m.bhdr().opCode() == OpCode.SIGNAL
                    && m.bhdr().status() == AmpeStatus.CHANNEL_CLOSED;
            if (m.isFromApplication() && m.bhdr().opCode() == OpCode.BYE_RESPONSE) {
                answered = true;
                ampe().put(m);
            } else if (closedSignal && answered) {
                ampe().put(m);
                return;
            } else if (m.isFromApplication()) {
                others.accept(m);
            } else {
                AmpeStatus status = m.bhdr().status();
                ampe().put(m);
                if (status != AmpeStatus.POOL_EMPTY && status != AmpeStatus.RECEIVER_UPDATE) {
                    throw CliException.status(status, "closing the connection to " + address.value() + " failed");
                }
            }
        }
    }

    /** Stops the engine (closing the channel abortively if it is still open); idempotent, any thread. */
    @Override
    public void close() {
        reactor.close();
    }
}
