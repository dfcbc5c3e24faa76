package tofu;

import java.time.Duration;
import java.util.Objects;

/**
 * Opening a listener or a connection in one blocking call: sugar over the two opening exchanges of the contract, the
 * WelcomeRequest answered by a WelcomeResponse ({@link #listen listen}) and the HelloRequest answered by a
 * HelloResponse ({@link #connect(Ampe, ChannelGroup, Address, Duration) connect}). Each call posts the request with
 * {@link ChannelGroup#post(Message)}, receives with {@link ChannelGroup#waitReceive(long)} until the answer comes, and
 * turns what the engine reports into a return value or an exception. Nothing changes underneath: the same messages
 * travel, and the message-based way remains the reference (docs/PROTOCOL.md §6.2, §6.3).
 *
 * <pre>{@code
 * Channels.Listener listener = Channels.listen(ampe, server, Address.tcpServer("127.0.0.1", 0), Duration.ofSeconds(5));
 * int channel = Channels.connect(ampe, client, listener.dialAddress(), Duration.ofSeconds(5));
 * }</pre>
 *
 * <p><b>The group must be quiet.</b> A group has one receive queue, and while a call waits it is that queue's
 * receiver. Call it where nothing else can arrive on the group: before its receive loop starts and while its other
 * channels (if any) are idle — typically at start-up, or on a group of its own. A message that is not about the
 * call's channel (another channel's traffic, an {@link ChannelGroup#updateReceiver updateReceiver} item, a POOL_EMPTY
 * notice for another channel) cannot be put back in its place in the queue, so the call does not guess what to do
 * with it: it puts it back into the pool, aborts its own channel and throws {@link IllegalStateException} describing
 * the message. Nothing is dropped silently. A server that opens listeners while it is already serving posts its
 * WelcomeRequests and handles the WelcomeResponses in its receive loop, like any other message.
 *
 * <p><b>Failures.</b> A failure leaves nothing behind (but after an interrupt or behind a stalled engine, below): the
 * call's channel is closed and every message about it (the returned request, the CHANNEL_CLOSED signal, a late answer)
 * has gone back to the pool before the call throws, so the group can be used again at once.
 * <ul>
 *   <li>A refused post (its synchronous checks, e.g. SHUTDOWN_STARTED, INVALID_ADDRESS) throws as {@code post} does.
 *   <li>An engine report about the channel — the request returned with origin ENGINE (LISTEN_FAILED,
 *       INVALID_ADDRESS, CONNECT_FAILED, UDS_PATH_NOT_FOUND...), or the channel's CHANNEL_CLOSED signal (the peer
 *       closed the connection before answering) — throws {@link AmpeException} with the report's status; the
 *       exception's message names the report and its {@code ~reason}.
 *   <li>No answer within the timeout: the call aborts its channel with a BYE_SIGNAL, collects the reports of that
 *       abort, and throws {@link AmpeException} with LISTEN_FAILED or CONNECT_FAILED whose cause is a
 *       {@link java.util.concurrent.TimeoutException}. Collecting the abort's reports takes microseconds; the call
 *       waits at most one second more for them (only a stalled engine takes longer, and then the exception says that
 *       they may still arrive on the group).
 *   <li>A peer that sends anything but its HelloResponse first has broken the handshake: the connection is aborted
 *       and the call throws {@link AmpeException} with CONNECT_FAILED.
 *   <li>The group destroyed or the engine closed meanwhile: {@link AmpeException} with SHUTDOWN_STARTED, as from
 *       {@code waitReceive} (the destroy has already returned every message to the pool).
 *   <li>An interrupt: the channel is aborted with a BYE_SIGNAL and {@link InterruptedException} is thrown at once; the
 *       abort's reports for that channel then still arrive on the group.
 * </ul>
 *
 * <p><b>Threading.</b> The methods are stateless and may be called from any thread, virtual threads included (they
 * park, as {@code waitReceive} does). Each call blocks its thread until the answer, a failure or the timeout, and acts
 * as the group's one receiving thread meanwhile: no other thread may be in {@code waitReceive} on the group during
 * the call (it would take the answer), and two calls on one group must not overlap. {@code post} from other threads
 * to other groups is unaffected.
 *
 * <p><b>Ownership.</b> The calls take their messages from {@code ampe}'s pool and put back everything they receive,
 * except the HelloResponse that {@link #connect(Ampe, ChannelGroup, Message, Duration)} returns to its caller.
 * {@code ampe} must be the engine of {@code group}.
 *
 * @since 0.1.0
 */
