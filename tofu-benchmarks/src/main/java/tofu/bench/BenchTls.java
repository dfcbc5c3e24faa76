package tofu.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one TLS setup both TLS stacks use, so tofu-tls and netty-tls compare like with like: the same JDK provider, the
 * same certificate (a self-signed EC P-256 one for 127.0.0.1 made once per JVM by the running JDK's keytool, as the
 * CLI demo does), mutual TLS, TLSv1.3 only and one cipher suite, {@value #CIPHER_SUITE}. Every engine the context
 * makes is restricted to those (engines the application configures further keep them: tofu only sets protocols,
 * endpoint identification and client authentication). Thread-safe once made.
 */
final class BenchTls {
    /** The one cipher suite of both TLS stacks. */
    static final String CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";
    static final String PROTOCOL = "TLSv1.3";

    private static SSLContext context;

    private BenchTls() {
    }

    /** The shared context, made on first use. */
    static synchronized SSLContext context() {
        if (context == null) {
            context = restricted(fromKeytool());
        }
        return context;
    }

    /**
     * An engine of the shared context for one side: the client checks the host name, the server needs a cert. The
     * client's {@code port} keys its session cache (as tofu's client does): a port seen before may resume.
     */
    static SSLEngine engine(boolean client, int port) {
        SSLEngine e = client ? context().createSSLEngine("127.0.0.1", port) : context().createSSLEngine();
        e.setUseClientMode(client);
        if (client) {
            javax.net.ssl.SSLParameters p = e.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            e.setSSLParameters(p);
        } else {
            e.setNeedClientAuth(true);
        }
        return e;
    }

    private static SSLContext fromKeytool() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tofu-bench-tls-");
            Path store = dir.resolve("bench.p12");
            String password = Long.toHexString(new SecureRandom().nextLong());
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            ProcessBuilder pb = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "bench",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=tofu bench", "-ext", "san=ip:127.0.0.1", "-validity", "1",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass:env", "BENCH_PASS",
                    "-noprompt").redirectErrorStream(true);
            pb.environment().put("BENCH_PASS", password);
            Process p = pb.start();
            byte[] said = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(said, StandardCharsets.UTF_8));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("bench", keys.getCertificate("bench"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return c;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the benchmark's TLS context", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("bench.p12"));
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a throwaway certificate in a temporary folder
                }
            }
        }
    }

    /** {@code inner} whose engines come with {@link #PROTOCOL} and {@link #CIPHER_SUITE} only. */
    private static SSLContext restricted(SSLContext inner) {
        SSLContextSpi spi = new SSLContextSpi() {
            @Override
            protected void engineInit(javax.net.ssl.KeyManager[] km, javax.net.ssl.TrustManager[] tm,
                    SecureRandom random) throws KeyManagementException {
                throw new KeyManagementException("already initialised");
            }

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                return inner.getSocketFactory();
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                return inner.getServerSocketFactory();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                return restrict(inner.createSSLEngine());
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                return restrict(inner.createSSLEngine(host, port));
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                return inner.getServerSessionContext();
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                return inner.getClientSessionContext();
            }
        };
        return new SSLContext(spi, inner.getProvider(), inner.getProtocol()) { };
    }

    private static SSLEngine restrict(SSLEngine e) {
        e.setEnabledProtocols(new String[] {PROTOCOL});
        e.setEnabledCipherSuites(new String[] {CIPHER_SUITE});
        return e;
    }
}
