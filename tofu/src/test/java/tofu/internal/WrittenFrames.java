package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import tofu.Message;

/** What a channel wrote, decoded back into messages by the engine's own decoder: for the channel tests. */
final class WrittenFrames {
    private WrittenFrames() {
    }

    /** Decodes everything written, frame by frame; fails the test if anything but whole frames was written. */
    static List<Message> decode(byte[] wire) {
        FrameDecoder d = new FrameDecoder();
        ByteBuffer src = ByteBuffer.wrap(wire);
        List<Message> out = new ArrayList<>();
        for (Message m; (m = d.next(src, Message::create)) != null; ) {
            out.add(m);
        }
        assertThat(src.hasRemaining()).as("only whole frames were written").isFalse();
        return out;
    }
}