public final class Channels {

    /**
     * A listener that is up, as {@link Channels#listen listen} returns it. Immutable and thread-safe.
     *
     * @param channel   the listener's channel number: post a BYE_SIGNAL on it to close the listener
     * @param messageId the message id of the WelcomeRequest, which the listener's CHANNEL_CLOSED signal carries
     * @param address   the address actually bound, in its server form: for TCP port 0, the real port
     * @since 0.1.0
     */
    public record Listener(int channel, long messageId, Address address) {
        /**
         * Checks the components.
         *
         * @param channel   the listener's channel number, 1..65534
         * @param messageId the message id of the WelcomeRequest
         * @param address   the address actually bound, in its server form
         * @throws IllegalArgumentException if {@code channel} is outside 1..65534 or {@code address} is a client
         *                                  address
         * @throws NullPointerException     if {@code address} is null
         */
        public Listener {
            if (channel < 1 || channel > 65534) {
                throw new IllegalArgumentException("channel must be 1..65534, was " + channel);
            }
            if (Objects.requireNonNull(address, "address").isClient()) {
                throw new IllegalArgumentException("a listener's address is a server address, was " + address.value());
            }
        }

        /**
         * Returns the address a client dials to reach this listener: {@link #address()} in its client form, the
         * wildcards {@code 0.0.0.0} and {@code ::} replaced by the loopback.
         *
         * @return the client address of this listener
         */
        public Address dialAddress() {
            return address.asClient();
        }
    }

    private Channels() {
    }

    /**
     * Opens a listener and waits until it is ready: posts a WelcomeRequest for {@code address} on {@code group} and
     * waits for its WelcomeResponse, which carries the address actually bound (for TCP port 0, the real port).
     * Connections the listener accepts belong to {@code group}: their HelloRequests arrive in its receive loop.
     * Failures are as described in the class comment; the group must be quiet while the call waits.
     *
     * @param ampe    the engine of {@code group}, whose pool the messages come from and go back to
     * @param group   the group that will own the listener and its connections
     * @param address a server address ({@code tcp|127.0.0.1|0}, {@code uds|/run/app.sock})
     * @param timeout how long to wait for the WelcomeResponse; positive
     * @return the listener's channel number, WelcomeRequest id and actual address
     * @throws AmpeException            with the engine's status (LISTEN_FAILED for a port in use, a live UDS listener
     *                                  or a missing directory; INVALID_ADDRESS for an unknown host), LISTEN_FAILED on
     *                                  timeout (cause: {@link java.util.concurrent.TimeoutException}),
     *                                  SHUTDOWN_STARTED once the group or engine is gone, or a refused post's status
     * @throws IllegalStateException    if another message arrived on the group meanwhile (see the class comment)
     * @throws IllegalArgumentException if {@code address} is a client address or {@code timeout} is not positive
     * @throws InterruptedException     if the thread is interrupted while waiting (the listener is aborted)
     */
    public static Listener listen(Ampe ampe, ChannelGroup group, Address address, Duration timeout)
            throws InterruptedException {
        checkCommon(ampe, group, timeout);
        if (Objects.requireNonNull(address, "address").isClient()) {
            throw new IllegalArgumentException("listen needs a server address, was the client address "
                    + address.value());
        }
        Message welcome = ampe.get(AllocationStrategy.ALWAYS);
        address.format(welcome);
        OpeningExchange exchange = new OpeningExchange(ampe, group, OpCode.WELCOME_RESPONSE,
                "listen on " + address.value(), AmpeStatus.LISTEN_FAILED, timeout);
        Message ready = exchange.run(welcome);
        try {
            return new Listener(exchange.channel(), exchange.requestId(), Address.of(ready));
        } finally {
            ampe.put(ready);
        }
    }

