package tofu.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import tofu.Address;
import tofu.Options;
import tofu.TlsClientAddress;
import tofu.TlsServerAddress;

/**
 * The {@code --tls-*} options shared by {@code listen}, {@code send}, {@code ping} and {@code bench} (a picocli
 * mixin): this side's certificate and key, the authorities it trusts, and a PKCS#12 password. They apply to
 * {@code tls|} addresses only. Filled by picocli on the main thread.
 */
public final class TlsOptions {
    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "This side's certificate: a PEM chain (leaf first, with --tls-key) or a PKCS#12 file "
                    + "holding key and chain. Required by listen on a tls| address; for a client, presented when the "
                    + "server asks (mutual TLS).")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The private key of a PEM --tls-cert, as PKCS#8 PEM ('BEGIN PRIVATE KEY', what openssl "
                    + "req -nodes and cert-manager write).")
    Path key;

    @Option(names = "--tls-trust", paramLabel = "FILE",
            description = "Authorities to trust: a PEM bundle or a PKCS#12 file. Clients check the server's "
                    + "certificate against it (default: the JDK's trusted authorities); with "
                    + "--tls-require-client-cert, the server checks clients against it.")
    Path trust;

    @Option(names = "--tls-password", paramLabel = "TEXT", interactive = false,
            description = "Password of a PKCS#12 --tls-cert or --tls-trust (default: empty).")
    String password;

    /** True when any {@code --tls-*} file option was given. */
    boolean given() {
        return cert != null || key != null || trust != null || password != null;
    }

    /**
     * Returns {@code base} with TLS set up for the client address {@code value}; a value that does not parse is left
     * to the connect, which reports it as before.
     */
    Options applyClient(Options base, String value) {
        Address address;
        try {
            address = Address.parseClient(value);
        } catch (RuntimeException e) {
            return base;
        }
        return apply(base, address, false);
    }

    /**
     * Returns {@code base} with TLS set up for {@code address}: for a {@code tls|} address, a context made from the
     * files (a listener must have a certificate); for any other address, {@code base} unchanged, and an error if TLS
     * options were given for it.
     *
     * @param requireClientCertificate mutual TLS on the listener (listen only)
     * @throws CliException with a one-line reason naming the option or the file
     */
    Options apply(Options base, Address address, boolean requireClientCertificate) {
        boolean tls = address instanceof TlsClientAddress || address instanceof TlsServerAddress;
        if (!tls) {
            if (given() || requireClientCertificate) {
                throw CliException.failed("--tls-* options need a tls| address, not " + address.value());
            }
            return base;
        }
        if (address instanceof TlsServerAddress && cert == null) {
            throw CliException.failed("listening on " + address.value() + " needs --tls-cert (and --tls-key for PEM)");
        }
        if (requireClientCertificate && trust == null) {
            throw CliException.failed("--tls-require-client-cert needs --tls-trust: the authority that issues client "
                    + "certificates");
        }
        if (key != null && cert == null) {
            throw CliException.failed("--tls-key " + key + " needs --tls-cert: the certificate it belongs to");
        }
        return base.withTls(TlsFiles.context(cert, key, trust, password == null ? null : password.toCharArray()),
                requireClientCertificate);
    }
}
