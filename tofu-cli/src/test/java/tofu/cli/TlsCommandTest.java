package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --tls-*} options of {@code listen}, {@code send}, {@code ping} and {@code bench}, with PEM, PKCS#8 and
 * PKCS#12 files written at test time ({@link TestCertificates}), and {@code demo --transport tls}. Errors are one line
 * naming the file.
 */
class TlsCommandTest {
    @TempDir
    Path dir;

    @BeforeEach
    void certificates() throws Exception {
        TestCertificates.writeTo(dir);
    }

    private String f(String name) {
        return dir.resolve(name).toString();
    }

    private Background mutualTlsListener(String... more) throws InterruptedException {
        String[] base = {"--echo", "--tls-cert", f("server.pem"), "--tls-key", f("server-key.pem"), "--tls-trust",
            f("ca.pem"), "--tls-require-client-cert"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return Background.listen("tls|127.0.0.1|0", args);
    }

    @Test
    void mutualTlsWithPemFilesAndThePeerNamed() throws Exception {
        try (Background listen = mutualTlsListener("--count", "2")) {
            String address = listen.address();
            assertThat(address).startsWith("tls|127.0.0.1|");

            Cli.Result r = Cli.run("send", address, "--tls-trust", f("ca.pem"), "--tls-cert", f("client.pem"),
                    "--tls-key", f("client-key.pem"), "--body", "hello", "--count", "2");

            assertThat(r.exitCode()).as("send exit code; stderr: %s", r.err()).isZero();
            assertThat(r.out().lines().filter(l -> l.startsWith("recv RESPONSE"))).hasSize(2);
            assertThat(listen.awaitExit()).isZero();
            assertThat(listen.out()).contains("recv HELLO_REQUEST")
                    .contains("~peer=" + TestCertificates.CLIENT_SUBJECT);
        }
    }

    @Test
    void pkcs12ClientCertificateWorksForPing() throws Exception {
        try (Background listen = mutualTlsListener("--quiet")) {
            Cli.Result r = Cli.run("ping", listen.address(), "--count", "3", "--tls-trust", f("ca.pem"),
                    "--tls-cert", f("client.p12"), "--tls-password", "secret");
            assertThat(r.exitCode()).as("ping exit code; stderr: %s", r.err()).isZero();
        }
    }

    @Test
    void aClientWithoutCertificateIsToldWhy() throws Exception {
        try (Background listen = mutualTlsListener("--quiet")) {
            Cli.Result r = Cli.run("send", listen.address(), "--tls-trust", f("ca.pem"), "--body", "x");
            assertThat(r.exitCode()).isEqualTo(10 + tofu.AmpeStatus.CONNECT_FAILED.raw());
            assertThat(r.err().strip()).doesNotContain("\n")
                    .contains("tls: the server requires a client certificate");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheServerIsToldWhy() throws Exception {
        try (Background listen = Background.listen("tls|127.0.0.1|0", "--echo", "--quiet", "--tls-cert",
                f("server.pem"), "--tls-key", f("server-key.pem"))) {
            Cli.Result r = Cli.run("send", listen.address(), "--body", "x"); // the JDK's authorities, not ours
            assertThat(r.exitCode()).isEqualTo(10 + tofu.AmpeStatus.CONNECT_FAILED.raw());
            assertThat(r.err()).contains("tls: the server's certificate is not trusted");
        }
    }

    @Test
    void badFilesAreNamedInOneLine() throws Exception {
        Files.writeString(dir.resolve("junk.pem"), "not a certificate at all");
        assertOneLineError(new String[] {"listen", "tls|127.0.0.1|0", "--tls-cert", f("nope.pem"), "--tls-key",
            f("server-key.pem")}, f("nope.pem") + ": no such file");
        assertOneLineError(new String[] {"listen", "tls|127.0.0.1|0", "--tls-cert", f("server.pem"), "--tls-key",
            f("server-ec-key.pem")}, f("server-ec-key.pem") + " holds a 'EC PRIVATE KEY', not PKCS#8");
        assertOneLineError(new String[] {"listen", "tls|127.0.0.1|0", "--tls-cert", f("server.pem"), "--tls-key",
            f("client-key.pem")}, f("client-key.pem") + " does not belong to the certificate");
        assertOneLineError(new String[] {"send", "tls|127.0.0.1|1", "--tls-trust", f("junk.pem")},
                f("junk.pem") + " is neither PEM nor PKCS#12");
        assertOneLineError(new String[] {"ping", "tls|127.0.0.1|1", "--tls-cert", f("client.p12"),
            "--tls-password", "wrong"}, f("client.p12") + " cannot be opened with the given --tls-password");
        assertOneLineError(new String[] {"listen", "tls|127.0.0.1|0"}, "needs --tls-cert");
        assertOneLineError(new String[] {"listen", "tcp|127.0.0.1|0", "--tls-cert", f("server.pem")},
                "--tls-* options need a tls| address");
    }

    @Test
    void demoRunsOverMutualTls() {
        Cli.Result r = Cli.run("demo", "--transport", "tls", "--jobs", "2", "--workers", "2", "--chunks", "2",
                "--quiet");
        assertThat(r.exitCode()).as("demo exit code; out: %s; err: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("demo passed: every job completed on TLS");
    }

    private static void assertOneLineError(String[] args, String words) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as("%s", String.join(" ", args)).isNotZero();
        assertThat(r.err().strip()).as("stderr of %s", String.join(" ", args)).contains(words).doesNotContain("\n");
    }
}
