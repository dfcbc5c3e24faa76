package tofu.cli.demo;

import java.util.HashMap;
import java.util.Map;
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
 * A raster image processor: connects to the spool server announcing its page description language, renders the
 * jobs it is sent (multi-request streams: a ticket, then PDL data chunks), reports progress with SIGNALs, and
 * finally says bye with its status.
 */
final class RipWorker extends Actor {
    private final String pdl;
    private final Address server;

    /** A job being received: its chunk count and how many chunks arrived. */
    private static final class Job {
        final int chunks;
        int received;

        Job(int chunks) {
            this.chunks = chunks;
        }
    }

    RipWorker(String name, String pdl, Address server, Reactor reactor, Timeline timeline, Deadline deadline,
            BiConsumer<String, CliException> failures) {
        super(name, reactor, timeline, deadline, failures);
        this.pdl = pdl;
        this.server = server;
    }

    @Override
    protected void act() throws InterruptedException {
        Message accepted = connect();
        int channel = accepted.bhdr().channelNumber();
        int expected;
        try {
            timeline.record("spool", name, accepted);
            expected = Integer.parseInt(accepted.thdrs().get(PrintProtocol.JOBS));
        } finally {
            ampe.put(accepted);
        }

        Map<Long, Job> jobs = new HashMap<>();
        int done = 0;
        boolean byeSent = false;
        boolean byeAnswered = false;
        while (true) {
            if (!byeSent && done == expected) {
                Message bye = message(channel);
                bye.bhdr().opCode(OpCode.BYE_REQUEST);
                bye.thdrs().append(PrintProtocol.STATUS, PrintProtocol.doneStatus(done));
                group.post(bye);
                byeSent = true;
            }
            Message m = receive("job data from the spool server");
            if (m.isFromEngine()) {
                timeline.record(Timeline.ENGINE, name, m);
                boolean closed = m.bhdr().opCode() == OpCode.SIGNAL && m.bhdr().status() == AmpeStatus.CHANNEL_CLOSED;
                AmpeStatus status = m.bhdr().status();
                ampe.put(m);
                if (closed && byeAnswered) {
                    return;
                }
                if (status != AmpeStatus.POOL_EMPTY) {
                    throw CliException.status(status, "the connection to the spool server failed");
                }
                continue;
            }
            timeline.record("spool", name, m);
            switch (m.bhdr().opCode()) {
                case REQUEST:
                    done += onJobPart(m, channel, jobs);
                    break;
                case BYE_RESPONSE:
                    byeAnswered = true;
                    break;
                default:
                    throw CliException.failed("unexpected " + m.bhdr().opCode() + " from the spool server");
            }
            ampe.put(m);
        }
    }

    /**
     * Connects, announcing the worker's language and name in the HelloRequest, and returns the spool server's
     * HelloResponse, which says how many jobs to expect (the jobs follow it on the channel).
     */
    private Message connect() throws InterruptedException {
        Message hello = message(0);
        hello.thdrs().append(PrintProtocol.PDL, pdl).append(PrintProtocol.WORKER, name);
        server.format(hello);
        try {
            return Channels.connect(ampe, group, hello, remaining());
        } catch (AmpeException e) {
            throw CliException.of(e, "connect to the spool server");
        }
    }

    /** Renders one part of a job and reports progress; returns 1 when it was the job's last part, else 0. */
    private int onJobPart(Message part, int channel, Map<Long, Job> jobs) {
        long id = part.bhdr().messageId();
        String ticket = part.thdrs().get(PrintProtocol.JOB_TICKET);
        if (ticket != null) {
            jobs.put(id, new Job(Integer.parseInt(part.thdrs().get(PrintProtocol.CHUNKS))));
            return 0;
        }
        Job job = jobs.get(id);
        if (job == null) {
            throw CliException.failed("PDL data for unknown job " + Long.toUnsignedString(id));
        }
        job.received++;
        Message progress = message(channel);
        progress.bhdr().opCode(OpCode.SIGNAL).messageId(id);
        progress.thdrs().append(PrintProtocol.PROGRESS, PrintProtocol.progress(job.received, job.chunks));
        group.post(progress);
        if (part.hasMore()) {
            return 0;
        }
        jobs.remove(id);
        if (job.received != job.chunks) {
            throw CliException.failed("job " + id + " ended after " + job.received + " of " + job.chunks + " chunks");
        }
        return 1;
    }
}
