package tofu.hostile;

import java.util.function.Predicate;
import tofu.Address;

/**
 * {@link EchoServerMain} running in a {@link ChildJvm} with a capped heap: its actual address, its figures on demand,
 * and the CHANNEL_CLOSED signals it reported. One test thread drives it.
 */
final class EchoChild implements AutoCloseable {
    private final ChildJvm jvm;
    private final Address address;
    private int statsRequests;

    private EchoChild(ChildJvm jvm, Address address) {
        this.jvm = jvm;
        this.address = address;
    }

    /** Starts the echo server on {@code listenOn} with {@code -Xmx<maxHeap>} and waits until it listens. */
    static EchoChild start(String maxHeap, Address listenOn) throws InterruptedException {
        ChildJvm jvm = ChildJvm.start(maxHeap, EchoServerMain.class, listenOn.value());
        try {
            String line = jvm.awaitLine(l -> l.startsWith("listening "), "its listening line");
            return new EchoChild(jvm, Address.parseServer(line.substring("listening ".length())).asClient());
        } catch (RuntimeException | Error | InterruptedException e) {
            jvm.close();
            throw e;
        }
    }

    /** The address clients dial. */
    Address address() {
        return address;
    }

    /** Asks for the child's figures and waits (bounded) for them; fails first if the child died. */
    EchoStats stats() throws InterruptedException {
        jvm.assertAlive("before a stats request");
        String seq = Integer.toString(++statsRequests);
        jvm.send("stats " + seq);
        String line = jvm.awaitLine(l -> l.startsWith("stats " + seq + " "), "stats " + seq);
        return EchoStats.parse(line);
    }

    /**
     * Waits (bounded) for the child to report the CHANNEL_CLOSED signal of the channel {@code who} said hello on;
     * returns the line, {@code closed <channel> <who> <reason>}.
     */
    String awaitClosed(String who) {
        Predicate<String> closed = l -> l.startsWith("closed ") && l.split(" ")[2].equals(who);
        Await.until("the child reports " + who + "'s channel closed", () -> !jvm.linesMatching(closed).isEmpty(),
                () -> "alive " + jvm.isAlive());
        return jvm.linesMatching(closed).get(0);
    }

    /** Fails the test if the child has died or ran out of memory. */
    void assertAlive(String when) {
        jvm.assertAlive(when);
    }

    /** If the child died, fails saying so (with its stderr), {@code cause} attached; else returns. */
    void assertAliveOr(Throwable cause) throws InterruptedException {
        jvm.assertAliveOr(cause);
    }

    @Override
    public void close() {
        jvm.close();
    }
}
