package tofu.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import tofu.Address;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;
import tofu.TcpClientAddress;
import tofu.TcpServerAddress;
import tofu.UdsClientAddress;
import tofu.UdsServerAddress;

/**
 * Fuzzes the address parsers {@link Address#parseClient}, {@link Address#parseServer} and, through
 * {@link Address#format}, {@link Address#of(Message)}.
 *
 * <p>Input layout: bit 0 of byte 0 picks client (1) or server (0) syntax; the rest is the value in UTF-8.
 * Invariants: a value the PROTOCOL.md §4 syntax accepts ({@link WireOracle#address}) parses to the matching record
 * whose {@code value()} is the input again (a port loses its leading zeros) and which survives {@code format}/{@code
 * of}; any other value throws
 * {@code AmpeException(INVALID_ADDRESS)} and nothing else.
 */
class AddressFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void parse(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean client = (input[0] & 1) != 0;
        String value = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        String[] parts = WireOracle.address(value);
        if (parts == null) {
            assertThatThrownBy(() -> parse(value, client)).as("\"%s\"", value)
                    .isInstanceOfSatisfying(AmpeException.class,
                            e -> assertThat(e.status()).isEqualTo(AmpeStatus.INVALID_ADDRESS));
            return;
        }
        Address a = parse(value, client);
        assertThat(a.value()).as("the value, with leading zeros of a port dropped")
                .isEqualTo(WireOracle.canonical(parts));
        assertThat(a.isClient()).isEqualTo(client);
        assertThat(a).isEqualTo(parse(a.value(), client));
        if (parts[0].equals("tcp")) {
            int port = Integer.parseInt(parts[2]);
            if (client) {
                assertThat(a).isEqualTo(new TcpClientAddress(parts[1], port));
            } else {
                assertThat(a).isEqualTo(new TcpServerAddress(parts[1], port));
                assertThat(((TcpClientAddress) a.asClient()).port()).isEqualTo(port);
            }
        } else {
            assertThat(a).isEqualTo(client ? new UdsClientAddress(parts[1]) : new UdsServerAddress(parts[1]));
            assertThat(((UdsClientAddress) a.asClient()).path()).isEqualTo(parts[1]);
        }
        assertThat(a.asClient().isClient()).isTrue();
        if (value.indexOf('\r') < 0 && value.indexOf('\n') < 0 && !value.isBlank()
                && value.strip().equals(value) && value.trim().equals(value)) {
            Message m = Message.create();
            a.format(m);
            assertThat(m.bhdr().opCode()).isEqualTo(client ? OpCode.HELLO_REQUEST : OpCode.WELCOME_REQUEST);
            assertThat(Address.of(m)).isEqualTo(a);
        }
    }

    private static Address parse(String value, boolean client) {
        return client ? Address.parseClient(value) : Address.parseServer(value);
    }
}
