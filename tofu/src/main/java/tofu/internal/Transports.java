package tofu.internal;

import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import tofu.Options;

/**
 * The engine's choice of transports: plain sockets for {@code tcp|} and {@code uds|}, TLS for {@code tls|}, with the
 * engine's one {@link SSLContext} ({@code Options.withTls}). Sets up every {@link SSLEngine} the same way: TLSv1.3 and
 * TLSv1.2 only; a client checks the server's certificate against the dialled host ("HTTPS" endpoint identification)
 * and sends the host as SNI when it is a name; a server demands (mutual TLS) or asks for a client certificate, so a
 * client that has one is identified either way. Immutable after construction; makers run on the engine thread.
 */
final class Transports {
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLContext context;
    private final boolean requireClientCertificate;

    Transports(Options options) {
        this.context = options.tlsContext();
        this.requireClientCertificate = options.requireClientCertificate();
    }

    /** True when the engine can open {@code tls|} addresses. */
    boolean tls() {
        return context != null;
    }

    /** Plain TCP or UDS. */
    static TransportMaker plain(boolean tcp) {
        return socket -> new PlainTransport(socket, tcp);
    }

    /** TLS as the client of {@code host}: the name (or IP literal) the server's certificate must match. */
    TransportMaker tlsClient(String host, int port) {
        return socket -> {
            SSLEngine engine = context.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            SSLParameters params = engine.getSSLParameters();
            params.setProtocols(protocols(engine));
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (Sockets.isName(host)) {
                try {
                    params.setServerNames(List.of(new SNIHostName(host)));
                } catch (IllegalArgumentException e) {
                    // a name SNI cannot carry (e.g. a trailing dot): the certificate check still uses the host
                }
            }
            engine.setSSLParameters(params);
            return new TlsTransport(new PlainTransport(socket, true), engine, host);
        };
    }

    /** TLS as the server of an accepted connection. */
    TransportMaker tlsServer() {
        return socket -> {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            SSLParameters params = engine.getSSLParameters();
            params.setProtocols(protocols(engine));
            if (requireClientCertificate) {
                params.setNeedClientAuth(true);
            } else {
                params.setWantClientAuth(true);
            }
            engine.setSSLParameters(params);
            return new TlsTransport(new PlainTransport(socket, true), engine, null);
        };
    }

    /** TLSv1.3 and TLSv1.2, as far as the context's provider supports them. */
    private static String[] protocols(SSLEngine engine) {
        List<String> supported = List.of(engine.getSupportedProtocols());
        List<String> chosen = new ArrayList<>();
        for (String p : PROTOCOLS) {
            if (supported.contains(p)) {
                chosen.add(p);
            }
        }
        return chosen.toArray(new String[0]);
    }
}
