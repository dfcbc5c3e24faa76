package tofu.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;

/** Address helpers for opening sockets without blocking the engine thread. Stateless. */
final class Sockets {
    private Sockets() {
    }

    /**
     * Returns the address of an IP literal, parsed without any lookup, or null if {@code host} is a name that needs
     * resolving.
     *
     * @throws UnknownHostException for something that looks like an IPv6 literal but is not one
     */
    static InetAddress literal(String host) throws UnknownHostException {
        if (host.indexOf(':') >= 0 || isIpv4Literal(host)) {
            return InetAddress.getByName(host); // literals are parsed, never looked up
        }
        return null;
    }

    /** True for a host name, false for an IPv4 or IPv6 literal. */
    static boolean isName(String host) {
        return host.indexOf(':') < 0 && !isIpv4Literal(host);
    }

    static boolean isIpv4Literal(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) {
                return false;
            }
            for (int i = 0; i < p.length(); i++) {
                if (!Character.isDigit(p.charAt(i))) {
                    return false;
                }
            }
            if (Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    static StandardProtocolFamily family(InetAddress address) {
        return address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** Returns the header value form of a bound address: {@code tcp|127.0.0.1|40123}, {@code uds|/tmp/a.sock}. */
    static String value(SocketAddress address) {
        return value(address, false);
    }

    /** As {@link #value(SocketAddress)}; with {@code tls} an IP address reads {@code tls|127.0.0.1|40123}. */
    static String value(SocketAddress address, boolean tls) {
        if (address instanceof UnixDomainSocketAddress) {
            return "uds|" + ((UnixDomainSocketAddress) address).getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        return (tls ? "tls|" : "tcp|") + hostString(inet.getAddress()) + '|' + inet.getPort();
    }

    /** Returns the textual IP, IPv6 in its compressed form ({@code ::1}, {@code ::}). */
    static String hostString(InetAddress address) {
        String text = address.getHostAddress();
        if (!(address instanceof Inet6Address)) {
            return text;
        }
        String scope = "";
        int percent = text.indexOf('%');
        if (percent >= 0) {
            scope = text.substring(percent);
            text = text.substring(0, percent);
        }
        return compressIpv6(text) + scope;
    }

    /** Compresses the longest run (two or more) of zero groups to {@code ::}, as RFC 5952 recommends. */
    static String compressIpv6(String full) {
        String[] groups = full.split(":", -1);
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestLen < 2) {
            return full;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bestStart; i++) {
            sb.append(i > 0 ? ":" : "").append(groups[i]);
        }
        sb.append("::");
        for (int i = bestStart + bestLen; i < groups.length; i++) {
            sb.append(groups[i]).append(i < groups.length - 1 ? ":" : "");
        }
        return sb.toString();
    }
}
