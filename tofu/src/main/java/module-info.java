/**
 * tofu for Java: asynchronous, peer-to-peer message passing over TCP and Unix-domain sockets.
 *
 * <p>Only the {@code tofu} package is exported; the engine lives in {@code tofu.internal}. The modules required are
 * part of the JDK: {@code jdk.net} for TCP keep-alive tuning, {@code jdk.jfr} for the (disabled by default) flight
 * recorder events and {@code java.management} for the MXBean registered on request ({@code ReactorJmx}).
 */
module dev.tofu {
    requires jdk.net;
    requires jdk.jfr;
    requires transitive java.management;   // ReactorJmx.Registration exposes ObjectName

    exports tofu;
}
