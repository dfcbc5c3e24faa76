package tofu.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 9 — reconnect with exponential backoff and jitter while the server is down.
 *
 * <p>A failed connect is not an exception in tofu: the engine returns the HelloRequest with a status
 * (CONNECT_FAILED, or UDS_PATH_NOT_FOUND when a socket file is missing), then the channel's CHANNEL_CLOSED signal.
 * The client waits, doubling the delay each time (up to a cap) with random jitter so that many clients do not retry
 * in lock-step, and tries again with a new HelloRequest. Here the recipe plays the operator: it brings the server up
 * from the client's failure callback after a chosen number of failures, so the next attempt is the one that succeeds.
 */
public final class ReconnectWithBackoff {
    /**
     * Exponential backoff: the n-th delay is {@code base * 2^(n-1)}, capped at {@code max}, of which a random half is
     * taken away ("equal jitter": never less than half the nominal delay, never more than all of it).
     */
    public record Backoff(Duration base, Duration max) {
        /** The nominal (jitter-free) delay after failure {@code n}, counting from 1. */
        public Duration nominal(int n) {
            long nanos = base.toNanos() << Math.min(n - 1, 30);
            return Duration.ofNanos(Math.min(nanos, max.toNanos()));
        }

        /** The delay to actually wait after failure {@code n}: between half the nominal delay and all of it. */
        public Duration delay(int n) {
            long nominal = nominal(n).toNanos();
            return Duration.ofNanos(nominal / 2 + ThreadLocalRandom.current().nextLong(nominal / 2 + 1));
        }
    }

    /**
     * One failed attempt.
     *
     * @param number  the attempt, counting from 1
     * @param status  why it failed, as the engine reported
     * @param backoff the delay waited before the next attempt
     */
    public record Attempt(int number, AmpeStatus status, Duration backoff) {
    }

    /** Told about each failed attempt, before the backoff delay; runs on the connecting thread. */
    public interface FailureListener {
        void failed(Attempt attempt) throws InterruptedException;
    }

    /**
     * What happened.
     *
     * @param failures the failed attempts, in order
     * @param attempts all attempts, the successful one included
     * @param reply    the echo received once connected
     */
    public record Result(List<Attempt> failures, int attempts, String reply) {
    }

    private ReconnectWithBackoff() {
    }

    /** Runs the recipe: the server comes up after the client's fourth failure. */
    public static void main(String[] args) throws Exception {
        Result result = run(Transport.listenAddressFrom(args.length > 0 ? args[0] : "tcp"), 4,
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)));
        Examples.log("client", "%s", result);
    }

    /**
     * Connects, retrying with {@code backoff}, at most {@code maxAttempts} times.
     *
     * @return the channel number of the established connection
     * @throws AmpeException with the last failure's status once the attempts are used up
     */
    public static int connect(Ampe ampe, ChannelGroup group, Address server, Backoff backoff, int maxAttempts,
            FailureListener listener) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return Channels.connect(ampe, group, server, Examples.WAIT); // a fresh HelloRequest each time
            } catch (AmpeException e) {
                if (attempt == maxAttempts) {
                    throw e;
                }
                Duration delay = backoff.delay(attempt);
                Examples.log("client", "attempt %d: %s; retrying in %d ms", attempt, e.status(), delay.toMillis());
                listener.failed(new Attempt(attempt, e.status(), delay));
                TimeUnit.NANOSECONDS.sleep(delay.toNanos());
            }
        }
    }

    /** Keeps the server down until the client has failed {@code failuresBeforeServerUp} times, then brings it up. */
    public static Result run(Address listenOn, int failuresBeforeServerUp, Backoff backoff)
            throws InterruptedException {
        // A client retries one fixed address, so start the server once to turn port 0 into a real port, then stop it.
        Address serverAddress;
        try (EchoServer first = EchoServer.start(listenOn)) {
            serverAddress = first.boundAddress();
        }
        Examples.log("server", "down; will listen on %s again later", serverAddress.value());

        List<Attempt> failures = new ArrayList<>();
        EchoServer[] server = new EchoServer[1];
        try (Reactor reactor = Reactor.create()) {
            Ampe ampe = reactor.ampe();
            ChannelGroup client = ampe.create();
            int channel = connect(ampe, client, serverAddress.asClient(), backoff, failuresBeforeServerUp + 5,
                    failed -> {
                        failures.add(failed);
                        if (failed.number() == failuresBeforeServerUp) {
                            server[0] = EchoServer.start(serverAddress); // returns once it listens
                        }
                    });
            Examples.log("client", "connected on attempt %d", failures.size() + 1);

            client.post(Examples.message(ampe, channel, OpCode.REQUEST, "finally"));
            Message reply = Examples.receive(ampe, client);
            if (reply.isFromEngine()) {
                throw Examples.failure(ampe, reply, "request after reconnecting");
            }
            String text = reply.body().asString();
            ampe.put(reply);
            Examples.bye(ampe, client, channel);
            return new Result(failures, failures.size() + 1, text);
        } finally {
            if (server[0] != null) {
                server[0].close();
            }
        }
    }
}
