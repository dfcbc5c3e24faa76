package tofu.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 6 — a long job that reports progress with SIGNALs before its RESPONSE.
 *
 * <p>The server hands the job to a worker thread so its receiver loop stays free ({@code post} may be called from
 * any thread). The worker posts a SIGNAL with the request's message id after each step, then the RESPONSE. Messages
 * of one channel keep their order, so the client sees every progress signal before the answer.
 */
public final class ProgressSignals {
    /** Request header: count primes below this number. */
    static final String LIMIT = "Limit";
    /** Request header: in how many steps (one progress signal each). */
    static final String STEPS = "Steps";
    /** Signal header: steps done, as {@code done/total}. */
    static final String PROGRESS = "Progress";

    /**
     * What the client saw.
     *
     * @param progress the Progress header of each signal, in arrival order
     * @param primes   the job's result
     */
    public record Result(List<String> progress, long primes) {
    }

    private ProgressSignals() {
    }

    /** Runs the recipe: counts the primes below two million in ten steps. */
    public static void main(String[] args) throws Exception {
        Result result = run(Transport.listenAddressFrom(args.length > 0 ? args[0] : "tcp"), 2_000_000, 10);
        Examples.log("client", "%d primes after progress %s", result.primes(), result.progress());
    }

    /** Asks the server to count the primes below {@code limit} in {@code steps} steps, collecting its progress. */
    public static Result run(Address listenOn, int limit, int steps) throws InterruptedException {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "job-worker");
            thread.setDaemon(true);
            return thread;
        });
        try (Reactor serverReactor = Reactor.create(); Reactor clientReactor = Reactor.create()) {
            Ampe serverAmpe = serverReactor.ampe();
            ChannelGroup serverGroup = serverAmpe.create();
            Address server = Channels.listen(serverAmpe, serverGroup, listenOn, Examples.WAIT).dialAddress();
            Future<Void> serving = Examples.inThread("server", () -> {
                ServerLoop.serve(serverAmpe, serverGroup, 1, request -> {
                    // Don't compute on the receiver thread: it would not see anything else until the job ends.
                    worker.execute(() -> countPrimes(serverAmpe, serverGroup, request));
                });
                return null;
            });

            Ampe ampe = clientReactor.ampe();
            ChannelGroup client = ampe.create();
            int channel = Channels.connect(ampe, client, server, Examples.WAIT);
            Message job = Examples.message(ampe, channel, OpCode.REQUEST, "count primes");
            job.thdrs().append(LIMIT, Integer.toString(limit)).append(STEPS, Integer.toString(steps));
            long id = client.post(job).messageId();

            List<String> progress = new ArrayList<>();
            while (true) {
                Message m = Examples.receive(ampe, client);
                if (m.isFromEngine()) {
                    throw Examples.failure(ampe, m, "job " + id + " failed");
                }
                if (m.bhdr().opCode() == OpCode.SIGNAL) {
                    progress.add(m.thdrs().get(PROGRESS));
                    Examples.log("client", "job %d: %s done", id, m.thdrs().get(PROGRESS));
                    ampe.put(m);
                    continue;
                }
                long primes = Long.parseLong(m.body().asString()); // the RESPONSE: the job is over
                ampe.put(m);
                Examples.bye(ampe, client, channel);
                Examples.await(serving);
                return new Result(progress, primes);
            }
        } finally {
            worker.shutdownNow();
        }
    }

    /** The job, on the worker thread: a progress SIGNAL after each slice, then the RESPONSE. */
    private static void countPrimes(Ampe ampe, ChannelGroup group, Message request) {
        int limit = Integer.parseInt(request.thdrs().get(LIMIT));
        int steps = Integer.parseInt(request.thdrs().get(STEPS));
        int channel = request.bhdr().channelNumber();
        long id = request.bhdr().messageId();
        long primes = 0;
        for (int step = 1; step <= steps; step++) {
            primes += countPrimes((int) ((long) limit * (step - 1) / steps), (int) ((long) limit * step / steps));
            Message signal = ampe.get(AllocationStrategy.ALWAYS);
            // Same message id as the request: the client knows which job is progressing.
            signal.bhdr().opCode(OpCode.SIGNAL).channelNumber(channel).messageId(id);
            signal.thdrs().append(PROGRESS, step + "/" + steps);
            group.post(signal);
        }
        request.bhdr().opCode(OpCode.RESPONSE); // the request becomes the answer
        request.thdrs().reset();
        request.body().reset().append(Long.toString(primes));
        group.post(request);
    }

    /** Counts primes in [from, to) by trial division: deliberately plain, it only has to take a while. */
    private static long countPrimes(int from, int to) {
        long count = 0;
        for (int n = Math.max(from, 2); n < to; n++) {
            boolean prime = true;
            for (int d = 2; (long) d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }
}
