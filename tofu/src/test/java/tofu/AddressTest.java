package tofu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tofu.AmpeFailures.assertFailsWith;
import static tofu.WireFrames.latin1;
import static tofu.WireFrames.utf8;

import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md §4 and §6.7: address values, the six address records (tls twins tcp), format(), Address.of(), asClient(). */
class AddressTest {
    /** A UDS path of exactly 107 UTF-8 bytes, the most the platform allows. */
    private static final String PATH_107 = "/tmp/" + "p".repeat(102);

    static Stream<Arguments> validValues() {
        return Stream.of(
                Arguments.of("tcp|127.0.0.1|7099", new TcpClientAddress("127.0.0.1", 7099),
                        new TcpServerAddress("127.0.0.1", 7099)),
                Arguments.of("tcp|0.0.0.0|0", new TcpClientAddress("0.0.0.0", 0), new TcpServerAddress("0.0.0.0", 0)),
                Arguments.of("tcp|::1|7099", new TcpClientAddress("::1", 7099), new TcpServerAddress("::1", 7099)),
                Arguments.of("tcp|::|1", new TcpClientAddress("::", 1), new TcpServerAddress("::", 1)),
                Arguments.of("tcp|fe80::1:2:3|65535", new TcpClientAddress("fe80::1:2:3", 65535),
                        new TcpServerAddress("fe80::1:2:3", 65535)),
                Arguments.of("tcp|localhost|80", new TcpClientAddress("localhost", 80),
                        new TcpServerAddress("localhost", 80)),
                Arguments.of("tcp|no-such-host.invalid|9", new TcpClientAddress("no-such-host.invalid", 9),
                        new TcpServerAddress("no-such-host.invalid", 9)),
                Arguments.of("tcp|h|00080", new TcpClientAddress("h", 80), new TcpServerAddress("h", 80)),
                Arguments.of("tls|127.0.0.1|7443", new TlsClientAddress("127.0.0.1", 7443),
                        new TlsServerAddress("127.0.0.1", 7443)),
                Arguments.of("tls|::1|0", new TlsClientAddress("::1", 0), new TlsServerAddress("::1", 0)),
                Arguments.of("tls|tofu.example.com|00443", new TlsClientAddress("tofu.example.com", 443),
                        new TlsServerAddress("tofu.example.com", 443)),
                Arguments.of("uds|/tmp/a.sock", new UdsClientAddress("/tmp/a.sock"),
                        new UdsServerAddress("/tmp/a.sock")),
                Arguments.of("uds|relative.sock", new UdsClientAddress("relative.sock"),
                        new UdsServerAddress("relative.sock")),
                Arguments.of("uds|/tmp/with space:colon", new UdsClientAddress("/tmp/with space:colon"),
                        new UdsServerAddress("/tmp/with space:colon")),
                Arguments.of("uds|" + PATH_107, new UdsClientAddress(PATH_107), new UdsServerAddress(PATH_107)),
                // 1 + 53 * 2 = 107 bytes in 54 chars.
                Arguments.of("uds|/" + "é".repeat(53), new UdsClientAddress("/" + "é".repeat(53)),
                        new UdsServerAddress("/" + "é".repeat(53))));
    }

