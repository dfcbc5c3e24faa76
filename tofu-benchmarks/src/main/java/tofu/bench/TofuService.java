package tofu.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;

/**
 * The "server with many clients" workload on tofu: one server engine with an echo thread ({@link TofuEcho}); one
 * client engine holding every client channel in one group, driven by one application thread that keeps
 * {@code inFlight} requests outstanding per channel. For each RESPONSE it records the round trip (responses come back
 * in order per channel, so a ring of send times per channel suffices), puts the response back and posts the next
 * request, taken with {@code get(ALWAYS)}.
 */
final class TofuService implements Stack.Service {
    private final TofuLink link;
    private final int inFlight;
    private final byte[] body;
    private final Counter completed = new Counter();
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(Workloads.HIGHEST_NANOS, 3);
    private final Threads.Worker echo;
    private Threads.Worker driving;
    private volatile boolean stop;

    TofuService(TofuLink link, int inFlight, int bodySize) {
        this.link = link;
        this.inFlight = inFlight;
        this.body = Wire.payload(bodySize);
        this.echo = Threads.start("tofu-bench-echo", new TofuEcho(link.serverEngine.ampe(), link.server));
    }

    @Override
    public void start() {
        driving = Threads.start("tofu-bench-clients", this::drive);
    }

    private void drive() throws InterruptedException {
        Ampe ampe = link.clientEngine.ampe();
        ChannelGroup group = link.client;
        int[] channels = link.clientChannels;
        int[] slotOf = new int[BinaryHeader.MAX_CHANNEL_NUMBER + 1];
        long[][] sentAt = new long[channels.length][inFlight];
        int[] head = new int[channels.length];
        int[] tail = new int[channels.length];
        BinaryHeader into = new BinaryHeader();
        try {
            for (int i = 0; i < channels.length; i++) {
                slotOf[channels[i]] = i;
                for (int k = 0; k < inFlight; k++) {
                    sentAt[i][tail[i]] = send(ampe, group, channels[i], into);
                    tail[i] = (tail[i] + 1) % inFlight;
                }
            }
            while (!stop) {
                Message m = group.waitReceive(ChannelGroup.SEC_TIMEOUT);
                if (m == null) {
                    continue;
                }
                long now = System.nanoTime();
                if (m.isFromEngine() || m.bhdr().opCode() != OpCode.RESPONSE) {
                    String what = m + " " + m.bhdr().status();
                    ampe.put(m);
                    throw new IllegalStateException("expected a RESPONSE, got " + what);
                }
                int i = slotOf[m.bhdr().channelNumber()];
                ampe.put(m);
                recorder.recordValue(Math.min(now - sentAt[i][head[i]], Workloads.HIGHEST_NANOS));
                head[i] = (head[i] + 1) % inFlight;
                completed.add(1);
                sentAt[i][tail[i]] = send(ampe, group, channels[i], into);
                tail[i] = (tail[i] + 1) % inFlight;
            }
        } catch (AmpeException e) {
            if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                throw e;
            }
        }
    }

    /** Posts one request on {@code channel}; returns when it was posted. */
    private long send(Ampe ampe, ChannelGroup group, int channel, BinaryHeader into) {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);
        m.body().append(body, 0, body.length);
        long now = System.nanoTime();
        group.post(m, into);
        return now;
    }

    @Override
    public long completed() {
        return completed.get();
    }

    @Override
    public Histogram interval() {
        return recorder.getIntervalHistogram();
    }

    @Override
    public void close() {
        stop = true;
        try {
            if (driving != null) {
                driving.join();
            }
        } finally {
            link.close();
            echo.join();
        }
    }
}
