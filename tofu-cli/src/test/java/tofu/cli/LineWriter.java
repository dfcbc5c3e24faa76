package tofu.cli;

import java.io.Writer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A writer that keeps everything written and hands each completed line to a queue, for a test to wait on. */
final class LineWriter extends Writer {
    private final StringBuilder all = new StringBuilder();
    private final StringBuilder line = new StringBuilder();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            all.append(c);
            if (c == '\n') {
                lines.add(line.toString());
                line.setLength(0);
            } else if (c != '\r') {
                line.append(c);
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** Returns the completed lines, in order, as they arrive. */
    BlockingQueue<String> lines() {
        return lines;
    }

    /** Returns everything written so far. */
    synchronized String text() {
        return all.toString();
    }
}
