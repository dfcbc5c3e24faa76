package tofu.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A second host for a test: a network namespace joined to the test JVM's (root) namespace by one veth pair, with an
 * IPv4 /30 from 198.18.0.0/15 and an IPv6 /64 from 2001:db8::/32 on each end. Peers run in it as child JVMs
 * ({@link #startPeer}).
 *
 * <p>Link {@code i} has {@code 198.18.0.0 + 4i + 1} and {@code 2001:db8:<i + 1>::1} on the test JVM's end, {@code + 2}
 * and {@code ::2} on the host's.
 *
 * <p>Both ends know each other's link-layer address permanently (static neighbour entries), so taking the link down
 * ({@link #linkDown}) is a silent black hole, as a pulled cable or a dropping firewall is: packets vanish, no ARP
 * failure turns into a quick "no route to host".
 *
 * <p>{@link #close()} kills the peers, deletes the namespace (which removes the veth pair) and its
 * {@code /etc/netns} folder; it is idempotent and also run by {@link NetNs}'s shutdown hook. Used by one test thread.
 */
final class TestHost implements AutoCloseable {
    private static final int LINKS = 32768;
    /** The link's name inside the namespace. */
    private static final String INNER_LINK = "eth1";

    private final String namespace;
    private final String rootLink;
    private final int index;
    private final List<PeerProcess> peers = new ArrayList<>();
    private boolean closed;

    private TestHost(String namespace, String rootLink, int index) {
        this.namespace = namespace;
        this.rootLink = rootLink;
        this.index = index;
    }

    /** Creates the namespace and its link, both ends up. Call {@link NetNs#assumeAvailable()} first. */
    static TestHost create() throws IOException {
        String[] names = NetNs.newNames();
        return NetNs.withAddressLock(() -> {
            Set<Integer> used = NetNs.linkIndexesInUse();
            int index = 0;
            while (used.contains(index)) {
                index++;
            }
            if (index >= LINKS) {
                throw new IOException("all 198.18.0.0/15 links in use");
            }
            TestHost h = new TestHost(names[0], names[1], index);
            NetNs.register(h); // from here on, close() and the shutdown hook remove whatever exists
            try {
                h.configure();
            } catch (IOException | RuntimeException e) {
                h.close();
                throw e;
            }
            return h;
        });
    }

    private void configure() throws IOException {
        NetNs.run("ip", "netns", "add", namespace);
        String rootMac = mac(1);
        String innerMac = mac(2);
        NetNs.run("ip", "link", "add", rootLink, "address", rootMac, "type", "veth", "peer", "name", INNER_LINK,
                "address", innerMac, "netns", namespace);
        NetNs.run("ip", "addr", "add", rootIpv4() + "/30", "dev", rootLink);
        NetNs.run("ip", "-n", namespace, "addr", "add", hostIpv4() + "/30", "dev", INNER_LINK);
        // nodad: usable at once (duplicate address detection would keep them tentative for a second or more)
        NetNs.run("ip", "addr", "add", rootIpv6() + "/64", "dev", rootLink, "nodad");
        NetNs.run("ip", "-n", namespace, "addr", "add", hostIpv6() + "/64", "dev", INNER_LINK, "nodad");
        NetNs.run("ip", "link", "set", rootLink, "up");
        NetNs.run("ip", "-n", namespace, "link", "set", "lo", "up");
        NetNs.run("ip", "-n", namespace, "link", "set", INNER_LINK, "up");
        NetNs.run("ip", "neigh", "replace", hostIpv4(), "lladdr", innerMac, "dev", rootLink, "nud", "permanent");
        NetNs.run("ip", "neigh", "replace", hostIpv6(), "lladdr", innerMac, "dev", rootLink, "nud", "permanent");
        NetNs.run("ip", "-n", namespace, "neigh", "replace", rootIpv4(), "lladdr", rootMac, "dev", INNER_LINK,
                "nud", "permanent");
        NetNs.run("ip", "-n", namespace, "neigh", "replace", rootIpv6(), "lladdr", rootMac, "dev", INNER_LINK,
                "nud", "permanent");
    }

    private String mac(int end) {
        return String.format("02:74:66:%02x:%02x:%02x", index >> 8, index & 0xFF, end);
    }

    /** The namespace's name. */
    String namespace() {
        return namespace;
    }

    /** The test JVM's end of the link, IPv4. */
    String rootIpv4() {
        return ipv4(1);
    }

    /** This host's end of the link, IPv4. */
    String hostIpv4() {
        return ipv4(2);
    }

    /** The test JVM's end of the link, IPv6. */
    String rootIpv6() {
        return "2001:db8:" + Integer.toHexString(index + 1) + "::1"; // + 1: no zero group, the canonical form
    }

    /** This host's end of the link, IPv6. */
    String hostIpv6() {
        return "2001:db8:" + Integer.toHexString(index + 1) + "::2";
    }

    private String ipv4(int host) {
        int offset = index * 4 + host;
        return "198." + (18 + (offset >> 16)) + "." + ((offset >> 8) & 0xFF) + "." + (offset & 0xFF);
    }

    /**
     * Takes this host's end of the link down: from now on nothing crosses in either direction and nobody is told, as
     * when a host loses power or a cable is pulled.
     */
    void linkDown() throws IOException {
        NetNs.run("ip", "-n", namespace, "link", "set", INNER_LINK, "down");
    }

    /** Brings this host's end of the link back up (its addresses and neighbour entries are kept). */
    void linkUp() throws IOException {
        NetNs.run("ip", "-n", namespace, "link", "set", INNER_LINK, "up");
    }

    /**
     * Writes this host's own hosts file ({@code /etc/netns/<namespace>/hosts}, which {@code ip netns exec} mounts over
     * {@code /etc/hosts} for the processes it starts from now on), each line {@code "ip name"}, and a
     * {@code resolv.conf} that asks only the host's own loopback.
     */
    void hostsFile(String... lines) throws IOException {
        NetNs.writeEtc(namespace, "hosts", "127.0.0.1 localhost\n" + String.join("\n", lines) + "\n");
        // and no name server: a name the hosts file does not know fails there, without a packet leaving the host
        NetNs.writeEtc(namespace, "resolv.conf", "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    }

    /** Starts a {@link PeerMain} child JVM inside this host with {@code args}; it is killed by {@link #close()}. */
    PeerProcess startPeer(String... args) throws IOException {
        PeerProcess peer = PeerProcess.start(namespace, args);
        peers.add(peer);
        return peer;
    }

    /** Deletes the namespace now (its peers killed first): the host is gone, its link with it. */
    void delete() throws IOException {
        for (PeerProcess peer : peers) {
            peer.kill();
        }
        NetNs.deleteNamespace(namespace);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            for (PeerProcess peer : peers) {
                peer.kill();
            }
            NetNs.deleteNamespace(namespace);
            NetNs.exec("ip", "link", "del", rootLink); // gone with the namespace, unless creation failed half-way
        } catch (IOException e) {
            throw new UncheckedIOException("removing test host " + namespace + " failed", e);
        } finally {
            NetNs.unregister(this);
        }
    }

    @Override
    public String toString() {
        return namespace + " (" + rootIpv4() + " <-> " + hostIpv4() + ", " + rootIpv6() + " <-> " + hostIpv6() + ")";
    }
}
