package tofu.e2e;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.support.Endpoints;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Rejections;
import tofu.support.Transport;

/**
 * PROTOCOL.md §6.1 item 8 and §4: address values that do not parse are refused by post with INVALID_ADDRESS, for
 * HelloRequests and WelcomeRequests alike; values that parse but lead nowhere are accepted and fail later.
 */
class PostAddressTest extends EngineTest {
    /** 108 bytes: one more than a UDS path may have. */
    private static final String LONG_PATH = "/" + "a".repeat(107);
    /** 54 characters but 108 bytes in UTF-8: the limit is in bytes. */
    private static final String LONG_UTF8_PATH = "é".repeat(54);

    static Stream<Arguments> invalidValues() {
        List<String> tcp = List.of("tcp", "tcp|127.0.0.1", "tcp|127.0.0.1|7099|x", "tcp||7099", "tcp|127.0.0.1|",
                "tcp|127.0.0.1|65536", "tcp|127.0.0.1|-1", "tcp|127.0.0.1|+80", "tcp|127.0.0.1| 80",
                "tcp|127.0.0.1|123456", "tcp|127.0.0.1|8o", "TCP|127.0.0.1|7099", "http|127.0.0.1|80");
        List<String> tls = List.of("tls", "tls|127.0.0.1", "tls|127.0.0.1|7443|x", "tls||7443", "tls|127.0.0.1|",
                "tls|127.0.0.1|65536", "tls|127.0.0.1|+80", "TLS|127.0.0.1|7443", "ssl|127.0.0.1|7443");
        List<String> uds = List.of("uds", "uds|", "uds|/tmp/a|b", "UDS|/tmp/a.sock", "unix|/tmp/a.sock",
                "uds|" + LONG_PATH, "uds|" + LONG_UTF8_PATH);
        return Stream.of(tcp.stream().map(v -> Arguments.of(Transport.TCP, v)),
                tls.stream().map(v -> Arguments.of(Transport.TLS, v)),
                uds.stream().map(v -> Arguments.of(Transport.UDS, v))).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("invalidValues")
    void unparsableAddressIsRefusedByPost(Transport transport, String value) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup group = ampe.create();

        Rejections.assertRejected(group, request(ampe, OpCode.HELLO_REQUEST, Address.CONNECT_TO, value),
                AmpeStatus.INVALID_ADDRESS);
        Rejections.assertRejected(group, request(ampe, OpCode.WELCOME_REQUEST, Address.LISTEN_ON, value),
                AmpeStatus.INVALID_ADDRESS);
        Expect.quiet(group);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void parsableAddressThatLeadsNowhereFailsLater(Transport transport) throws Exception {
        // The longest legal UDS path (107 bytes), or a legal host name that does not resolve on the highest port.
        String value = transport.overTcp() ? transport.name().toLowerCase() + "|" + Endpoints.UNKNOWN_HOST + "|65535"
                : "uds|" + dir.resolve("x".repeat(107 - dir.toString().length() - 1));
        AmpeStatus later = transport.overTcp() ? AmpeStatus.INVALID_ADDRESS : AmpeStatus.UDS_PATH_NOT_FOUND;
        Ampe ampe = engines.start().ampe();
        ChannelGroup group = ampe.create();

        BinaryHeader posted = group.post(request(ampe, OpCode.HELLO_REQUEST, Address.CONNECT_TO, value));

        Expect.report(group, OpCode.HELLO_REQUEST, later);
        Expect.closedSignal(group, posted.channelNumber(), posted.messageId());
    }

    private static Message request(Ampe ampe, OpCode op, String header, String value) {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        m.bhdr().opCode(op);
        m.thdrs().append(header, value);
        return m;
    }
}
