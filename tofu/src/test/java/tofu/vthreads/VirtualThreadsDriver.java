package tofu.vthreads;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
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
 * Runs in a child JVM on JDK 21 or newer (started by {@link VirtualThreadsTest}; compiled for 17, so virtual threads
 * and the newer JFR accessors are reached by reflection): 1,000 virtual threads doing request/response through tofu
 * over both transports at once, with one virtual receiver thread per group, under a JFR recording of
 * {@code jdk.VirtualThreadPinned} and {@code jdk.JavaMonitorWait} (threshold 0).
 *
 * <p>Exits 0 and prints {@code OK ...} only if every request got its own response, nothing unexpected came back,
 * every worker really was a virtual thread, and JFR saw no pinning and no monitor wait on a virtual thread. On JDK 24
 * and newer a monitor wait no longer pins, so the monitor-wait count is what catches one there.
 *
 * <p>Usage: {@code VirtualThreadsDriver <scratch dir>}; only the JDK and tofu's classes on the class path.
 */
public final class VirtualThreadsDriver {
    static final int REQUESTERS = 1_000;
    static final int GROUPS_PER_TRANSPORT = 4;
    static final int ROUNDS = 10;
    private static final long WAIT_SECONDS = 60;
    private static final Options POOL = new Options(256, 1024);

    private final Queue<String> errors = new ConcurrentLinkedQueue<>();
    private final Map<Long, BlockingQueue<Message>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger virtualWorkers = new AtomicInteger();
    private final Queue<Thread> receivers = new ConcurrentLinkedQueue<>();
    private final ThreadFactory virtual;
    private final Method isVirtual;

