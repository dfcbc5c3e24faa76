package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tutorial compiles as printed (imports, {@code throws}) and works: its server echoes, its client gets
 * the echo and says bye. The port is swapped for a free one so the test never meets another 7099.
 */
class ReadmeTutorialTest {
    @TempDir
    Path dir;

    @Test
    void theServerAndClientCompileAndTalk() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("tofu.readme")));
        Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> files = new ArrayList<>();
        while (blocks.find()) {
            String source = blocks.group(1).replace("tcp|127.0.0.1|7099", "tcp|127.0.0.1|" + port);
            Matcher name = Pattern.compile("public final class (\\w+)").matcher(source);
            assertThat(name.find()).as("each tutorial snippet is a whole class:%n%s", source).isTrue();
            files.add(Files.writeString(dir.resolve(name.group(1) + ".java"), source).toString());
        }
        assertThat(files).hasSize(2);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
                "--release", "17"));
        args.addAll(files);
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int code = javac.run(null, diagnostics, diagnostics, args.toArray(new String[0]));
        assertThat(code).as("javac: %s", diagnostics.toString(StandardCharsets.UTF_8)).isZero();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            PrintStream saved = System.out;
            Printed printed = new Printed();
            Thread server = new Thread(() -> runMain(loader, "EchoServer"), "readme-server");
            try {
                System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
                server.start();
                awaitText(printed, "listening on tcp|127.0.0.1|" + port);
                runMain(loader, "EchoClient");
            } finally {
                server.interrupt(); // the server's waitReceive throws; its try-with-resources closes the engine
                server.join(TimeUnit.SECONDS.toMillis(Background.WAIT_SECONDS));
                System.setOut(saved);
            }
            assertThat(server.isAlive()).isFalse();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("echo: hello").contains("closed");
        }
    }

    private static void runMain(ClassLoader loader, String className) {
        try {
            Method main = loader.loadClass(className).getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof InterruptedException)) {
                throw new AssertionError(className + " failed", e.getCause());
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** What the tutorial prints, with a wait for a given text (woken by every write). */
    private static final class Printed extends ByteArrayOutputStream {
        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            notifyAll();
        }

        @Override
        public synchronized void write(int b) {
            super.write(b);
            notifyAll();
        }
    }

    private static void awaitText(Printed printed, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Background.WAIT_SECONDS);
        synchronized (printed) {
            while (!printed.toString(StandardCharsets.UTF_8).contains(text)) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("waiting for '%s'; printed: %s", text, printed).isPositive();
                TimeUnit.NANOSECONDS.timedWait(printed, left);
            }
        }
    }
}
