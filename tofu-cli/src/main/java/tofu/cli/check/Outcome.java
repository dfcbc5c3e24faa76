package tofu.cli.check;

import java.util.List;

/**
 * What one check concluded, with the evidence that decided it: lines such as {@code sent <hex>} and
 * {@code got <frame>: <hex>}. Immutable.
 *
 * @param verdict  pass, fail or skip
 * @param detail   one sentence for people
 * @param evidence the bytes or events that decided it, one per line, in order
 */
public record Outcome(Verdict verdict, String detail, List<String> evidence) {
    /** Copies the evidence list. */
    public Outcome {
        evidence = List.copyOf(evidence);
    }

    /** A pass. */
    public static Outcome pass(String detail, List<String> evidence) {
        return new Outcome(Verdict.PASS, detail, evidence);
    }

    /** A failure. */
    public static Outcome fail(String detail, List<String> evidence) {
        return new Outcome(Verdict.FAIL, detail, evidence);
    }

    /** A check not run, and why. */
    public static Outcome skip(String why) {
        return new Outcome(Verdict.SKIP, why, List.of());
    }
}
