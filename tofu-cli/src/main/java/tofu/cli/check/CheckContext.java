package tofu.cli.check;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tofu.Address;
import tofu.OpCode;
import tofu.cli.wire.FrameConnection;
import tofu.cli.wire.FrameConnection.Event;
import tofu.cli.wire.FrameConnection.Kind;
import tofu.cli.wire.Hex;
import tofu.cli.wire.RawSockets;
import tofu.cli.wire.WireFrame;

/**
 * What every check acts through: connections to the peer under test, message ids, the bound of every wait, and the
 * evidence of the check in progress (each frame sent and each event received, with its bytes).
 *
 * <p>It also keeps every frame the peer sent during the whole run, tagged with its connection, for the checks that
 * judge all of them. Used by one thread, one check at a time ({@link #begin()} ... {@link #end()}).
 */
public final class CheckContext {
    /** The channel number the checker writes in its frames (the sender's own local number; any of 1..65534). */
    static final int OUR_CHANNEL = 1;
    /** Bytes of a frame shown as evidence. */
    private static final int EVIDENCE_BYTES = 24;

    /** A frame the peer sent on connection number {@code connection} (numbered from 1 in order of opening). */
    record Observed(int connection, WireFrame frame) {
    }

    /** Thrown when the handshake a check needs does not work; carries the evidence gathered so far. */
    static final class SetupFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SetupFailure(String reason) {
            super(reason);
        }
    }

    private final Address address;
    private final long timeoutNanos;
    private final boolean echo;
    private final long silentMillis;
    private final List<Observed> observed = new ArrayList<>();
    private final List<FrameConnection> open = new ArrayList<>();
    private List<String> evidence = new ArrayList<>();
    private long nextId = 1;
    private int connections;
    private boolean connectedOnce;

    /**
     * @param address      the peer, a client address
     * @param timeoutNanos the bound of every wait for the peer
     * @param echo         true if the peer answers requests and signals like {@code tofu listen --echo}
     * @param silentMillis how long the silent-connection check stays silent
     */
    CheckContext(Address address, long timeoutNanos, boolean echo, long silentMillis) {
        this.address = address;
        this.timeoutNanos = timeoutNanos;
        this.echo = echo;
        this.silentMillis = silentMillis;
    }

    /** Returns true if the peer is expected to echo. */
    boolean echo() {
        return echo;
    }

    /** Returns the bound of every wait, in nanoseconds. */
    long timeoutNanos() {
        return timeoutNanos;
    }

    /** Returns how long the silent-connection check stays silent, in ms. */
    long silentMillis() {
        return silentMillis;
    }

    /** Returns true once any connection to the peer has been opened. */
    boolean connectedOnce() {
        return connectedOnce;
    }

    /** Returns every frame the peer sent so far, in order. */
    List<Observed> observed() {
        return observed;
    }

    /** Starts a check: fresh evidence. */
    void begin() {
        evidence = new ArrayList<>();
    }

    /** Ends a check: closes every connection it opened. */
    void end() {
        open.forEach(FrameConnection::close);
        open.clear();
    }

    /** Returns a new message id (1, 2, 3, ... over the run). */
    long id() {
        return nextId++;
    }

    /** Adds a line of evidence. */
    void note(String line) {
        evidence.add(line);
    }

    /** Concludes with a pass and the evidence gathered. */
    Outcome pass(String detail) {
        return Outcome.pass(detail, evidence);
    }

    /** Concludes with a failure and the evidence gathered. */
    Outcome fail(String detail) {
        return Outcome.fail(detail, evidence);
    }

    /** Opens a new connection to the peer (number n in the evidence). */
    FrameConnection connect() throws IOException {
        int number = ++connections;
        FrameConnection c = new FrameConnection(RawSockets.connect(address),
                f -> observed.add(new Observed(number, f)));
        open.add(c);
        connectedOnce = true;
        return c;
    }

    /** The HelloRequest a client sends: channel 0 is not allowed on the wire, so our own channel, and ~connect_to. */
    WireFrame helloRequest(long id) {
        return WireFrame.of(OpCode.HELLO_REQUEST.code(), OUR_CHANNEL, id)
                .withHeaders(Address.CONNECT_TO, address.value());
    }

    /** A data frame on our channel. */
    WireFrame frame(int opcode, long id) {
        return WireFrame.of(opcode, OUR_CHANNEL, id);
    }

    /** Sends frames back to back in one write, noting each. */
    void send(FrameConnection c, WireFrame... frames) throws IOException {
        for (WireFrame f : frames) {
            note("sent " + f + ": " + Hex.of(f.encode(), 0, f.wireLength(), EVIDENCE_BYTES));
        }
        if (!c.send(timeoutNanos, frames)) {
            note("the peer did not take all of it within " + timeoutNanos / 1_000_000 + " ms");
        }
    }

    /** Sends raw bytes, noting them as {@code what}. */
    void sendRaw(FrameConnection c, byte[] bytes, String what) throws IOException {
        note("sent " + what + ": " + Hex.of(bytes, 0, bytes.length, EVIDENCE_BYTES));
        if (!c.send(bytes, timeoutNanos)) {
            note("the peer did not take all of it within " + timeoutNanos / 1_000_000 + " ms");
        }
    }

    /** Waits for the next event within the timeout, noting it. */
    Event next(FrameConnection c) throws IOException {
        return next(c, timeoutNanos);
    }

    /** Waits for the next event within {@code nanos}, noting it. */
    Event next(FrameConnection c, long nanos) throws IOException {
        Event e = c.next(nanos);
        note("got " + e.describe());
        return e;
    }

    /**
     * Connects and completes the handshake: HelloRequest out, HelloResponse with the same id back.
     *
     * @throws SetupFailure if the peer answers anything else
     */
    FrameConnection session() throws IOException {
        FrameConnection c = connect();
        long id = id();
        WireFrame hello = helloRequest(id);
        if (!c.send(timeoutNanos, hello)) {
            note("sent " + hello + " (not taken in time)");
        }
        Event e = c.next(timeoutNanos);
        if (e.kind() != Kind.FRAME || e.frame().opcode() != OpCode.HELLO_RESPONSE.code()) {
            note("sent " + hello);
            note("got " + e.describe());
            throw new SetupFailure("the handshake failed: no HelloResponse");
        }
        note("handshake: HELLO_REQUEST id " + id + " answered by HELLO_RESPONSE on the peer's channel "
                + e.frame().channel()); // the bytes are hello.response's evidence; here they would only be noise
        return c;
    }

    /**
     * Confirms the peer still serves the connection: a ByeRequest must be answered by a ByeResponse with its id (any
     * other frames before it are noted and skipped).
     *
     * @param after what was done before, for the sentence
     */
    Outcome alive(FrameConnection c, String after) throws IOException {
        long id = id();
        send(c, frame(OpCode.BYE_REQUEST.code(), id));
        long end = System.nanoTime() + timeoutNanos; // bounded even if the peer keeps sending other frames
        while (true) {
            Event e = next(c, end - System.nanoTime());
            if (e.kind() != Kind.FRAME) {
                return fail("after " + after + ", the peer did not answer a ByeRequest");
            }
            if (is(e, OpCode.BYE_RESPONSE.code(), id)) {
                return pass("after " + after + ", the peer kept the connection and answered a ByeRequest");
            }
        }
    }

    /** Returns true if {@code e} is the given opcode with the given id. */
    static boolean is(Event e, int opcode, long id) {
        return e.kind() == Kind.FRAME && e.frame().opcode() == opcode && e.frame().messageId() == id;
    }
}
