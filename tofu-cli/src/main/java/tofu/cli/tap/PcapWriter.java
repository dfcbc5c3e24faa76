package tofu.cli.tap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes what the tap relays as a pcap capture file, so Wireshark (with tools/wireshark/tofu.lua) can show it —
 * UDS conversations included, which no packet capture can see.
 *
 * <p>The packets are synthesized, not captured: each relayed connection becomes one TCP connection between
 * 198.18.0.1 (the client, port 49152 + its number) and 198.18.0.2 (the peer, the port given), raw IPv4 (link type
 * 101), with a handshake, one segment per read (split at 65000 bytes), FIN or RST at the end of each direction,
 * correct sequence numbers and checksums. The bytes are exactly those relayed. Thread-safe: the pumps of every
 * connection write through it; each packet is written whole and flushed.
 */
final class PcapWriter implements AutoCloseable {
    private static final int LINKTYPE_RAW = 101;
    private static final int MAX_SEGMENT = 65_000;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final int FIN = 0x01;
    private static final byte[] CLIENT_IP = {(byte) 198, 18, 0, 1};
    private static final byte[] SERVER_IP = {(byte) 198, 18, 0, 2};

    /** Sequence numbers of one synthesized connection, indexed by {@link Direction#ordinal()}. */
    private static final class Stream {
        final int clientPort;
        final long[] next = new long[2];

        Stream(int conn) {
            clientPort = 49152 + conn % 16384;
            next[Direction.TO_PEER.ordinal()] = 1000L * conn;
            next[Direction.TO_CLIENT.ordinal()] = 500_000L + 1000L * conn;
        }
    }

    private final OutputStream out;
    private final int serverPort;
    private final Map<Integer, Stream> streams = new HashMap<>();
    private int ipId;

    private PcapWriter(OutputStream out, int serverPort) {
        this.out = out;
        this.serverPort = serverPort;
    }

    /** Creates {@code file} (replacing it) and writes the pcap file header. */
    static PcapWriter create(Path file, int serverPort) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144)
                .putInt(LINKTYPE_RAW);
        out.write(h.array());
        out.flush();
        return new PcapWriter(out, serverPort);
    }

    /** A connection opened: the TCP handshake. */
    synchronized void open(int conn) {
        Stream s = new Stream(conn);
        streams.put(conn, s);
        packet(s, Direction.TO_PEER, SYN, new byte[0], 0, 0);
        s.next[Direction.TO_PEER.ordinal()]++;
        packet(s, Direction.TO_CLIENT, SYN | ACK, new byte[0], 0, 0);
        s.next[Direction.TO_CLIENT.ordinal()]++;
        packet(s, Direction.TO_PEER, ACK, new byte[0], 0, 0);
    }

    /** Bytes relayed in {@code dir}. */
    synchronized void data(int conn, Direction dir, byte[] bytes, int off, int len) {
        Stream s = streams.get(conn);
        for (int at = off; at < off + len; at += MAX_SEGMENT) {
            int n = Math.min(MAX_SEGMENT, off + len - at);
            packet(s, dir, PSH | ACK, bytes, at, n);
            s.next[dir.ordinal()] += n;
        }
    }

    /** {@code dir} ended normally. */
    synchronized void fin(int conn, Direction dir) {
        Stream s = streams.get(conn);
        packet(s, dir, FIN | ACK, new byte[0], 0, 0);
        s.next[dir.ordinal()]++;
    }

    /** {@code dir} ended with a reset. */
    synchronized void reset(int conn, Direction dir) {
        packet(streams.get(conn), dir, RST | ACK, new byte[0], 0, 0);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    private void packet(Stream s, Direction dir, int flags, byte[] payload, int off, int len) {
        boolean toPeer = dir == Direction.TO_PEER;
        byte[] src = toPeer ? CLIENT_IP : SERVER_IP;
        byte[] dst = toPeer ? SERVER_IP : CLIENT_IP;
        int tcpLength = 20 + len;
        ByteBuffer p = ByteBuffer.allocate(20 + tcpLength); // big-endian: network order
        p.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcpLength)).putShort((short) ipId++)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).put(src).put(dst);
        p.putShort(10, checksum(p.array(), 0, 20, 0));
        int from = toPeer ? s.clientPort : serverPort;
        int to = toPeer ? serverPort : s.clientPort;
        long ack = (flags & ACK) != 0 ? s.next[toPeer ? 1 : 0] : 0;
        p.putShort((short) from).putShort((short) to).putInt((int) s.next[dir.ordinal()]).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 0xFFFF).putShort((short) 0).putShort((short) 0)
                .put(payload, off, len);
        long pseudo = sum(src, 0, 4) + sum(dst, 0, 4) + 6 + tcpLength;
        p.putShort(36, checksum(p.array(), 20, tcpLength, pseudo));
        record(p.array());
    }

    private void record(byte[] packet) {
        Instant now = Instant.now();
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt((int) now.getEpochSecond()).putInt(now.getNano() / 1000).putInt(packet.length).putInt(packet.length);
        try {
            out.write(h.array());
            out.write(packet);
            out.flush(); // a capture stays readable however the tap ends
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the capture file", e);
        }
    }

    /** The Internet checksum of {@code b[off..off+len)} plus {@code initial} (already summed 16-bit words). */
    private static short checksum(byte[] b, int off, int len, long initial) {
        long sum = initial + sum(b, off, len);
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short) ~sum;
    }

    private static long sum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xFF;
            int lo = i + 1 < len ? b[off + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        return sum;
    }
}
