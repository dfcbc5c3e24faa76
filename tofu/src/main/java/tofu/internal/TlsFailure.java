package tofu.internal;

import java.io.EOFException;
import java.io.IOException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLEngine;

/**
 * Puts a failed TLS handshake into words: the {@code ~reason} a client's returned HelloRequest carries, and the
 * detail of a server's handshake-failure event. Every message starts with {@code "tls: "}, says what went wrong as a
 * person would put it, and ends with the JDK's own words in parentheses for whoever digs deeper. Stateless.
 */
final class TlsFailure {
    private static final String PREFIX = "tls: ";

    private TlsFailure() {
    }

    /**
     * Explains {@code failure} seen by {@code engine}; {@code host} is the host a client dialled (null on the server
     * side).
     */
    static IOException explain(Throwable failure, SSLEngine engine, String host) {
        IOException e = new IOException(PREFIX + words(failure, engine.getUseClientMode(), host, engine) + " ("
                + jdkWords(failure) + ")", failure);
        return e;
    }

    private static String words(Throwable failure, boolean client, String host, SSLEngine engine) {
        String peer = client ? "the server" : "the client";
        String text = allMessages(failure);
        if (has(failure, CertificateExpiredException.class) || text.contains("certificate_expired")
                || text.contains("notafter")) {
            return peer + "'s certificate has expired";
        }
        if (has(failure, CertificateNotYetValidException.class)) {
            return peer + "'s certificate is not valid yet";
        }
        if (text.contains("no subject alternative") || text.contains("no name matching")) {
            return "the server's certificate does not name the host " + host;
        }
        if (text.contains("pkix path") || text.contains("unable to find valid certification path")
                || text.contains("certpathvalidator") || text.contains("signature check failed")) {
            return peer + "'s certificate is not trusted (not issued by an authority in this engine's trust)";
        }
        if (client && (text.contains("certificate_required") || text.contains("bad_certificate")
                || text.contains("unknown_ca") || text.contains("certificate_unknown"))) {
            return hasOwnCertificate(engine)
                    ? "the server rejected this engine's client certificate"
                    : "the server requires a client certificate and this engine's TLS context has none";
        }
        if (!client && (text.contains("empty client certificate") || text.contains("certificate_required")
                || text.contains("empty certificate chain") || text.contains("peer not authenticated"))) {
            return "the client presented no certificate and this listener requires one";
        }
        if (text.contains("protocol_version") || text.contains("no appropriate protocol")
                || text.contains("not enabled or not supported") || text.contains("no negotiable cipher")
                || text.contains("no cipher suites in common") || text.contains("insufficient_security")) {
            return "no TLS version or cipher suite in common with " + peer;
        }
        if (text.contains("unsupported or unrecognized ssl message") || text.contains("plaintext connection")) {
            return peer + " does not speak TLS (it sent bytes that are not a TLS record)";
        }
        if (has(failure, EOFException.class) || IoErrors.classify(asIo(failure), null) != null) {
            return peer + " closed the connection during the handshake (it may not speak TLS, or it rejected"
                    + " this handshake)";
        }
        if (text.contains("received fatal alert")) {
            return peer + " ended the handshake with an alert";
        }
        if (failure instanceof IOException && !(failure instanceof javax.net.ssl.SSLException)) {
            return "the connection broke during the handshake";
        }
        return "the handshake failed";
    }

    private static IOException asIo(Throwable failure) {
        return failure instanceof IOException ? (IOException) failure : new IOException(failure.getMessage());
    }

    private static boolean hasOwnCertificate(SSLEngine engine) {
        try {
            return engine.getHandshakeSession() != null && engine.getHandshakeSession().getLocalCertificates() != null
                    || engine.getSession().getLocalCertificates() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The JDK's message of the deepest cause that has one, with control characters escaped. */
    private static String jdkWords(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return message == null ? failure.getClass().getSimpleName() : escape(message);
    }

    private static String allMessages(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Escapes control characters, so a peer's words cannot break a log line or a header. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
