package tofu.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tofu.Address;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.TextHeader;
import tofu.TextHeaders;
import tofu.internal.CodecProbe;

/**
 * Fuzzes the reading side of {@link TextHeaders} with arbitrary header blocks exactly as a peer could send them
 * (decoded by the engine's frame decoder, {@link CodecProbe.Decoder}, so bytes {@code append} would refuse get in),
 * and {@link Address#of(Message)} on the same messages.
 *
 * <p>Invariants: {@code length()} is the block as received; {@code size()}, iteration and {@code toList()} agree with
 * each other and with the PROTOCOL.md §2 reading rules ({@link WireOracle#headers}); {@code get(name)} returns the
 * first value of that name; nothing throws; {@code Address.of} throws only WRONG_ADDRESS (no address header) or
 * INVALID_ADDRESS (the first one does not parse), as the oracle predicts.
 */
class TextHeadersFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void read(byte[] block) {
        if (block.length > TextHeaders.MAX_LENGTH) {
            return;
        }
        Message m = received(block);
        TextHeaders h = m.thdrs();
        List<WireOracle.Header> expected = WireOracle.headers(block);

        assertThat(h.length()).as("length as received").isEqualTo(block.length);
        assertThat(m.bhdr().textHeadersLength()).isEqualTo(block.length);
        List<TextHeader> list = h.toList();
        List<TextHeader> iterated = new ArrayList<>();
        h.forEach(iterated::add);
        assertThat(iterated).isEqualTo(list);
        assertThat(h.size()).isEqualTo(list.size());
        assertThat(h.isEmpty()).isEqualTo(list.isEmpty());
        assertThat(list).hasSize(expected.size());
        Map<String, String> first = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            TextHeader got = list.get(i);
            assertThat(got.name()).isEqualTo(expected.get(i).name());
            assertThat(got.value()).isEqualTo(expected.get(i).value());
            assertThat(got.name()).as("names are never empty (an empty name ends the list)").isNotEmpty();
            first.putIfAbsent(got.name(), got.value());
        }
        first.forEach((name, value) -> assertThat(h.get(name)).as("get(%s)", name).isEqualTo(value));
        String absent = "absent";
        while (first.containsKey(absent)) {
            absent += "!";
        }
        assertThat(h.get(absent)).isNull();

        Message copy = m.copy();
        assertThat(copy.thdrs().length()).isEqualTo(block.length);
        assertThat(copy.thdrs().toList()).isEqualTo(list);

        checkAddressOf(m, expected);
    }

    private static void checkAddressOf(Message m, List<WireOracle.Header> headers) {
        WireOracle.Header addressHeader = null;
        for (WireOracle.Header x : headers) {
            if (x.name().equals(Address.CONNECT_TO) || x.name().equals(Address.LISTEN_ON)) {
                addressHeader = x;
                break;
            }
        }
        if (addressHeader == null) {
            assertThatThrownBy(() -> Address.of(m)).isInstanceOfSatisfying(AmpeException.class,
                    e -> assertThat(e.status()).isEqualTo(AmpeStatus.WRONG_ADDRESS));
            return;
        }
        boolean client = addressHeader.name().equals(Address.CONNECT_TO);
        String[] parts = WireOracle.address(addressHeader.value());
        if (parts == null) {
            assertThatThrownBy(() -> Address.of(m)).isInstanceOfSatisfying(AmpeException.class,
                    e -> assertThat(e.status()).isEqualTo(AmpeStatus.INVALID_ADDRESS));
            return;
        }
        Address a = Address.of(m);
        assertThat(a.value()).isEqualTo(WireOracle.canonical(parts));
        assertThat(a.isClient()).isEqualTo(client);
    }

    /** A REQUEST frame carrying {@code block} as its header block, decoded as the engine decodes a peer's frame. */
    static Message received(byte[] block) {
        ByteBuffer frame = ByteBuffer.allocate(WireOracle.HEADER + block.length);
        frame.putShort((short) 1).put((byte) 0).put((byte) 0).putLong(1).putShort((short) block.length)
                .putShort((short) 0).put(block).flip();
        Message m = new CodecProbe.Decoder().next(frame, Message::create);
        assertThat(m).isNotNull();
        return m;
    }
}
