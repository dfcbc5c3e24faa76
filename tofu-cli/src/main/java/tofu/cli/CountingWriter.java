package tofu.cli;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer that passes everything on and counts the characters, so that a display redrawn in place can tell whether
 * anyone else printed since its last redraw. Thread-safe: writes and {@link #written()} synchronize on this writer,
 * which is also the lock of a {@link java.io.PrintWriter} built on it.
 */
final class CountingWriter extends Writer {
    private final Writer out;
    private long written;

    CountingWriter(Writer out) {
        this.out = out;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) throws IOException {
        out.write(buf, off, len);
        written += len;
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** Does not close the writer underneath: it belongs to the command line. */
    @Override
    public synchronized void close() throws IOException {
        out.flush();
    }

    /** Returns how many characters have been written through this writer. */
    synchronized long written() {
        return written;
    }
}
