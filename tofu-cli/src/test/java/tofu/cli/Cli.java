package tofu.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code tofu} command line in-process and captures what it prints. */
final class Cli {
    private Cli() {
    }

    /** The outcome of one command line. */
    record Result(int exitCode, String out, String err) {
    }

    /** Runs {@code args} to completion on the calling thread. */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}
