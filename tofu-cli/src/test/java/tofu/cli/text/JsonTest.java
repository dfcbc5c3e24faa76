package tofu.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesFlatAndNestedObjectsOnOneLine() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("CHANNEL_CLOSED", 2L);
        String json = Json.ofType("t").put("n", 42).put("ok", true).put("s", (String) null)
                .put("inner", Json.object().put("x", 1.25, 2)).putStrings("list", List.of("a", "b"))
                .putObjects("objs", List.of(Json.object().put("k", "v"))).putCounts("c", counts).toString();

        assertThat(json).isEqualTo("{\"type\":\"t\",\"n\":42,\"ok\":true,\"s\":null,\"inner\":{\"x\":1.25},"
                + "\"list\":[\"a\",\"b\"],\"objs\":[{\"k\":\"v\"}],\"c\":{\"CHANNEL_CLOSED\":2}}");
    }

    @Test
    void stringsAreEscapedPerRfc8259AndSafeOnATerminal() {
        String json = Json.object().put("v", "q\"b\\n\nr\rt\te\u001bd\u007fc\u009b\u202e").toString();

        assertThat(json).isEqualTo("{\"v\":\"q\\\"b\\\\n\\nr\\rt\\te\\u001bd\\u007fc\\u009b\\u202e\"}");
    }

    @Test
    void numbersIgnoreTheLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(Json.object().put("x", 1234.5, 1).put("nan", Double.NaN, 1).toString())
                    .isEqualTo("{\"x\":1234.5,\"nan\":null}");
        } finally {
            Locale.setDefault(saved);
        }
    }
}
