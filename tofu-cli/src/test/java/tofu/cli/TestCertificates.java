package tofu.cli;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Writes a test PKI into a folder, as openssl would: {@code ca.pem}; {@code server.pem} + {@code server-key.pem}
 * (PKCS#8) for 127.0.0.1; {@code client.pem} + {@code client-key.pem}; {@code client.p12} (password "secret");
 * {@code server-ec-key.pem} (the same key in the old SEC1 form, which the command refuses). Made fresh per test folder
 * with BouncyCastle (test scope); nothing is committed.
 */
final class TestCertificates {
    static final String CLIENT_SUBJECT = "CN=tofu cli client,O=tofu tests";

    private TestCertificates() {
    }

    static void writeTo(Path dir) throws Exception {
        KeyPair ca = keys();
        X509Certificate caCert = sign(ca, "CN=tofu cli CA,O=tofu tests", ca, "CN=tofu cli CA,O=tofu tests", true);
        KeyPair server = keys();
        X509Certificate serverCert = sign(ca, "CN=tofu cli CA,O=tofu tests", server, "CN=tofu cli server,O=tofu tests",
                false);
        KeyPair client = keys();
        X509Certificate clientCert = sign(ca, "CN=tofu cli CA,O=tofu tests", client, "O=tofu tests,CN=tofu cli client",
                false);
        pem(dir.resolve("ca.pem"), "CERTIFICATE", caCert.getEncoded());
        pem(dir.resolve("server.pem"), "CERTIFICATE", serverCert.getEncoded(), caCert.getEncoded());
        pem(dir.resolve("server-key.pem"), "PRIVATE KEY", server.getPrivate().getEncoded());
        pem(dir.resolve("server-ec-key.pem"), "EC PRIVATE KEY", server.getPrivate().getEncoded());
        pem(dir.resolve("client.pem"), "CERTIFICATE", clientCert.getEncoded());
        pem(dir.resolve("client-key.pem"), "PRIVATE KEY", client.getPrivate().getEncoded());
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        p12.setKeyEntry("client", client.getPrivate(), "secret".toCharArray(),
                new Certificate[] {clientCert, caCert});
        try (OutputStream out = Files.newOutputStream(dir.resolve("client.p12"))) {
            p12.store(out, "secret".toCharArray());
        }
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(KeyPair issuer, String issuerName, KeyPair subject, String subjectName,
            boolean ca) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuerName),
                BigInteger.valueOf(now.toEpochMilli() + subjectName.hashCode()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name(subjectName), subject.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName,
                        "localhost")}));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    private static void pem(Path file, String type, byte[]... blocks) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (byte[] der : blocks) {
            sb.append("-----BEGIN ").append(type).append("-----\n")
                    .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der))
                    .append("\n-----END ").append(type).append("-----\n");
        }
        Files.writeString(file, sb.toString(), StandardCharsets.US_ASCII);
    }
}
