package tofu.cli.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import tofu.Address;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;
import tofu.cli.CliException;
import tofu.cli.Deadline;

/**
 * The print spool server: listens, accepts RIP workers, deals the jobs out among them (each job a multi-request
 * stream whose message id is the job id), counts a job complete when its worker reports the last chunk rendered,
 * answers each worker's ByeRequest, and closes its listener once every worker has gone.
 */
final class SpoolServer extends Actor {
    private final DemoConfig config;
    private final AtomicInteger jobsDone = new AtomicInteger();
    private int listenerChannel;

    /** What the server knows about a connected worker; confined to the server's thread. */
    private static final class Link {
        final String name;
        final int jobs;

        Link(String name, int jobs) {
            this.name = name;
            this.jobs = jobs;
        }
    }

    SpoolServer(DemoConfig config, Reactor reactor, Timeline timeline, Deadline deadline,
            BiConsumer<String, CliException> failures) {
        super("spool", reactor, timeline, deadline, failures);
        this.config = config;
    }

    /**
     * Starts listening, on the calling thread before {@link #start()} (the group is still quiet), and returns the
     * actual bound address.
     *
     * @throws CliException with the engine's status if the listen fails, or a timeout at the demo's deadline
     */
    Address listen(Address address) throws InterruptedException {
        try {
            Channels.Listener listener = Channels.listen(ampe, group, address, remaining());
            listenerChannel = listener.channel();
            return listener.address();
        } catch (AmpeException e) {
            throw CliException.of(e, "listen on " + address.value());
        }
    }

    /** Returns the number of jobs reported complete so far; safe from any thread. */
    int jobsDone() {
        return jobsDone.get();
    }

    @Override
    protected void act() throws InterruptedException {
        Map<Integer, Link> links = new HashMap<>();
        int hellos = 0;
        int closed = 0;
        while (closed < config.workers()) {
            Message m = receive("the RIP workers (" + closed + " of " + config.workers() + " finished)");
            int channel = m.bhdr().channelNumber();
            if (m.isFromEngine()) {
                timeline.record(Timeline.ENGINE, name, m);
                closed += onReport(m, links.containsKey(channel));
                continue;
            }
            Link link = links.get(channel);
            String from = link != null ? link.name
                    : Objects.requireNonNullElse(m.thdrs().get(PrintProtocol.WORKER), "?");
            timeline.record(from, name, m);
            switch (m.bhdr().opCode()) {
                case HELLO_REQUEST:
                    links.put(channel, new Link(from, accept(m, hellos++)));
                    continue; // the HelloRequest became the HelloResponse
                case SIGNAL:
                    onProgress(m);
                    break;
                case BYE_REQUEST:
                    checkStatus(m, link);
                    m.thdrs().reset();
                    m.bhdr().opCode(OpCode.BYE_RESPONSE);
                    group.post(m);
                    continue;
                default:
                    throw CliException.failed("unexpected " + m.bhdr().opCode() + " from " + from);
            }
            ampe.put(m);
        }
        closeListener();
    }

    /** Accepts worker number {@code index} (0-based) and sends it its share of the jobs; returns that share. */
    private int accept(Message hello, int index) {
        int channel = hello.bhdr().channelNumber();
        String pdl = hello.thdrs().get(PrintProtocol.PDL);
        List<Integer> share = new ArrayList<>();
        for (int job = index + 1; job <= config.jobs() && index < config.workers(); job += config.workers()) {
            share.add(job);
        }
        hello.thdrs().reset();
        hello.thdrs().append(PrintProtocol.JOBS, Integer.toString(share.size()));
        hello.bhdr().opCode(OpCode.HELLO_RESPONSE);
        group.post(hello);
        for (int job : share) {
            sendJob(channel, job, pdl == null ? "PS" : pdl);
        }
        return share.size();
    }

    /** Sends one job as a stream: the ticket, then the PDL data chunks; {@code more} on all but the last part. */
    private void sendJob(int channel, int job, String pdl) {
        Message ticket = message(channel);
        ticket.bhdr().opCode(OpCode.REQUEST).messageId(job).more(true);
        ticket.thdrs().append(PrintProtocol.JOB_TICKET, "job-" + job)
                .append(PrintProtocol.CHUNKS, Integer.toString(config.chunks()));
        ticket.body().append("job " + job + ": " + config.chunks() + " x " + config.chunkSize() + " B of " + pdl
                + ", A4, 1 copy, duplex");
        group.post(ticket);
        for (int chunk = 1; chunk <= config.chunks(); chunk++) {
            Message data = message(channel);
            data.bhdr().opCode(OpCode.REQUEST).messageId(job).more(chunk < config.chunks());
            data.body().append(PdlData.chunk(pdl, job, chunk, config.chunkSize()));
            group.post(data);
        }
    }

    private void onProgress(Message signal) {
        int[] progress = PrintProtocol.parseProgress(signal.thdrs().get(PrintProtocol.PROGRESS));
        if (progress == null) {
            throw CliException.failed("a SIGNAL without a valid " + PrintProtocol.PROGRESS + " header");
        }
        if (progress[0] == progress[1]) {
            jobsDone.incrementAndGet();
        }
    }

    private static void checkStatus(Message bye, Link link) {
        String status = bye.thdrs().get(PrintProtocol.STATUS);
        if (link == null || !PrintProtocol.doneStatus(link.jobs).equals(status)) {
            throw CliException.failed("a worker said bye with status '" + status + "'");
        }
    }

    /** Handles an engine report; returns 1 when a worker's channel closed. */
    private int onReport(Message m, boolean workerChannel) {
        AmpeStatus status = m.bhdr().status();
        boolean closedSignal = m.bhdr().opCode() == OpCode.SIGNAL && status == AmpeStatus.CHANNEL_CLOSED;
        ampe.put(m);
        if (closedSignal && workerChannel) {
            return 1;
        }
        if (status == AmpeStatus.POOL_EMPTY) {
            return 0;
        }
        throw CliException.status(status, "the spool server lost a connection");
    }

    /** Closes the listener (ByeSignal) and waits for its CHANNEL_CLOSED signal. */
    private void closeListener() throws InterruptedException {
        Message bye = message(listenerChannel);
        bye.bhdr().opCode(OpCode.BYE_SIGNAL);
        group.post(bye);
        while (true) {
            Message m = receive("the listener to close");
            timeline.record(Timeline.ENGINE, name, m);
            boolean done = m.isFromEngine() && m.bhdr().opCode() == OpCode.SIGNAL
                    && m.bhdr().channelNumber() == listenerChannel;
            ampe.put(m);
            if (done) {
                return;
            }
        }
    }
}
