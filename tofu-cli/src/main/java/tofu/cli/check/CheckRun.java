package tofu.cli.check;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tofu.Address;
import tofu.cli.CliException;

/**
 * Runs checks one after the other against one peer, each on connections of its own, and collects their outcomes.
 * When {@code hello.response} fails, the checks that need a handshake are skipped rather than failed for the same
 * reason. Used by one thread.
 */
public final class CheckRun {
    /**
     * One check and what it concluded.
     *
     * @param check   the check
     * @param outcome its outcome
     */
    public record Result(Check check, Outcome outcome) {
    }

    private final CheckContext ctx;

    /**
     * @param address      the peer, a client address
     * @param timeoutNanos the bound of every wait
     * @param echo         true if the peer echoes like {@code tofu listen --echo}
     * @param silentMillis how long the silent-connection check stays silent
     */
    public CheckRun(Address address, long timeoutNanos, boolean echo, long silentMillis) {
        this.ctx = new CheckContext(address, timeoutNanos, echo, silentMillis);
    }

    /**
     * Runs {@code checks} in order, handing each result to {@code each} as soon as it is known.
     *
     * @throws CliException if not even the first connection could be opened (CONNECT_FAILED, UDS_PATH_NOT_FOUND)
     */
    public List<Result> run(List<Check> checks, Consumer<Result> each) {
        List<Result> results = new ArrayList<>();
        boolean handshakeFailed = false;
        for (Check check : checks) {
            Outcome outcome;
            if (check.needsHandshake() && handshakeFailed) {
                outcome = Outcome.skip("needs a working handshake (hello.response failed)");
            } else {
                outcome = runOne(check);
            }
            if (check.name().equals("hello.response") && outcome.verdict() == Verdict.FAIL) {
                handshakeFailed = true;
            }
            Result r = new Result(check, outcome);
            results.add(r);
            each.accept(r);
        }
        return results;
    }

    private Outcome runOne(Check check) {
        ctx.begin();
        try {
            return check.procedure().run(ctx);
        } catch (CheckContext.SetupFailure e) {
            return ctx.fail(e.getMessage());
        } catch (CliException e) {
            if (!ctx.connectedOnce()) {
                throw e; // the peer is not there at all: one error line, not a page of failures
            }
            return ctx.fail(e.getMessage());
        } catch (IOException e) {
            return ctx.fail("the checker's own socket failed: " + e.getMessage());
        } finally {
            ctx.end();
        }
    }
}