    @ParameterizedTest
    @MethodSource("validValues")
    void validValuesParse(String value, Address client, Address server) {
        assertThat(Address.parseClient(value)).isEqualTo(client);
        assertThat(Address.parseServer(value)).isEqualTo(server);
        assertThat(client.isClient()).isTrue();
        assertThat(server.isClient()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("validValues")
    void valueIsTheHeaderFormAndParsesBack(String ignored, Address client, Address server) {
        assertThat(Address.parseClient(client.value())).isEqualTo(client);
        assertThat(Address.parseServer(server.value())).isEqualTo(server);
    }

    @Test
    void valueForms() {
        assertThat(Address.tcpClient("example.com", 7099).value()).isEqualTo("tcp|example.com|7099");
        assertThat(Address.tcpServer("::1", 0).value()).isEqualTo("tcp|::1|0");
        assertThat(Address.udsClient("/tmp/a.sock").value()).isEqualTo("uds|/tmp/a.sock");
        assertThat(Address.udsServer("/tmp/b.sock").value()).isEqualTo("uds|/tmp/b.sock");
        assertThat(Address.tlsClient("example.com", 7443).value()).isEqualTo("tls|example.com|7443");
        assertThat(Address.tlsServer("0.0.0.0", 0).value()).isEqualTo("tls|0.0.0.0|0");
    }

    @Test
    void tlsAddressesBehaveLikeTheirTcpTwins() {
        assertThat(Address.tlsServer("0.0.0.0", 7443).asClient()).isEqualTo(Address.tlsClient("127.0.0.1", 7443));
        assertThat(Address.tlsServer("::", 7443).asClient()).isEqualTo(Address.tlsClient("::1", 7443));
        assertThat(Address.tlsServer("10.0.0.5", 1).asClient()).isEqualTo(Address.tlsClient("10.0.0.5", 1));
        Address client = Address.tlsClient("h", 2);
        assertThat(client.asClient()).isSameAs(client);
        for (String bad : new String[] {"tls", "tls|h", "tls||1", "tls|h|", "tls|h|65536", "tls|h|1|x", "TLS|h|1"}) {
            assertThatThrownBy(() -> Address.parseClient(bad)).as(bad).isInstanceOf(AmpeException.class)
                    .extracting(e -> ((AmpeException) e).status()).isEqualTo(AmpeStatus.INVALID_ADDRESS);
        }
        assertThatThrownBy(() -> Address.tlsClient("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Address.tlsServer("h", 65536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "tcp", "uds", "|", "||", "|||",
        "tcp|h", "tcp|h|1|x", "tcp|h|1|", "tcp|a|b|c|d", "uds|a|b", "uds|/a|", "uds",
        "udp|h|1", "http|h|1", "xyz|h|1", "TCP|h|1", "Tcp|h|1", "UDS|/a", "Uds|/a", " tcp|h|1", "tcp |h|1",
        "tcp||1", "uds|",
        "tcp|h|", "tcp|h|+1", "tcp|h|-1", "tcp|h| 1", "tcp|h|1 ", "tcp|h|1 2", "tcp|h|123456", "tcp|h|000001",
        "tcp|h|65536", "tcp|h|99999", "tcp|h|1_0", "tcp|h|0x10", "tcp|h|1e3", "tcp|h|\u0661", "tcp|h|７",
    })
    void invalidValuesAreRejected(String value) {
        assertFailsWith(AmpeStatus.INVALID_ADDRESS, () -> Address.parseClient(value));
        assertFailsWith(AmpeStatus.INVALID_ADDRESS, () -> Address.parseServer(value));
    }

    @Test
    void udsPathOf108BytesIsRejected() {
        String path = PATH_107 + "q";
        assertThat(utf8(path)).hasSize(108);
        assertFailsWith(AmpeStatus.INVALID_ADDRESS, () -> Address.parseClient("uds|" + path));
        assertFailsWith(AmpeStatus.INVALID_ADDRESS, () -> Address.parseServer("uds|" + path));
    }

    @Test
    void udsPathLengthIsCountedInUtf8Bytes() {
        String path = "/" + "é".repeat(53) + "x";
        assertThat(path).hasSize(55);
        assertThat(utf8(path)).hasSize(108);
        assertFailsWith(AmpeStatus.INVALID_ADDRESS, () -> Address.parseClient("uds|" + path));
        assertFailsWith(AmpeStatus.INVALID_ADDRESS, () -> Address.parseServer("uds|" + path));
        String fourByteChars = "/" + "😀".repeat(26) + "ab";
        assertThat(utf8(fourByteChars)).hasSize(107);
        assertThat(Address.parseClient("uds|" + fourByteChars)).isEqualTo(new UdsClientAddress(fourByteChars));
        assertFailsWith(AmpeStatus.INVALID_ADDRESS, () -> Address.parseClient("uds|" + fourByteChars + "c"));
    }

    @Test
    void parsingNullIsMisuse() {
        assertThatThrownBy(() -> Address.parseClient(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Address.parseServer(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void factoriesBuildTheFourRecords() {
        assertThat(Address.tcpClient("h", 1)).isEqualTo(new TcpClientAddress("h", 1));
        assertThat(Address.tcpServer("0.0.0.0", 0)).isEqualTo(new TcpServerAddress("0.0.0.0", 0));
        assertThat(Address.udsClient("/a")).isEqualTo(new UdsClientAddress("/a"));
        assertThat(Address.udsServer("/a")).isEqualTo(new UdsServerAddress("/a"));
        assertThat(Address.tcpClient("h", 65535)).isEqualTo(new TcpClientAddress("h", 65535));
        assertThat(Address.tlsClient("h", 1)).isEqualTo(new TlsClientAddress("h", 1));
        assertThat(Address.tlsServer("0.0.0.0", 0)).isEqualTo(new TlsServerAddress("0.0.0.0", 0));
        assertThat(Address.class.getPermittedSubclasses()).containsExactlyInAnyOrder(TcpClientAddress.class,
                TcpServerAddress.class, TlsClientAddress.class, TlsServerAddress.class, UdsClientAddress.class,
                UdsServerAddress.class);
    }

    @Test
    void factoriesRejectNullOrEmptyHostIpAndPath() {
        for (ThrowingCallable bad : new ThrowingCallable[] {
            () -> Address.tcpClient(null, 1), () -> Address.tcpClient("", 1),
            () -> Address.tcpServer(null, 1), () -> Address.tcpServer("", 1),
            () -> Address.udsClient(null), () -> Address.udsClient(""),
            () -> Address.udsServer(null), () -> Address.udsServer(""),
            () -> new TcpClientAddress(null, 1), () -> new UdsServerAddress(""),
        }) {
            assertThatThrownBy(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void factoriesRejectPortsOutsideTheUnsignedShortRange(int port) {
        assertThatThrownBy(() -> Address.tcpClient("h", port)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(port));
        assertThatThrownBy(() -> Address.tcpServer("h", port)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(port));
    }

    @Test
    void formatOfAClientAddressMakesAFreshHelloRequestAndAppendsTheHeader() {
        Message m = dirty();
        Address.tcpClient("127.0.0.1", 7099).format(m);
        assertFreshHeader(m, OpCode.HELLO_REQUEST);
        assertThat(m.thdrs().toList()).containsExactly(new TextHeader("Job", "42"),
                new TextHeader("~connect_to", "tcp|127.0.0.1|7099"));
        assertThat(m.body().asString()).isEqualTo("payload");
    }

    @Test
    void formatOfAServerAddressMakesAFreshWelcomeRequestAndAppendsTheHeader() {
        Message m = dirty();
        Address.udsServer("/tmp/s.sock").format(m);
        assertFreshHeader(m, OpCode.WELCOME_REQUEST);
        assertThat(m.thdrs().toList()).containsExactly(new TextHeader("Job", "42"),
                new TextHeader("~listen_on", "uds|/tmp/s.sock"));
        assertThat(m.body().asString()).isEqualTo("payload");
    }

    @Test
    void formatOfEachKindSetsItsOpCodeAndHeaderName() {
        assertFormats(Address.tcpClient("h", 1), OpCode.HELLO_REQUEST, "~connect_to", "tcp|h|1");
        assertFormats(Address.tcpServer("h", 1), OpCode.WELCOME_REQUEST, "~listen_on", "tcp|h|1");
        assertFormats(Address.udsClient("/p"), OpCode.HELLO_REQUEST, "~connect_to", "uds|/p");
        assertFormats(Address.udsServer("/p"), OpCode.WELCOME_REQUEST, "~listen_on", "uds|/p");
        assertThat(Address.CONNECT_TO).isEqualTo("~connect_to");
        assertThat(Address.LISTEN_ON).isEqualTo("~listen_on");
    }

    @Test
    void formatWritesTheHeaderBytesTheZigLibraryWrites() {
        Message m = Message.create();
        Address.tcpClient("127.0.0.1", 7099).format(m);
        assertThat(WireFrames.headerBytes(m)).isEqualTo(latin1("~connect_to:tcp|127.0.0.1|7099\r\n"));
    }

    @Test
    void formatOfNullIsMisuse() {
        assertThatThrownBy(() -> Address.tcpClient("h", 1).format(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void ofReadsBackWhatFormatWrote() {
        for (Address a : new Address[] {Address.tcpClient("::1", 7), Address.tcpServer("0.0.0.0", 0),
            Address.tlsClient("h", 7443), Address.tlsServer("::", 0), Address.udsClient("/a/b"),
            Address.udsServer("/c/d")}) {
            Message m = Message.create();
            a.format(m);
            assertThat(Address.of(m)).isEqualTo(a);
        }
    }

    @Test
    void ofReadsTheFirstAddressHeaderInOrder() {
        Message listenFirst = withHeaders("X", "1", "~listen_on", "uds|/a", "~connect_to", "tcp|h|1");
        assertThat(Address.of(listenFirst)).isEqualTo(new UdsServerAddress("/a"));
        Message connectFirst = withHeaders("~connect_to", "tcp|h|1", "~listen_on", "uds|/a");
        assertThat(Address.of(connectFirst)).isEqualTo(new TcpClientAddress("h", 1));
        Message twoConnects = withHeaders("~connect_to", "tcp|first|1", "~connect_to", "tcp|second|2");
        assertThat(Address.of(twoConnects)).isEqualTo(new TcpClientAddress("first", 1));
    }

    @Test
    void ofIgnoresTheOpCode() {
        Message m = withHeaders("~listen_on", "tcp|h|1");
        m.bhdr().opCode(OpCode.HELLO_REQUEST);
        assertThat(Address.of(m)).isEqualTo(new TcpServerAddress("h", 1));
    }

    @Test
    void ofWithoutAnAddressHeaderIsWrongAddress() {
        assertFailsWith(AmpeStatus.WRONG_ADDRESS, () -> Address.of(Message.create()));
        assertFailsWith(AmpeStatus.WRONG_ADDRESS, () -> Address.of(withHeaders("~Connect_To", "tcp|h|1",
                "~listen_on_", "uds|/a", "connect_to", "tcp|h|1", "X", "~connect_to")));
    }

    @Test
    void ofDoesNotLookPastAnEmptyName() {
        Message m = WireFrames.received(latin1("A:1\r\n:stop\r\n~connect_to:tcp|h|1\r\n"));
        assertFailsWith(AmpeStatus.WRONG_ADDRESS, () -> Address.of(m));
    }

    @Test
    void ofWithAnUnparsableFirstHeaderIsInvalidAddressEvenIfALaterOneIsValid() {
        assertFailsWith(AmpeStatus.INVALID_ADDRESS, () -> Address.of(withHeaders("~connect_to", "tcp|h",
                "~connect_to", "tcp|h|1")));
        assertFailsWith(AmpeStatus.INVALID_ADDRESS, () -> Address.of(withHeaders("~listen_on", "TCP|h|1")));
    }

    @Test
    void ofReadsReceivedHeadersWithTheWireRules() {
        Message blanks = WireFrames.received(latin1("~connect_to: \ttcp|h|1 \r\n"));
        assertThat(Address.of(blanks)).isEqualTo(new TcpClientAddress("h", 1));
        Message noValue = WireFrames.received(latin1("~connect_to\r\n"));
        assertFailsWith(AmpeStatus.INVALID_ADDRESS, () -> Address.of(noValue));
    }

    static Stream<Arguments> serverToClient() {
        return Stream.of(
                Arguments.of(Address.tcpServer("0.0.0.0", 7099), Address.tcpClient("127.0.0.1", 7099)),
                Arguments.of(Address.tcpServer("::", 7), Address.tcpClient("::1", 7)),
                Arguments.of(Address.tcpServer("0:0:0:0:0:0:0:0", 7), Address.tcpClient("::1", 7)),
                Arguments.of(Address.tcpServer("127.0.0.1", 0), Address.tcpClient("127.0.0.1", 0)),
                Arguments.of(Address.tcpServer("::1", 5), Address.tcpClient("::1", 5)),
                Arguments.of(Address.tcpServer("example.com", 5), Address.tcpClient("example.com", 5)),
                Arguments.of(Address.tcpServer("10.1.2.3", 65535), Address.tcpClient("10.1.2.3", 65535)),
                Arguments.of(Address.udsServer("/tmp/s.sock"), Address.udsClient("/tmp/s.sock")));
    }

    @ParameterizedTest
    @MethodSource("serverToClient")
    void asClientGivesTheAddressAClientDials(Address server, Address client) {
        assertThat(server.asClient()).isEqualTo(client);
        assertThat(server.asClient().isClient()).isTrue();
    }

    @Test
    void clientsReturnThemselvesFromAsClient() {
        for (Address a : new Address[] {Address.tcpClient("0.0.0.0", 1), Address.tcpClient("::", 2),
            Address.udsClient("/p")}) {
            assertThat(a.asClient()).isSameAs(a);
        }
    }

    @Test
    void recordsExposeTheirComponents() {
        assertThat(new TcpClientAddress("h", 1).host()).isEqualTo("h");
        assertThat(new TcpClientAddress("h", 1).port()).isEqualTo(1);
        assertThat(new TcpServerAddress("ip", 2).ip()).isEqualTo("ip");
        assertThat(new TcpServerAddress("ip", 2).port()).isEqualTo(2);
        assertThat(new UdsClientAddress("/c").path()).isEqualTo("/c");
        assertThat(new UdsServerAddress("/s").path()).isEqualTo("/s");
    }

    /** A message with every binary-header field away from the fresh state, one text header and a body. */
    private static Message dirty() {
        Message m = Message.create();
        m.bhdr().opCode(OpCode.SIGNAL).channelNumber(77).messageId(99).more(true);
        m.bhdr().origin(Origin.ENGINE);
        m.bhdr().status(AmpeStatus.CONNECT_FAILED);
        m.thdrs().append("Job", "42");
        m.body().append("payload");
        return m;
    }

    private static void assertFreshHeader(Message m, OpCode op) {
        assertThat(m.bhdr()).isEqualTo(new BinaryHeader().opCode(op));
        assertThat(m.bhdr().channelNumber()).isZero();
        assertThat(m.bhdr().messageId()).isZero();
        assertThat(m.hasMore()).isFalse();
        assertThat(m.isFromApplication()).isTrue();
        assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.SUCCESS);
    }

    private static void assertFormats(Address a, OpCode op, String name, String value) {
        Message m = Message.create();
        a.format(m);
        assertThat(m.bhdr().opCode()).isEqualTo(op);
        assertThat(m.thdrs().toList()).containsExactly(new TextHeader(name, value));
    }

    private static Message withHeaders(String... nameValues) {
        Message m = Message.create();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.thdrs().append(nameValues[i], nameValues[i + 1]);
        }
        return m;
    }
}
