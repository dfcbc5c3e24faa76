package tofu.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import tofu.Message;

/**
 * A {@link ReceiveQueue.Pool} for unit tests: lists what a queue gives back, decodes frames delivered as bytes into
 * new messages, and counts both that and the loans a close ends. Thread-safe.
 */
final class RecordingPool implements ReceiveQueue.Pool {
    final ConcurrentLinkedQueue<Message> recycled = new ConcurrentLinkedQueue<>();
    final AtomicInteger decoded = new AtomicInteger();
    final AtomicInteger loansReleased = new AtomicInteger();

    @Override
    public void recycle(Message m) {
        recycled.add(m);
    }

    @Override
    public Message decodeLent(ByteBuffer frame) {
        Message m = Message.create();
        FrameDecoder.decodeWhole(frame, m);
        decoded.incrementAndGet();
        return m;
    }

    @Override
    public void releaseLoans(int n) {
        loansReleased.addAndGet(n);
    }
}
