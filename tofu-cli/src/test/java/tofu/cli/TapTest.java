package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.cli.check.Checks;
import tofu.cli.wire.WireFrame;

/** {@code tofu tap}: never changes, reorders or drops a byte; shows every frame; survives garbage. */
class TapTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyByteArrivesUnchangedBothWaysGarbageAndHalfCloseIncluded(Transport transport) throws Exception {
        byte[] toServer = script(1, true);
        byte[] toClient = script(2, false);
        String[] server = new String[1];
        try (ServerSocketChannel listener = RawStream.listen(transport, dir, server);
             Background tap = Background.start("tap", transport.listenAddress(dir), server[0], "--count", "1")) {
            String tapAddress = tap.awaitLine(l -> l.startsWith("tapping ")).split(" ")[1];
            try (RawStream client = RawStream.connect(tapAddress, toServer, 11);
                 RawStream peer = RawStream.accept(listener, toClient, 12)) {
                assertThat(peer.awaitEnd()).as("what the server received").isEqualTo(toServer);
                assertThat(client.awaitEnd()).as("what the client received").isEqualTo(toClient);
            }
            assertThat(tap.awaitExit()).as("tap ends after --count 1; output: %s", tap.out()).isZero();
            String out = tap.out();
            assertThat(out).contains("c->s  HELLO_REQUEST").contains("s->c  HELLO_RESPONSE")
                    .contains("c->s  REQUEST        ch 9     id 2      more [Job=42] body 5 B \"hello\"")
                    .contains("body 65535 B").contains("opcode 12 does not exist").contains("B not decoded: ")
                    .contains("end of stream after " + toServer.length + " B")
                    .contains("closed: " + toServer.length + " B to the peer, " + toClient.length + " B back");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendAndListenSeeTheSameConversationThroughTheTap(Transport transport) throws Exception {
        try (Background listen = Background.listen(transport.listenAddress(dir), "--echo")) {
            String address = listen.address();
            String[] send = {"--header", "Job=42", "--header", "Pdl=PS", "--body", "hello", "--count", "3", "--more"};

            Cli.Result direct = Cli.run(concat("send", address, send));
            List<String> serverDirect = serverSide(listen);
            try (Background tap = Background.start("tap", transport.listenAddress(dir), address, "--count", "1")) {
                String tapAddress = tap.awaitLine(l -> l.startsWith("tapping ")).split(" ")[1];
                Cli.Result tapped = Cli.run(concat("send", tapAddress, send));
                List<String> serverTapped = serverSide(listen);

                assertThat(tapped.exitCode()).as(tapped.err()).isZero();
                assertThat(normalize(tapped.out()).replace(tapAddress, "ADDR"))
                        .isEqualTo(normalize(direct.out()).replace(address, "ADDR"));
                assertThat(String.join("\n", serverTapped).replace(tapAddress, "ADDR"))
                        .as("the server's view; only the dialled address in ~connect_to differs")
                        .isEqualTo(String.join("\n", serverDirect).replace(address, "ADDR"));
                assertThat(tap.awaitExit()).isZero();
                assertThat(tap.out().lines().filter(l -> l.contains("c->s  REQUEST"))).hasSize(3);
                assertThat(tap.out().lines().filter(l -> l.contains("s->c  RESPONSE"))).hasSize(3)
                        .allSatisfy(l -> assertThat(l).contains("[Job=42, Pdl=PS] body 5 B \"hello\""));
            }
        }
    }

    @Test
    void checkPassesThroughTheTap() throws Exception {
        try (Background listen = Background.listen(Transport.TCP.listenAddress(dir), "--echo", "--quiet");
             Background tap = Background.start("tap", Transport.TCP.listenAddress(dir), listen.address(), "--quiet")) {
            String tapAddress = tap.awaitLine(l -> l.startsWith("tapping ")).split(" ")[1];

            Cli.Result r = Cli.run("check", tapAddress, "--echo", "--silent-ms", "200");

            assertThat(r.exitCode()).as(r.out()).isZero();
            assertThat(r.out()).contains(Checks.ALL.size() + " passed, 0 failed");
        }
    }

    @Test
    void jsonPrintsOneObjectPerFrameAndEvent() throws Exception {
        try (Background listen = Background.listen(Transport.UDS.listenAddress(dir), "--echo", "--quiet");
             Background tap = Background.start("tap", Transport.UDS.listenAddress(dir), listen.address(), "--json",
                     "--count", "1")) {
            String first = tap.awaitLine(l -> l.startsWith("{\"type\":\"listening\""));
            String tapAddress = first.replaceAll(".*\"address\":\"([^\"]+)\".*", "$1");

            assertThat(Cli.run("send", tapAddress, "--body", "x").exitCode()).isZero();

            assertThat(tap.awaitExit()).isZero();
            List<String> lines = tap.out().lines().collect(Collectors.toList());
            assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"type\":\"").endsWith("}"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"frame\"")
                    .contains("\"dir\":\"to_peer\"").contains("\"opcode\":\"REQUEST\"").contains("\"bl\":1")
                    .contains("\"body_preview\":\"x\""));
            assertThat(lines.get(lines.size() - 1)).startsWith("{\"type\":\"close\"");
            assertThat(Files.exists(Path.of(tapAddress.substring(4)))).as("UDS socket file removed").isFalse();
        }
    }

    @Test
    void anUnreachablePeerClosesThatClientAndTheTapGoesOn() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (Background tap = Background.start("tap", "tcp|127.0.0.1|0", "tcp|127.0.0.1|" + closedPort, "--count",
                "2")) {
            String tapAddress = tap.awaitLine(l -> l.startsWith("tapping ")).split(" ")[1];
            for (int i = 0; i < 2; i++) {
                try (RawStream client = RawStream.connect(tapAddress, new byte[0], i)) {
                    assertThat(client.awaitEnd()).isEmpty();
                }
            }
            assertThat(tap.awaitExit()).isZero();
            assertThat(tap.out().lines().filter(l -> l.contains("dropped: connect to tcp|127.0.0.1|" + closedPort
                    + " failed: CONNECT_FAILED"))).hasSize(2);
        }
    }

    @Test
    void hostileHeadersAreEscapedInTheTimeline() throws Exception {
        try (RawPeer peer = RawPeer.start(Transport.TCP, dir, RawPeer.Bug.HOSTILE_HEADERS);
             Background tap = Background.start("tap", "tcp|127.0.0.1|0", peer.address(), "--count", "1")) {
            String tapAddress = tap.awaitLine(l -> l.startsWith("tapping ")).split(" ")[1];
            byte[] hello = WireFrame.of(3, 1, 1).withHeaders("~connect_to", tapAddress).encode();
            try (RawStream client = RawStream.connect(tapAddress, hello, 1)) {
                client.awaitEnd();
            }
            assertThat(tap.awaitExit()).isZero();
            assertThat(tap.out()).doesNotContainPattern("[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\u202e]")
                    .contains("[Note=\\e[2J\\e]0;pwned\\x07\\rforged\\nline\\x7f\\x9b31m\\u202eevil]")
                    .contains("body 9 B \".[31mred.\"");
        }
    }

    /** Frames (a hello, a more-stream, both largest blocks), then garbage: a header with opcode 12, random bytes. */
    private static byte[] script(long seed, boolean client) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Random random = new Random(seed);
        int ch = client ? 9 : 4;
        b.write(WireFrame.of(client ? 3 : 4, ch, 1).withHeaders("~connect_to", "tcp|127.0.0.1|1").encode());
        b.write(WireFrame.of(client ? 0 : 1, ch, 2).withMore(true).withHeaders("Job", "42")
                .withBody("hello".getBytes(StandardCharsets.US_ASCII)).encode());
        byte[] big = new byte[WireFrame.MAX_BLOCK];
        random.nextBytes(big);
        b.write(WireFrame.of(client ? 0 : 1, ch, 2).withBody(big).encode());
        b.write(new byte[] {0, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0});
        byte[] garbage = new byte[50_000];
        random.nextBytes(garbage);
        b.write(garbage);
        return b.toByteArray();
    }

    /** The server's lines for one connection, once it has closed, with channel numbers and ids masked. */
    private static List<String> serverSide(Background listen) throws InterruptedException {
        List<String> lines = new java.util.ArrayList<>();
        while (true) {
            String line = listen.awaitLine(l -> l.startsWith("recv "));
            lines.add(normalize(line));
            if (line.contains("engine CHANNEL_CLOSED")) {
                return lines;
            }
        }
    }

    private static String normalize(String text) {
        return text.replaceAll("ch \\d+ +", "ch N ").replaceAll("id \\d+ +", "id N ")
                .replaceAll("channel \\d+", "channel N");
    }

    private static String[] concat(String command, String address, String[] rest) {
        String[] all = new String[rest.length + 2];
        all[0] = command;
        all[1] = address;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }
}
