package tofu.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tofu.cli.CliException;

/**
 * Throwaway TLS material for {@code demo --transport tls}: a self-signed EC P-256 certificate for {@code 127.0.0.1}
 * and {@code localhost}, valid for a day, made by the running JDK's own {@code keytool} (the JDK has no API to create
 * certificates) in a temporary folder that is deleted at once. Both sides use it as key and trust, so the demo runs
 * mutual TLS. Nothing is reused between runs. Called on the demo's thread.
 */
final class DemoCertificates {
    private static final long KEYTOOL_WAIT_SECONDS = 60;

    private DemoCertificates() {
    }

    /** A context whose key material is a fresh self-signed certificate and whose trust is that certificate. */
    static SSLContext mutualTls() {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw CliException.failed("demo over TLS makes its certificate with the JDK's keytool, and " + keytool
                    + " is missing: run it on a full JDK");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tofu-demo-tls-");
            Path store = dir.resolve("demo.p12");
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            ProcessBuilder pb = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "demo",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=tofu demo,O=tofu", "-ext", "san=ip:127.0.0.1,dns:localhost",
                    "-ext", "eku=serverAuth,clientAuth", "-validity", "1", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass:env", "TOFU_DEMO_PASS", "-noprompt")
                    .redirectErrorStream(true);
            pb.environment().put("TOFU_DEMO_PASS", password); // not on the command line, where ps would show it
            Process p = pb.start();
            byte[] said = p.getInputStream().readAllBytes();
            if (!p.waitFor(KEYTOOL_WAIT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw CliException.failed("keytool could not make the demo's certificate: "
                        + new String(said, StandardCharsets.UTF_8).strip().replace('\n', ' '));
            }
            return context(store, password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw CliException.failed("cannot make the demo's certificate: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted while making the demo's certificate");
        } finally {
            deleteTree(dir);
        }
    }

    private static SSLContext context(Path store, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("demo", keys.getCertificate("demo"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary folder left behind holds only a throwaway certificate
        }
    }
}
