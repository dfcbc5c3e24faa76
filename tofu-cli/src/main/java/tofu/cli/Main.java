package tofu.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import tofu.AmpeException;
import tofu.cli.tap.TapCommand;
import tofu.cli.text.SafeText;

/**
 * The {@code tofu} command: {@code demo}, {@code listen}, {@code send}, {@code ping}, {@code bench}, {@code check},
 * {@code tap} and {@code completion}.
 *
 * <p>{@link #run(PrintWriter, PrintWriter, String...)} runs a command line in-process and returns its exit code (see
 * {@link ExitCodes}); {@link #main(String[])} does the same and exits the JVM. Errors print one line on stderr, with
 * the stack trace only under {@code --verbose}; the line is escaped (see {@link SafeText}), since it may echo what a
 * user typed or a peer sent.
 */
@Command(name = "tofu", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Asynchronous peer-to-peer messaging over TCP and Unix-domain sockets.%n"
                + "Addresses: tcp|<host>|<port> (quote the | in a shell) or uds|<path>.",
        subcommands = {DemoCommand.class, ListenCommand.class, SendCommand.class, PingCommand.class,
            BenchCommand.class, CheckCommand.class, TapCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line in-process, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /** Builds the configured command line (exposed for tests and embedding). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExpandAtFiles(false); // "--body @file" is ours: picocli must not read @file as an argument file
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(Main::executionFailed);
        cl.setParameterExceptionHandler(Main::usageFailed);
        addExitCodeHelp(cl);
        return cl;
    }

    /** Every command's --help ends with the exit-code rule. */
    private static void addExitCodeHelp(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.HELP);
        for (CommandLine sub : cl.getSubcommands().values()) {
            addExitCodeHelp(sub);
        }
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is missing: demo, listen, send, ping, bench, "
                + "check, tap or completion");
    }

    private static int executionFailed(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        int code;
        String reason;
        if (e instanceof CliException) {
            code = ((CliException) e).exitCode();
            reason = e.getMessage();
        } else if (e instanceof AmpeException) {
            code = ExitCodes.of(((AmpeException) e).status());
            reason = e.getMessage();
        } else if (e instanceof IllegalArgumentException) {
            code = ExitCodes.USAGE; // argument misuse caught by the library, e.g. a bad header name
            reason = e.getMessage();
        } else if (e instanceof InterruptedException) {
            code = ExitCodes.INTERRUPTED;
            reason = "interrupted";
        } else {
            code = ExitCodes.FAILED;
            reason = Reasons.of(e);
        }
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + SafeText.escape(reason));
        if (verbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The option is inherited, so it may have matched on the command or on any subcommand. */
    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static int usageFailed(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + SafeText.escape(e.getMessage()));
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCodes.USAGE;
    }
}
