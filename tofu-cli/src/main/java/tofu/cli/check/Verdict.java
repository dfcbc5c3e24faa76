package tofu.cli.check;

/** The result of one conformance check. */
public enum Verdict {
    /** The peer did what the rule asks. */
    PASS,
    /** The peer did something else; the evidence shows what. */
    FAIL,
    /** Not run: it needs an option (e.g. {@code --echo}) or a check it depends on failed. */
    SKIP
}
