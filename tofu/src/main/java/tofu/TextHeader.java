package tofu;

/**
 * One text header as parsed from a message's header block: a name and a value, both possibly empty for headers
 * received from a peer. Immutable and thread-safe.
 *
 * @param name  the header name, case-sensitive, as received (not trimmed)
 * @param value the header value, trimmed of spaces and tabs
 * @since 0.1.0
 */
public record TextHeader(String name, String value) {
}
