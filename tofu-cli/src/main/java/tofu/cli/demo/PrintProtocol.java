package tofu.cli.demo;

import tofu.Address;
import tofu.AmpeStatus;
import tofu.Message;

/**
 * The vocabulary of the demo's print-shop conversation: the text headers the spool server and the RIP workers
 * exchange, and a short description of a message for the timeline.
 *
 * <pre>
 *   rip worker                                  spool server
 *   HELLO_REQUEST  PDL: PS, Worker: rip-1  --&gt;
 *                                          &lt;--  HELLO_RESPONSE  Jobs: 3
 *                                          &lt;--  REQUEST id=job  JobTicket: job-1, Chunks: 3   (more)
 *                                          &lt;--  REQUEST id=job  PDL data chunk 1..3          (more, except last)
 *   SIGNAL id=job  Progress: 1:3 .. 3:3    --&gt;
 *   BYE_REQUEST    Status: done 3 jobs      --&gt;
 *                                          &lt;--  BYE_RESPONSE
 *   CHANNEL_CLOSED (engine) on both sides
 * </pre>
 */
final class PrintProtocol {
    /** On the HelloRequest: the page description language the worker renders, {@code PS} or {@code PDF}. */
    static final String PDL = "PDL";
    /** On the HelloRequest: the worker's name, for the timeline. */
    static final String WORKER = "Worker";
    /** On the HelloResponse: how many jobs the server will send this worker. */
    static final String JOBS = "Jobs";
    /** On the first REQUEST of a job: the job's name; the ticket text is the body. */
    static final String JOB_TICKET = "JobTicket";
    /** On the first REQUEST of a job: how many PDL data chunks follow. */
    static final String CHUNKS = "Chunks";
    /** On the worker's SIGNALs: {@code N:M}, chunk N of M rendered. */
    static final String PROGRESS = "Progress";
    /** On the worker's ByeRequest: the final status, {@code done N jobs}. */
    static final String STATUS = "Status";

    private static final String[] KEY_HEADERS = {JOB_TICKET, CHUNKS, PDL, JOBS, PROGRESS, STATUS, Address.LISTEN_ON};

    private PrintProtocol() {
    }

    /** Returns the text the timeline shows for {@code msg}: its key headers, or its status for engine reports. */
    static String describe(Message msg) {
        if (msg.isFromEngine()) {
            AmpeStatus status = msg.bhdr().status();
            return status == AmpeStatus.POOL_EMPTY
                    ? "POOL_EMPTY (backpressure: reading pauses until messages are put back)"
                    : status.name();
        }
        StringBuilder sb = new StringBuilder();
        for (String name : KEY_HEADERS) {
            String value = msg.thdrs().get(name);
            if (value != null) {
                sb.append(sb.length() == 0 ? "" : " ").append(name).append('=').append(value);
            }
        }
        if (sb.length() == 0 && msg.body().length() > 0) {
            sb.append("PDL data ").append(msg.body().length()).append(" B");
        }
        if (msg.hasMore()) {
            sb.append(" (more)");
        }
        return sb.toString();
    }

    /** Returns the status text a worker sends in its ByeRequest after {@code jobs} jobs. */
    static String doneStatus(int jobs) {
        return "done " + jobs + " jobs";
    }

    /** Returns the progress header value for chunk {@code n} of {@code m}. */
    static String progress(int n, int m) {
        return n + ":" + m;
    }

    /** Parses a progress value {@code N:M} into {N, M}; null if malformed. */
    static int[] parseProgress(String value) {
        if (value == null) {
            return null;
        }
        int colon = value.indexOf(':');
        try {
            int n = Integer.parseInt(value.substring(0, colon));
            return new int[] {n, Integer.parseInt(value.substring(colon + 1))};
        } catch (RuntimeException e) {
            return null;
        }
    }
}
