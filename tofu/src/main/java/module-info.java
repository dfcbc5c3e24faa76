/**
 * tofu for Java: asynchronous, peer-to-peer message passing over TCP and Unix-domain sockets.
 *
 * <p>Only the {@code tofu} package is exported; the engine lives in {@code tofu.internal}.
 */
module dev.tofu {
    exports tofu;
}