    /**
     * Connects to a server and waits until it has accepted: posts a HelloRequest for {@code address} on {@code group}
     * and waits for the server's HelloResponse. Returns the channel number, on which the application may then post
     * and receive. (Without this call an application may post data right behind its HelloRequest without waiting;
     * the call is for those that want to know the server accepted first.) Failures are as described in the class
     * comment; the group must be quiet while the call waits.
     *
     * @param ampe    the engine of {@code group}, whose pool the messages come from and go back to
     * @param group   the group that will own the connection
     * @param address a client address ({@code tcp|127.0.0.1|7099}, {@code uds|/run/app.sock})
     * @param timeout how long to wait for the HelloResponse; positive
     * @return the connection's channel number
     * @throws AmpeException            with the engine's status (CONNECT_FAILED, UDS_PATH_NOT_FOUND, INVALID_ADDRESS,
     *                                  or CHANNEL_CLOSED if the server closed the connection instead of answering),
     *                                  CONNECT_FAILED on timeout (cause: {@link java.util.concurrent.TimeoutException})
     *                                  or when the server sent something else first, SHUTDOWN_STARTED once the group
     *                                  or engine is gone, or a refused post's status
     * @throws IllegalStateException    if another message arrived on the group meanwhile (see the class comment)
     * @throws IllegalArgumentException if {@code address} is a server address or {@code timeout} is not positive
     * @throws InterruptedException     if the thread is interrupted while waiting (the connection is aborted)
     */
    public static int connect(Ampe ampe, ChannelGroup group, Address address, Duration timeout)
            throws InterruptedException {
        checkCommon(ampe, group, timeout);
        if (!Objects.requireNonNull(address, "address").isClient()) {
            throw new IllegalArgumentException("connect needs a client address, was the server address "
                    + address.value() + " (asClient() gives the address to dial)");
        }
        Message hello = ampe.get(AllocationStrategy.ALWAYS);
        address.format(hello);
        Message response = hello(ampe, group, hello, timeout);
        int channel = response.bhdr().channelNumber();
        ampe.put(response);
        return channel;
    }

    /**
     * Same as {@link #connect(Ampe, ChannelGroup, Address, Duration)} with a HelloRequest the caller prepared — text
     * headers or a body that introduce the client to the server — and returning the server's HelloResponse, whose
     * headers and body the server may have filled in turn. Prepare {@code hello} with
     * {@link Address#format(Message)}, which makes it a HelloRequest and keeps its headers and body.
     *
     * <p>Once the argument checks pass, {@code hello} belongs to the call whatever happens (it is posted, and what
     * comes back of it goes to the pool); the caller must not touch it again.
     *
     * @param ampe    the engine of {@code group}, whose pool the messages come from and go back to
     * @param group   the group that will own the connection
     * @param hello   a HelloRequest with its {@code ~connect_to} header, channel 0
     * @param timeout how long to wait for the HelloResponse; positive
     * @return the HelloResponse, owned by the caller (put it back when done); its channel number is the connection's
     * @throws AmpeException            as {@link #connect(Ampe, ChannelGroup, Address, Duration)}, and WRONG_ADDRESS
     *                                  if {@code hello} has no {@code ~connect_to} header
     * @throws IllegalStateException    if another message arrived on the group meanwhile (see the class comment), or
     *                                  if {@code hello} is currently posted
     * @throws IllegalArgumentException if {@code hello} is not a HELLO_REQUEST or {@code timeout} is not positive
     * @throws InterruptedException     if the thread is interrupted while waiting (the connection is aborted)
     */
    public static Message connect(Ampe ampe, ChannelGroup group, Message hello, Duration timeout)
            throws InterruptedException {
        checkCommon(ampe, group, timeout);
        OpCode op = Objects.requireNonNull(hello, "hello").bhdr().opCode();
        if (op != OpCode.HELLO_REQUEST) {
            throw new IllegalArgumentException("connect needs a HELLO_REQUEST (use Address.format), was " + op);
        }
        return hello(ampe, group, hello, timeout);
    }

    private static Message hello(Ampe ampe, ChannelGroup group, Message hello, Duration timeout)
            throws InterruptedException {
        String target = hello.thdrs().get(Address.CONNECT_TO);
        OpeningExchange exchange = new OpeningExchange(ampe, group, OpCode.HELLO_RESPONSE,
                "connect to " + (target == null ? "(no " + Address.CONNECT_TO + ")" : target),
                AmpeStatus.CONNECT_FAILED, timeout);
        return exchange.run(hello);
    }

    private static void checkCommon(Ampe ampe, ChannelGroup group, Duration timeout) {
        Objects.requireNonNull(ampe, "ampe");
        Objects.requireNonNull(group, "group");
        if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }
}
