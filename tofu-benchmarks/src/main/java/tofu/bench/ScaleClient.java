package tofu.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import tofu.Address;
import tofu.Ampe;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * The far end of the scale workload, run in its own JVM by {@link ScaleBench} so that each process holds one end of
 * every connection (two ends of 10,000 connections would not fit one process's descriptor limit). It connects
 * {@code n} channels to the address given, reports, then on {@code GO} (a line on standard input) streams 64-byte
 * messages on {@code active} of them until {@code STOP} or end of input.
 *
 * <p>Protocol on standard output: {@code CONNECTED <n> <nanos> <heapBytes> <retries>}, later {@code DONE}.
 */
public final class ScaleClient {
    /** At most this many HelloRequests in flight, so the listener's backlog never overflows. */
    static final int WINDOW = 256;

    private ScaleClient() {
    }

    /** Arguments: client address value, connections, active channels, body size. */
    public static void main(String[] args) throws Exception {
        Address address = Address.parseClient(args[0]);
        int n = Integer.parseInt(args[1]);
        int active = Integer.parseInt(args[2]);
        int bodySize = Integer.parseInt(args[3]);
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Reactor engine = Reactor.create(TofuLink.OPTIONS)) {
            Ampe ampe = engine.ampe();
            ChannelGroup group = ampe.create();
            long heap0 = Heap.usedAfterGc();
            long t0 = System.nanoTime();
            int[] retries = new int[1];
            int[] channels = connectAll(ampe, group, address, n, retries);
            long t1 = System.nanoTime();
            long heap1 = Heap.usedAfterGc();
            out.println("CONNECTED " + n + " " + (t1 - t0) + " " + (heap1 - heap0) + " " + retries[0]);
            out.flush();
            if (!"GO".equals(in.readLine())) {
                return;
            }
            int[] streaming = new int[Math.min(active, n)];
            for (int i = 0; i < streaming.length; i++) {
                streaming[i] = channels[(int) ((long) i * n / streaming.length)];
            }
            TofuSender sender = TofuSender.poolLimited(ampe, group, streaming, bodySize);
            Threads.Worker sending = Threads.start("scale-client-sender", sender);
            while (true) {
                String line = in.readLine();
                if (line == null || "STOP".equals(line)) {
                    break;
                }
            }
            sender.stop();
            sending.join();
            out.println("DONE");
            out.flush();
        }
    }

    /** Connects {@code n} channels, at most {@link #WINDOW} handshakes at a time; retries refused connects. */
    private static int[] connectAll(Ampe ampe, ChannelGroup group, Address address, int n, int[] retries)
            throws InterruptedException {
        int[] channels = new int[n];
        BinaryHeader into = new BinaryHeader();
        int connected = 0;
        int pending = 0;
        while (connected < n) {
            while (pending < WINDOW && connected + pending < n) {
                TofuOps.connect(ampe, group, address, into);
                pending++;
            }
            Message m = TofuOps.receive(group);
            if (TofuOps.isHelloResponse(m)) {
                channels[connected++] = m.bhdr().channelNumber();
                pending--;
            } else if (m.isFromEngine() && m.bhdr().opCode() == OpCode.HELLO_REQUEST) {
                pending--; // refused (e.g. backlog full): post another one
                if (++retries[0] > n) {
                    throw new IllegalStateException("too many refused connects, last: " + m.bhdr().status());
                }
            }
            ampe.put(m);
        }
        return channels;
    }
}
