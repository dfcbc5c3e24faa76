package tofu.support;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates and TLS contexts made at test time, in memory (BouncyCastle builds the certificates; the JDK makes the
 * keys and runs TLS). Nothing is written to disk and no private key is committed. EC P-256 keys: a full handshake
 * costs a few milliseconds, so the suite can afford TLS on every end-to-end test.
 *
 * <p>{@link #MUTUAL} is what every engine the tests start uses ({@link Engines}): one certificate for both roles,
 * issued by {@link #CA}, naming {@code 127.0.0.1}, {@code ::1} and {@code localhost}, and trusting {@link #CA};
 * listeners require client certificates, so every TLS end-to-end test runs mutual TLS. Contexts are made once per
 * JVM. Thread-safe (immutable after class initialisation).
 */
public final class TestTls {

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
    private static final Instant NOW = Instant.now();

    /** The test certificate authority every good certificate comes from. */
    public static final Authority CA = new Authority("CN=tofu test CA,O=tofu tests");
    /** Another authority nobody trusts. */
    public static final Authority STRANGER_CA = new Authority("CN=stranger CA,O=elsewhere");

    private static final Identity PEER = CA.issue("CN=tofu test peer,O=tofu tests", NOW.minus(Duration.ofDays(1)),
            NOW.plus(Duration.ofDays(2)), "127.0.0.1", "::1", "localhost");
    private static final Identity CLIENT = CA.issue("CN=tofu test client,OU=clients,O=tofu tests",
            NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2)));
    /** Subject of {@link #MUTUAL}'s certificate, as {@code X500Principal.getName()} (RFC 2253) prints it. */
    public static final String PEER_SUBJECT = PEER.chain()[0].getSubjectX500Principal().getName();
    /** Subject of {@link #clientOnly()}'s certificate (RFC 2253). */
    public static final String CLIENT_SUBJECT = CLIENT.chain()[0].getSubjectX500Principal().getName();

    /** Both roles: a peer certificate from {@link #CA}, trusting {@link #CA}. */
    public static final SSLContext MUTUAL = context(PEER, CA);

    private TestTls() {
    }

    /** A context that trusts {@link #CA} and has no certificate of its own (a client without a certificate). */
    public static SSLContext trustOnly() {
        return context(null, CA);
    }

    /** A client context with its own certificate ({@link #CLIENT_SUBJECT}) from {@link #CA}, trusting {@link #CA}. */
    public static SSLContext clientOnly() {
        return context(CLIENT, CA);
    }

    /** A server context whose certificate comes from {@link #STRANGER_CA} (trusting {@link #CA}). */
    public static SSLContext untrustedServer() {
        return context(STRANGER_CA.issue("CN=impostor,O=elsewhere", NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(2)), "127.0.0.1", "::1", "localhost"), CA);
    }

    /** A server context whose certificate from {@link #CA} names only {@code other.example} and 192.0.2.1. */
    public static SSLContext otherHostServer() {
        return context(CA.issue("CN=other.example,O=tofu tests", NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(2)), "192.0.2.1", "other.example"), CA);
    }

    /** A server context whose certificate from {@link #CA} expired yesterday. */
    public static SSLContext expiredServer() {
        return context(CA.issue("CN=expired,O=tofu tests", NOW.minus(Duration.ofDays(10)),
                NOW.minus(Duration.ofDays(1)), "127.0.0.1", "::1", "localhost"), CA);
    }

    /** A key and its certificate chain (leaf first). */
    public record Identity(PrivateKey key, X509Certificate[] chain) {
    }

    /** An in-memory certificate authority. */
    public static final class Authority {
        private final KeyPair keys = ecKeys();
        private final X500Name name;
        /** The authority's own (self-signed) certificate. */
        public final X509Certificate certificate;

        Authority(String subject) {
            this.name = new X500Name(subject);
            this.certificate = sign(name, keys.getPublic(), NOW.minus(Duration.ofDays(30)),
                    NOW.plus(Duration.ofDays(30)), true, List.of());
        }

        /**
         * Issues a certificate for {@code subject}, valid from {@code notBefore} to {@code notAfter}, for both server
         * and client authentication, naming the given IP literals and DNS names.
         */
        public Identity issue(String subject, Instant notBefore, Instant notAfter, String... names) {
            KeyPair leaf = ecKeys();
            List<GeneralName> san = new ArrayList<>();
            for (String n : names) {
                boolean ip = n.indexOf(':') >= 0 || n.chars().allMatch(c -> c == '.' || Character.isDigit(c));
                san.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
            }
            X509Certificate cert = sign(new X500Name(subject), leaf.getPublic(), notBefore, notAfter, false, san);
            return new Identity(leaf.getPrivate(), new X509Certificate[] {cert, certificate});
        }

        private X509Certificate sign(X500Name subject, java.security.PublicKey key, Instant from, Instant to,
                boolean ca, List<GeneralName> san) {
            try {
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(
                        SERIALS.incrementAndGet()), Date.from(from), Date.from(to), subject, key);
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                if (ca) {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                } else {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                    if (!san.isEmpty()) {
                        b.addExtension(Extension.subjectAlternativeName, false,
                                new GeneralNames(san.toArray(new GeneralName[0])));
                    }
                }
                ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
                return new JcaX509CertificateConverter().getCertificate(b.build(signer));
            } catch (Exception e) {
                throw new IllegalStateException("cannot make a test certificate", e);
            }
        }
    }

    /** A TLS context with {@code identity} (none if null) as its key material and trust in {@code trusted}. */
    public static SSLContext context(Identity identity, Authority trusted) {
        try {
            char[] pass = "test".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            if (identity != null) {
                keys.setKeyEntry("me", identity.key(), pass, identity.chain());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pass);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trusted.certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a test TLS context", e);
        }
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