    private VirtualThreadsDriver() throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
        builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, "tofu-vt-", 0L);
        this.virtual = (ThreadFactory) ofVirtual.getMethod("factory").invoke(builder);
        this.isVirtual = Thread.class.getMethod("isVirtual");
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        VirtualThreadsDriver driver = new VirtualThreadsDriver();
        Path jfr = dir.resolve("virtual-threads.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.enable("jdk.JavaMonitorWait").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            driver.run(dir);
            recording.stop();
            recording.dump(jfr);
        }
        List<String> findings = driver.findings(jfr);
        int expected = REQUESTERS * ROUNDS;
        System.out.println("requests " + expected + ", responses " + driver.answered.get() + ", virtual workers "
                + driver.virtualWorkers.get() + ", JFR findings " + findings.size() + ", errors "
                + driver.errors.size());
        findings.stream().limit(20).forEach(f -> System.out.println("JFR: " + f));
        driver.errors.stream().limit(20).forEach(e -> System.out.println("error: " + e));
        boolean ok = driver.answered.get() == expected && driver.errors.isEmpty() && findings.isEmpty()
                && driver.virtualWorkers.get() == REQUESTERS + 1 + 2 * GROUPS_PER_TRANSPORT;
        System.out.println(ok ? "OK nothing lost, no pinning, no monitor wait on a virtual thread" : "FAILED");
        Files.deleteIfExists(jfr);
        System.exit(ok ? 0 : 1);
    }

    private void run(Path dir) throws Exception {
        try (Reactor server = Reactor.create(POOL); Reactor client = Reactor.create(POOL)) {
            Ampe sa = server.ampe();
            ChannelGroup serverGroup = sa.create();
            Address tcp = listen(sa, serverGroup, Address.tcpServer("127.0.0.1", 0));
            Address uds = listen(sa, serverGroup, Address.udsServer(dir.resolve("vt.sock").toString()));
            receivers.add(start(() -> echo(sa, serverGroup)));

            Ampe ca = client.ampe();
            List<ChannelGroup> groups = new ArrayList<>();
            List<Integer> channels = new ArrayList<>();
            CountDownLatch connected = new CountDownLatch(2 * GROUPS_PER_TRANSPORT);
            for (int g = 0; g < 2 * GROUPS_PER_TRANSPORT; g++) {
                ChannelGroup group = ca.create();
                groups.add(group);
                receivers.add(start(() -> dispatch(ca, group, connected)));
                Message hello = ca.get(AllocationStrategy.ALWAYS);
                (g < GROUPS_PER_TRANSPORT ? tcp : uds).format(hello);
                channels.add(group.post(hello).channelNumber());
            }
            check(connected.await(WAIT_SECONDS, TimeUnit.SECONDS), "every group connected");

            CountDownLatch done = new CountDownLatch(REQUESTERS);
            for (int r = 0; r < REQUESTERS; r++) {
                int requester = r;
                int g = r % groups.size();
                start(() -> {
                    try {
                        request(ca, groups.get(g), channels.get(g), requester);
                    } finally {
                        done.countDown();
                    }
                });
            }
            check(done.await(WAIT_SECONDS, TimeUnit.SECONDS), "every requester finished");
        } // closing both engines wakes every receiver with SHUTDOWN_STARTED
        for (Thread t : receivers) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            check(!t.isAlive(), "receiver " + t.getName() + " ended by the close");
        }
    }

    /** One requester: posts from its own virtual thread and waits for each answer before the next request. */
    private void request(Ampe ampe, ChannelGroup group, int channel, int requester) {
        countVirtual();
        BlockingQueue<Message> mailbox = new ArrayBlockingQueue<>(1);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                long id = ((long) requester << 16) + round + 1; // chosen here, so the mailbox is known before
                String body = requester + "." + round;
                waiting.put(id, mailbox);
                Message m = ampe.get(AllocationStrategy.ALWAYS);
                m.bhdr().opCode(OpCode.REQUEST).channelNumber(channel).messageId(id);
                m.body().append(body);
                group.post(m);
                Message answer = mailbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                if (answer == null) {
                    errors.add("requester " + requester + " round " + round + ": no answer");
                    return;
                }
                if (!body.equals(answer.body().asString())) {
                    errors.add("requester " + requester + " got " + answer.body().asString() + " for " + body);
                }
                answered.incrementAndGet();
                ampe.put(answer);
            }
        } catch (InterruptedException | RuntimeException e) {
            errors.add("requester " + requester + ": " + e);
        }
    }

    /** A client group's one receiver: hands each response to the requester waiting for its id. */
    private void dispatch(Ampe ampe, ChannelGroup group, CountDownLatch connected) {
        countVirtual();
        try {
            while (true) {
                Message m = group.waitReceive(ChannelGroup.INFINITE_TIMEOUT);
                if (m.isFromEngine()) {
                    if (m.bhdr().status() != AmpeStatus.POOL_EMPTY) {
                        errors.add("client engine report: " + m.bhdr().opCode() + " " + m.bhdr().status());
                    }
                } else if (m.bhdr().opCode() == OpCode.HELLO_RESPONSE) {
                    connected.countDown();
                } else {
                    BlockingQueue<Message> mailbox = waiting.remove(m.bhdr().messageId());
                    if (mailbox != null && mailbox.offer(m)) {
                        continue; // the requester owns it now
                    }
                    errors.add("an answer nobody waits for: id " + Long.toUnsignedString(m.bhdr().messageId()));
                }
                ampe.put(m);
            }
        } catch (AmpeException closed) {
            expectShutdown(closed);
        } catch (InterruptedException e) {
            errors.add("client receiver interrupted");
        }
    }

    /** The server group's one receiver: accepts connections and echoes requests as responses. */
    private void echo(Ampe ampe, ChannelGroup group) {
        countVirtual();
        try {
            while (true) {
                Message m = group.waitReceive(ChannelGroup.INFINITE_TIMEOUT);
                if (m.isFromEngine()) {
                    if (m.bhdr().status() != AmpeStatus.POOL_EMPTY && m.bhdr().status() != AmpeStatus.CHANNEL_CLOSED) {
                        errors.add("server engine report: " + m.bhdr().opCode() + " " + m.bhdr().status());
                    }
                    ampe.put(m);
                } else if (m.bhdr().opCode() == OpCode.HELLO_REQUEST || m.bhdr().opCode() == OpCode.REQUEST) {
                    m.bhdr().opCode(m.bhdr().opCode() == OpCode.REQUEST ? OpCode.RESPONSE : OpCode.HELLO_RESPONSE);
                    group.post(m); // posted from this virtual thread; the requester's thread posted the request
                } else {
                    ampe.put(m);
                }
            }
        } catch (AmpeException closed) {
            expectShutdown(closed);
        } catch (InterruptedException e) {
            errors.add("server receiver interrupted");
        }
    }

    private static Address listen(Ampe ampe, ChannelGroup group, Address address) throws InterruptedException {
        Message welcome = ampe.get(AllocationStrategy.ALWAYS);
        address.format(welcome);
        group.post(welcome);
        Message ready = group.waitReceive(TimeUnit.SECONDS.toNanos(WAIT_SECONDS));
        check(ready != null && ready.bhdr().status() == AmpeStatus.SUCCESS, "listening on " + address.value());
        Address bound = Address.of(ready).asClient();
        ampe.put(ready);
        return bound;
    }

    private Thread start(Runnable task) {
        Thread t = virtual.newThread(task);
        t.start();
        return t;
    }

    private void countVirtual() {
        try {
            if ((Boolean) isVirtual.invoke(Thread.currentThread())) {
                virtualWorkers.incrementAndGet();
            }
        } catch (ReflectiveOperationException e) {
            errors.add("cannot tell a virtual thread: " + e);
        }
    }

    private void expectShutdown(AmpeException e) {
        if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
            errors.add("receiver ended with " + e.status());
        }
    }

    /** Pinning of any thread, and monitor waits on virtual threads, with the top of their stacks. */
    private List<String> findings(Path jfr) throws Exception {
        Method virtualThread = RecordedThread.class.getMethod("isVirtual");
        List<String> found = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            boolean pinned = type.equals("jdk.VirtualThreadPinned");
            RecordedThread thread = e.getThread();
            boolean onVirtual = thread != null && (Boolean) virtualThread.invoke(thread);
            if (pinned || (type.equals("jdk.JavaMonitorWait") && onVirtual)) {
                String monitor = e.hasField("monitorClass") && e.getClass("monitorClass") != null
                        ? " on a monitor of " + e.getClass("monitorClass").getName() : "";
                String where = top(e);
                String finding = type + monitor + " in " + (thread == null ? "?" : thread.getJavaName()) + " at "
                        + where;
                if (where.startsWith("(")) {
                    // Nothing of tofu on the stack: the JDK pinned the thread on its own (class initialisation,
                    // a native frame of its own); not what this test is about. Shown, not counted.
                    System.out.println("JFR (not tofu, ignored): " + finding);
                } else {
                    found.add(finding);
                }
            }
        }
        return found;
    }

    /** The frames of tofu's own classes in the event's stack (the JDK's frames around them say little). */
    private static String top(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "(no stack)";
        }
        StringBuilder sb = new StringBuilder();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("tofu.") && !type.startsWith("tofu.vthreads.")) {
                sb.append(sb.length() == 0 ? "" : " < ").append(type).append('.').append(f.getMethod().getName());
            }
        }
        return sb.length() == 0 ? "(no tofu frame)" : sb.toString();
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("not done in time: " + what);
        }
    }
}
