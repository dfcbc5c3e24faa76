package tofu.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the engine's {@link SSLContext} from files as openssl and cert-manager write them: certificates in PEM
 * ({@code BEGIN CERTIFICATE}, a chain or a bundle), private keys in PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), or a
 * PKCS#12 file holding key and chain (or trusted certificates). Every problem is a {@link CliException} whose one
 * line names the file and says what is wrong with it. Stateless.
 */
final class TlsFiles {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private TlsFiles() {
    }

    /**
     * A context with {@code cert}/{@code key} as this side's key material (none if {@code cert} is null) and
     * {@code trust} as the authorities it trusts (the JDK's default ones if null).
     *
     * @param cert a PEM certificate chain (with {@code key}) or a PKCS#12 file with key and chain, or null
     * @param key a PKCS#8 PEM private key for a PEM {@code cert}; null for PKCS#12
     * @param trust a PEM bundle or PKCS#12 file of trusted certificates, or null
     * @param password the PKCS#12 password (empty if null)
     */
    static SSLContext context(Path cert, Path key, Path trust, char[] password) {
        char[] pass = password == null ? NO_PASSWORD : password;
        try {
            KeyManagerFactory kmf = null;
            if (cert != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyMaterial(cert, key, pass), pass);
            }
            TrustManagerFactory tmf = null;
            if (trust != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted(trust, pass));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(),
                    new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw CliException.failed("cannot set up TLS: " + e.getMessage());
        }
    }

    /** A key store with one entry: the private key and its chain. */
    private static KeyStore keyMaterial(Path cert, Path key, char[] pass) throws GeneralSecurityException {
        byte[] bytes = read(cert, "--tls-cert");
        if (!isPem(bytes)) {
            if (key != null) {
                throw bad(cert, "is PKCS#12 (it holds its own key): drop --tls-key " + key);
            }
            KeyStore p12 = pkcs12(cert, bytes, pass);
            if (!hasKey(p12)) {
                throw bad(cert, "holds no private key");
            }
            return p12;
        }
        if (key == null) {
            throw bad(cert, "is a PEM certificate: give its private key with --tls-key");
        }
        List<X509Certificate> chain = certificates(cert, bytes);
        PrivateKey privateKey = privateKey(key, chain.get(0));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e); // an empty in-memory store cannot fail to load
        }
        store.setKeyEntry("tofu", privateKey, pass, chain.toArray(new Certificate[0]));
        return store;
    }

    /** A trust store of every certificate in {@code trust}. */
    private static KeyStore trusted(Path trust, char[] pass) throws GeneralSecurityException {
        byte[] bytes = read(trust, "--tls-trust");
        if (!isPem(bytes)) {
            return pkcs12(trust, bytes, pass);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int i = 0;
        for (X509Certificate c : certificates(trust, bytes)) {
            store.setCertificateEntry("trusted-" + i++, c);
        }
        return store;
    }

    private static List<X509Certificate> certificates(Path file, byte[] bytes) {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 support", e);
        }
        Matcher m = PEM.matcher(new String(bytes, StandardCharsets.US_ASCII));
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                continue;
            }
            try {
                certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(base64(file,
                        m.group(2)))));
            } catch (CertificateException e) {
                throw bad(file, "has a CERTIFICATE block that does not parse (" + e.getMessage() + ")");
            }
        }
        if (certs.isEmpty()) {
            throw bad(file, "has no '-----BEGIN CERTIFICATE-----' block");
        }
        return certs;
    }

    /** The PKCS#8 key of {@code file}, checked against the certificate it must belong to. */
    private static PrivateKey privateKey(Path file, X509Certificate cert) {
        byte[] bytes = read(file, "--tls-key");
        Matcher m = PEM.matcher(new String(bytes, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw bad(file, "is not a PEM file (expected '-----BEGIN PRIVATE KEY-----')");
        }
        String type = m.group(1);
        if (!type.equals("PRIVATE KEY")) {
            if (type.endsWith("PRIVATE KEY")) {
                throw bad(file, "holds a '" + type + "', not PKCS#8: convert it with "
                        + "'openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem'");
            }
            throw bad(file, "holds a '" + type + "' block, not a private key ('-----BEGIN PRIVATE KEY-----')");
        }
        String algorithm = cert.getPublicKey().getAlgorithm();
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(base64(file, m.group(2))));
        } catch (GeneralSecurityException e) {
            throw bad(file, "is not a " + algorithm + " key like the certificate's (" + e.getMessage() + ")");
        }
        if (!matches(key, cert)) {
            throw bad(file, "does not belong to the certificate (subject " + cert.getSubjectX500Principal().getName()
                    + ")");
        }
        return key;
    }

    /** True if {@code key} signs what {@code cert}'s public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        String algorithm = key.getAlgorithm();
        String signature = algorithm.equals("EC") ? "SHA256withECDSA" : algorithm.equals("RSA") ? "SHA256withRSA"
                : algorithm;
        try {
            byte[] probe = "tofu".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(signature);
            s.initSign(key);
            s.update(probe);
            byte[] signed = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            return s.verify(signed);
        } catch (GeneralSecurityException e) {
            return true; // an algorithm we cannot probe: the handshake will tell
        }
    }

    private static KeyStore pkcs12(Path file, byte[] bytes, char[] pass) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), pass);
            return store;
        } catch (IOException e) {
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password")
                    ? "cannot be opened with the given --tls-password" : "is neither PEM nor PKCS#12";
            throw bad(file, why + " (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw bad(file, "is a PKCS#12 file the JDK cannot read (" + e.getMessage() + ")");
        }
    }

    private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] read(Path file, String option) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) {
                throw bad(file, "is empty");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw CliException.failed(option + " " + file + ": no such file");
        } catch (IOException e) {
            throw CliException.failed(option + " " + file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static boolean isPem(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.US_ASCII).contains("-----BEGIN ");
    }

    private static byte[] base64(Path file, String body) {
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw bad(file, "has a PEM block whose base64 is damaged");
        }
    }

    private static CliException bad(Path file, String what) {
        return CliException.failed(file + " " + what);
    }
}
