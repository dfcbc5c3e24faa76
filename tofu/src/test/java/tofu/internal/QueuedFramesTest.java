package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order of a send queue's messages and encoded frames, and the encoded frames' bytes: first in, first out, across
 * the growth and compaction of both rings.
 */
class QueuedFramesTest {
    private final FrameChunks spares = new FrameChunks();
    private final QueuedFrames frames = new QueuedFrames(spares);

    @Test
    void entriesComeOutInOrderWithTheBytesOfEachEncodedFrame() {
        frames.addMessage();
        frames.addEncoded(bytes(3, 1), 0, 3, true);
        frames.addEncoded(bytes(5, 2), 0, 5, false);
        frames.addMessage();
        assertThat(frames.size()).isEqualTo(4);
        assertThat(frames.peek()).isEqualTo(QueuedFrames.MESSAGE);
        frames.pollMessage();
        assertThat(frames.peek()).as("lent: positive").isEqualTo(3);
        ByteBuffer out = ByteBuffer.allocate(16);
        frames.pollEncodedInto(out);
        assertThat(frames.peek()).as("not lent: negative").isEqualTo(-5);
        frames.pollEncodedInto(out);
        assertThat(frames.peek()).isEqualTo(QueuedFrames.MESSAGE);
        frames.pollMessage();
        assertThat(frames.isEmpty()).isTrue();
        ByteBuffer both = ByteBuffer.allocate(8).put(bytes(3, 1)).put(bytes(5, 2)).flip();
        assertThat(out.flip()).as("each frame's bytes, in order").isEqualTo(both);
    }

    @Test
    void aMessagePutFirstComesOutFirst() {
        frames.addEncoded(bytes(2, 9), 0, 2, true);
        frames.addMessageFirst();
        assertThat(frames.peek()).isEqualTo(QueuedFrames.MESSAGE);
        frames.pollMessage();
        assertThat(frames.peek()).isEqualTo(2);
    }

    @Test
    void aLongBacklogGrowsBothRingsAndStaysInOrderWhileItIsConsumedAndRefilled() {
        List<Integer> expectedSeeds = new ArrayList<>();
        int next = 0;
        int consumed = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 37; i++, next++) {
                int length = 1 + next % FrameChunks.CHUNK_BYTES;
                frames.addEncoded(bytes(length, next), 0, length, next % 2 == 0);
                expectedSeeds.add(next);
            }
            for (int i = 0; i < 23; i++, consumed++) {
                int seed = expectedSeeds.get(consumed);
                int length = 1 + seed % FrameChunks.CHUNK_BYTES;
                assertThat(Math.abs(frames.peek())).isEqualTo(length);
                ByteBuffer out = ByteBuffer.allocate(length);
                frames.pollEncodedInto(out);
                assertThat(out.array()).as("frame %d", seed).isEqualTo(bytes(length, seed));
            }
        }
        assertThat(frames.size()).isEqualTo(next - consumed);
        assertThat(frames.encodedBytes()).isPositive();
        while (!frames.isEmpty()) {
            frames.pollEncodedInto(ByteBuffer.allocate(FrameChunks.CHUNK_BYTES));
        }
        assertThat(frames.chunks()).as("an empty queue holds no chunk").isZero();
        assertThat(spares.spares()).as("every chunk came back").isPositive();
    }

    @Test
    void aBusyQueueReusesItsChunksInsteadOfAllocating() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 100; i++) {
                frames.addEncoded(bytes(80, i), 0, 80, true);
            }
            int held = frames.chunks();
            assertThat(held).as("80-byte frames, 12 to a chunk").isEqualTo((100 + 11) / 12);
            while (!frames.isEmpty()) {
                frames.pollEncodedInto(ByteBuffer.allocate(80));
            }
            assertThat(spares.spares()).as("round %d: the same chunks, back", round).isEqualTo(held);
        }
    }

    @Test
    void aFrameThatComesBackIsHandedOverWithItsLoan() {
        frames.addEncoded(new byte[] {0, 7, 7, 0}, 1, 2, true);
        String seen = frames.pollEncoded((src, offset, length, lent) -> src[offset] + ":" + length + ":" + lent);
        assertThat(seen).isEqualTo("7:2:true");
        assertThat(frames.isEmpty()).isTrue();
        assertThat(frames.encodedBytes()).isZero();
    }

    @Test
    void clearingForgetsEverything() {
        frames.addMessage();
        frames.addEncoded(bytes(4, 4), 0, 4, true);
        frames.clear();
        assertThat(frames.isEmpty()).isTrue();
        assertThat(frames.encodedBytes()).isZero();
        assertThat(frames.chunks()).isZero();
        assertThat(spares.spares()).isEqualTo(1);
        frames.addEncoded(bytes(4, 5), 0, 4, false);
        assertThat(frames.peek()).isEqualTo(-4);
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 7 + i);
        }
        return b;
    }
}
