package tofu;

/**
 * Who produced a message as the receiver sees it: the application (its own or a peer's message) or the engine
 * (a report: a returned message or a notification). Check the origin first. Immutable and thread-safe.
 * @since 0.1.0
 */
public enum Origin {
    /** Written by an application: this process's own message returned unchanged, or a peer's message. */
    APPLICATION,
    /** Produced by the engine: a report whose {@link BinaryHeader#status()} says what happened. */
    ENGINE
}
