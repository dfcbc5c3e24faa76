package tofu.cli.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tofu.cli.wire.WireFrame;

/**
 * tools/wireshark/tofu.lua, run by tshark: it decodes a capture of a known conversation made with {@code tofu tap
 * --pcap}, and a hand-made capture that splits a frame over three segments and packs two frames in one. CI installs
 * tshark (tools/ci/install-test-tools.sh); where it is missing outside CI the test is skipped.
 */
class WiresharkDissectorIT {
    @TempDir
    Path dir;

    @BeforeEach
    void tsharkIsThere() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/tshark"));
        if (System.getenv("CI") != null) {
            assertThat(present).as("CI installs tshark (tools/ci/install-test-tools.sh)").isTrue();
        }
        assumeTrue(present, "tshark is not installed here: apt-get install tshark");
    }

    @Test
    void decodesAConversationCapturedByTheTap() throws Exception {
        Path pcap = dir.resolve("conversation.pcap");
        String port;
        try (Tofu listen = Tofu.run(dir, "listen", "tcp|127.0.0.1|0", "--echo", "--quiet")) {
            String address = listen.firstLine().split(" ")[2];
            port = address.substring(address.lastIndexOf('|') + 1);
            try (Tofu tap = Tofu.run(dir, "tap", "uds|" + dir.resolve("tap.sock"), address, "--pcap", pcap.toString(),
                    "--count", "1", "--quiet")) {
                tap.firstLine();
                try (Tofu send = Tofu.run(dir, "send", "uds|" + dir.resolve("tap.sock"), "--header", "Job=42",
                        "--body", "hello", "--count", "2", "--more")) {
                    assertThat(send.exitCode()).isZero();
                }
                assertThat(tap.exitCode()).isZero();
            }
        }

        List<String[]> rows = tshark(pcap, port, "ip.src", "tofu.opcode", "tofu.id", "tofu.more", "tofu.header");

        assertThat(flatten(rows, "198.18.0.1", 1)).containsExactly("3", "0", "0", "5");
        assertThat(flatten(rows, "198.18.0.2", 1)).containsExactly("4", "1", "1", "6");
        assertThat(flatten(rows, "198.18.0.1", 2)).containsExactly("1", "2", "2", "3");
        assertThat(flatten(rows, "198.18.0.1", 3)).containsExactly("0", "1", "0", "0");
        assertThat(flatten(rows, "198.18.0.2", 3)).containsExactly("0", "1", "0", "0");
        assertThat(flatten(rows, "198.18.0.1", 4)).contains("~connect_to: uds|" + dir.resolve("tap.sock"),
                "Job: 42");
    }

    @Test
    void reassemblesSplitFramesAndSplitsPackedOnes() throws Exception {
        byte[] golden = WireFrame.of(0, 0x1234, 7).withHeaders("Job", "42")
                .withBody("hello".getBytes(StandardCharsets.US_ASCII)).encode();
        byte[] hello = WireFrame.of(3, 0x2A71, 1).withHeaders("~connect_to", "tcp|127.0.0.1|7099").encode();
        byte[] packed = new byte[golden.length + hello.length];
        System.arraycopy(hello, 0, packed, 0, hello.length);
        System.arraycopy(golden, 0, packed, hello.length, golden.length);
        byte[] unknown = WireFrame.of(12, 5, 9).encode();
        Path pcap = dir.resolve("handmade.pcap");
        try (PcapWriter w = PcapWriter.create(pcap, 7099)) {
            w.open(1);
            w.data(1, Direction.TO_PEER, golden, 0, 10);
            w.data(1, Direction.TO_PEER, golden, 10, 10);
            w.data(1, Direction.TO_PEER, golden, 20, golden.length - 20);
            w.data(1, Direction.TO_PEER, packed, 0, packed.length);
            w.data(1, Direction.TO_CLIENT, unknown, 0, unknown.length);
            w.fin(1, Direction.TO_PEER);
            w.reset(1, Direction.TO_CLIENT);
        }

        List<String[]> rows = tshark(pcap, "7099", "ip.src", "tofu.opcode", "tofu.id", "tofu.channel",
                "tofu.header", "tofu.bl");

        assertThat(flatten(rows, "198.18.0.1", 1)).containsExactly("0", "3", "0");
        assertThat(flatten(rows, "198.18.0.1", 2)).containsExactly("7", "1", "7");
        assertThat(flatten(rows, "198.18.0.1", 3)).containsExactly("4660", "10865", "4660");
        assertThat(flatten(rows, "198.18.0.1", 4)).containsExactly("Job: 42", "~connect_to: tcp|127.0.0.1|7099",
                "Job: 42");
        assertThat(flatten(rows, "198.18.0.2", 1)).containsExactly("12");
        assertThat(run(List.of("tshark", "-r", pcap.toString(), "-X", "lua_script:" + dissector(), "-o",
                "tofu.ports:7099", "-V"))).contains("Opcode 10-15 does not exist");
    }

    private static String dissector() {
        return System.getProperty("tofu.dissector");
    }

    /** tshark's fields for every tofu packet, one array per packet. */
    private static List<String[]> tshark(Path pcap, String port, String... fields) throws Exception {
        List<String> command = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-X",
                "lua_script:" + dissector(), "-o", "tofu.ports:" + port, "-Y", "tofu", "-T", "fields",
                "-E", "separator=/t"));
        for (String f : fields) {
            command.add("-e");
            command.add(f);
        }
        return run(command).lines().filter(l -> !l.isBlank()).map(l -> l.split("\t", -1))
                .collect(Collectors.toList());
    }

    /** Column {@code column} of the packets from {@code source}, every occurrence, in order. */
    private static List<String> flatten(List<String[]> rows, String source, int column) {
        return rows.stream().filter(r -> r[0].equals(source)).flatMap(r -> Arrays.stream(r[column].split(",")))
                .collect(Collectors.toList());
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** The tofu command in a process of its own (bin/tofu with this build's jar). */
    private static final class Tofu implements AutoCloseable {
        private final Process process;
        private final java.io.BufferedReader out;

        private Tofu(Process process) {
            this.process = process;
            this.out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
        }

        static Tofu run(Path dir, String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(System.getProperty("tofu.launcher"));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("TOFU_JAR", System.getProperty("tofu.jar"));
            Process p = pb.start();
            p.getOutputStream().close();
            return new Tofu(p);
        }

        /** The first line printed (blocking until it comes or the process ends). */
        String firstLine() throws IOException {
            String line = out.readLine();
            assertThat(line).as("the first line of the command").isNotNull();
            return line;
        }

        int exitCode() throws InterruptedException {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the command ended").isTrue();
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: the listener's shutdown hook closes it cleanly
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
