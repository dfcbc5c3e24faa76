package tofu.cli.check;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import tofu.cli.text.Json;
import tofu.cli.text.SafeText;

/**
 * Prints check results as they come: for people, {@code PASS name detail} with the evidence indented below (and the
 * rule for a failure); for machines ({@code --json}), one JSON object per check and a summary object. Everything is
 * escaped, since the evidence describes what a peer sent. Used by one thread.
 */
public final class CheckReport {
    /** Evidence lines shown per check for people; JSON always has them all. */
    private static final int EVIDENCE_LINES = 8;

    private final PrintWriter out;
    private final boolean json;
    private int passed;
    private int failed;
    private int skipped;

    /** Prints to {@code out}: lines for people, or JSON objects when {@code json}. */
    public CheckReport(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** Prints the line before the run (people only). */
    public void header(String address, int checks, boolean echo, long timeoutMillis) {
        if (!json) {
            out.printf(Locale.ROOT, "tofu check %s: %d checks, %s, waits up to %d ms%n", SafeText.escape(address),
                    checks, echo ? "echo peer" : "any peer (--echo not given)", timeoutMillis);
            out.flush();
        }
    }

    /** Prints one result. */
    public void result(CheckRun.Result r) {
        Outcome o = r.outcome();
        switch (o.verdict()) {
            case PASS:
                passed++;
                break;
            case FAIL:
                failed++;
                break;
            default:
                skipped++;
        }
        if (json) {
            out.println(Json.ofType("check").put("name", r.check().name()).put("result", o.verdict().name())
                    .put("detail", o.detail()).put("rule", r.check().rule()).putStrings("evidence", o.evidence()));
        } else {
            out.printf(Locale.ROOT, "%-4s  %-24s %s%n", o.verdict(), r.check().name(), SafeText.escape(o.detail()));
            if (o.verdict() == Verdict.FAIL) {
                out.println("      rule: " + r.check().rule());
            }
            List<String> evidence = o.evidence();
            int shown = Math.min(EVIDENCE_LINES, evidence.size());
            for (String line : evidence.subList(0, shown)) {
                out.println("      " + SafeText.escape(line));
            }
            if (evidence.size() > shown) {
                out.println("      ... " + (evidence.size() - shown) + " more (--json shows all)");
            }
        }
        out.flush();
    }

    /** Prints the summary: {@code N passed, N failed, N skipped}. */
    public void summary(String address, boolean echo) {
        if (json) {
            out.println(Json.ofType("summary").put("address", address).put("echo", echo).put("passed", passed)
                    .put("failed", failed).put("skipped", skipped));
        } else {
            out.printf(Locale.ROOT, "%d passed, %d failed, %d skipped%n", passed, failed, skipped);
        }
        out.flush();
    }

    /** Returns the number of failed checks. */
    public int failed() {
        return failed;
    }
}
