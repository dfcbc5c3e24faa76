package tofu.cli.text;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON object built field by field and written on one line, for the {@code --json} output of the commands (one
 * object per line, "JSON Lines"). Enough for flat records with a few nested objects and arrays; no parsing.
 *
 * <p>Strings are escaped per RFC 8259, and beyond it every character {@link SafeText} considers unsafe is written as
 * {@code \}{@code uXXXX}, so JSON output is as safe on a terminal as the human one. Numbers use a fixed,
 * locale-independent form ({@code 12.5}, never {@code 12,5}); non-finite doubles become {@code null}. Not
 * thread-safe: one builder per object.
 */
public final class Json {
    private final StringBuilder sb = new StringBuilder(128).append('{');
    private boolean first = true;

    /** Starts an object. */
    public static Json object() {
        return new Json();
    }

    /** Starts an object whose first field is {@code "type": type}, the convention of every line the commands print. */
    public static Json ofType(String type) {
        return new Json().put("type", type);
    }

    /** Adds a string field (null becomes {@code null}). */
    public Json put(String name, String value) {
        key(name);
        string(sb, value);
        return this;
    }

    /** Adds an integer field. */
    public Json put(String name, long value) {
        key(name);
        sb.append(value);
        return this;
    }

    /** Adds a number field, with at most {@code decimals} digits after the point. */
    public Json put(String name, double value, int decimals) {
        key(name);
        if (Double.isFinite(value)) {
            sb.append(String.format(Locale.ROOT, "%." + decimals + "f", value));
        } else {
            sb.append("null");
        }
        return this;
    }

    /** Adds a boolean field. */
    public Json put(String name, boolean value) {
        key(name);
        sb.append(value);
        return this;
    }

    /** Adds a nested object. */
    public Json put(String name, Json value) {
        key(name);
        sb.append(value.toString());
        return this;
    }

    /** Adds an array of strings. */
    public Json putStrings(String name, List<String> values) {
        key(name);
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            string(sb, values.get(i));
        }
        sb.append(']');
        return this;
    }

    /** Adds an array of objects. */
    public Json putObjects(String name, List<Json> values) {
        key(name);
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            sb.append(i > 0 ? "," : "").append(values.get(i).toString());
        }
        sb.append(']');
        return this;
    }

    /** Adds an object of integer fields, in the map's order. */
    public Json putCounts(String name, Map<String, Long> counts) {
        Json inner = object();
        counts.forEach(inner::put);
        return put(name, inner);
    }

    /** Returns the object as one line of JSON. */
    @Override
    public String toString() {
        return sb + "}";
    }

    private void key(String name) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        string(sb, name);
        sb.append(':');
    }

    /** Appends {@code s} as a JSON string literal. */
    static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (SafeText.needsEscape(c)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
