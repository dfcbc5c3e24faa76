package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;

/** The README tutorial, as written: its server and its client talk on both transports. */
class FirstServerClientTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientPrintsTheEchoOfHello(Transport transport) throws Exception {
        Lines serverOut = new Lines();
        Thread serverThread = new Thread(() -> {
            try {
                FirstServer.serve(transport.listenAddress(dir).value(), serverOut.stream);
            } catch (InterruptedException e) {
                serverOut.stream.println("stopped"); // the way the test stops it
            }
        }, "first-server");
        serverThread.setDaemon(true);
        serverThread.start();
        try {
            String listening = serverOut.next("listening on ");
            Address dial = Address.parseServer(listening.substring("listening on ".length())).asClient();

            ByteArrayOutputStream clientOut = new ByteArrayOutputStream();
            FirstClient.talk(dial.value(), new PrintStream(clientOut, true, StandardCharsets.UTF_8));

            assertThat(clientOut.toString(StandardCharsets.UTF_8)).isEqualTo("echo: hello" + System.lineSeparator());
            // The client closed its engine without a bye: the server hears of it as an engine report.
            assertThat(serverOut.next("engine: ")).startsWith("engine: CHANNEL_CLOSED on channel ");
        } finally {
            serverThread.interrupt();
            serverThread.join(TimeUnit.NANOSECONDS.toMillis(Examples.WAIT_NANOS));
        }
        assertThat(serverThread.isAlive()).as("server stopped by the interrupt").isFalse();
        assertThat(serverOut.next("stopped")).isEqualTo("stopped");
        assertThat(dir).isEmptyDirectory(); // closing the engine removed the UDS socket file
    }

    /** A print stream whose completed lines a test can wait for, one by one. */
    private static final class Lines extends OutputStream {
        final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(line.toString(StandardCharsets.UTF_8).stripTrailing());
                line.reset();
            } else {
                line.write(b);
            }
        }

        /** Waits, boundedly, for the next line starting with {@code prefix}, skipping the others. */
        String next(String prefix) throws InterruptedException {
            while (true) {
                String l = lines.poll(Examples.WAIT_NANOS, TimeUnit.NANOSECONDS);
                assertThat(l).as("a line starting with '%s'", prefix).isNotNull();
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
        }
    }
}
