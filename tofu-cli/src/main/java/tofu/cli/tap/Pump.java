package tofu.cli.tap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import tofu.cli.wire.FrameScanner;

/**
 * One direction of a tapped connection: reads what one side sends, shows it (frames through the printer, bytes into
 * the capture), and writes it unchanged to the other side. Nothing is held back, reordered or changed: each read is
 * written whole as soon as it has been shown. Showing first keeps the timeline causal: a frame is printed before it
 * is forwarded, so before any answer to it can arrive.
 *
 * <p>At the end of its stream it passes the end on (shutdownOutput, so a half-close stays a half-close); when a read
 * or a write fails it asks the session to abort both sides. Runs on a thread of its own; owns its scanner.
 */
final class Pump implements Runnable {
    private static final int BUFFER = 64 * 1024;

    private final TapSession session;
    private final Direction dir;
    private final SocketChannel from;
    private final SocketChannel to;
    private final TapPrinter printer;
    private final PcapWriter pcap;
    private final FrameScanner scanner = FrameScanner.stoppingAtUnknownOpcodes();
    private long relayed;

    Pump(TapSession session, Direction dir, SocketChannel from, SocketChannel to, TapPrinter printer,
            PcapWriter pcap) {
        this.session = session;
        this.dir = dir;
        this.from = from;
        this.to = to;
        this.printer = printer;
        this.pcap = pcap;
    }

    /** Returns the bytes relayed so far; read after the thread has ended. */
    long relayed() {
        return relayed;
    }

    @Override
    public void run() {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        try {
            while (true) {
                buf.clear();
                int n = from.read(buf);
                if (n < 0) {
                    endOfStream();
                    return;
                }
                show(buf.array(), n); // first, so a frame is always printed before the answer it provokes
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                relayed += n;
            }
        } catch (IOException e) {
            boolean first = !session.closing() && session.abort();
            if (pcap != null && first) {
                pcap.reset(session.number(), dir);
            }
            String how = session.closing() ? "closed by the tap" : first ? "reset (" + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()) + ")" : "aborted with the other direction";
            printer.ended(session.number(), dir, how, relayed);
        } finally {
            session.pumpEnded();
        }
    }

    private void endOfStream() {
        if (scanner.pending() > 0 && !scanner.stopped()) {
            printer.truncated(session.number(), dir, scanner.pending());
        }
        if (pcap != null) {
            pcap.fin(session.number(), dir);
        }
        printer.ended(session.number(), dir, "end of stream", relayed);
        try {
            to.shutdownOutput();
        } catch (IOException e) {
            // The other side is already gone: its own pump reports how.
        }
    }

    private void show(byte[] bytes, int n) {
        if (pcap != null) {
            pcap.data(session.number(), dir, bytes, 0, n);
        }
        boolean wasStopped = scanner.stopped();
        int decoded = scanner.feed(bytes, 0, n, f -> printer.frame(session.number(), dir, f));
        if (!wasStopped && scanner.stopped()) {
            byte[] header = scanner.pendingHeader();
            printer.undecodable(session.number(), dir, "opcode " + (header[2] & 0x0F) + " does not exist", header);
        }
        if (decoded < n) {
            printer.raw(session.number(), dir, bytes, decoded, n - decoded);
        }
    }
}
