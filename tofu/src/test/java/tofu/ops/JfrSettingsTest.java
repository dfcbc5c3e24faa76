package tofu.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tofu.Address;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.OpCode;
import tofu.Reactor;
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * The shipped {@code META-INF/tofu/tofu.jfc} turns on every tofu event the engine defines, a recording made with it
 * alone captures a flow's events, and docs/OBSERVABILITY.md documents every event and field.
 */
class JfrSettingsTest {
    private static final String JFC = "/META-INF/tofu/tofu.jfc";

    /** Every event the engine defines (the nested event classes of tofu.internal.Jfr): name → field names. */
    private static Map<String, List<String>> defined;

    @TempDir
    Path dir;

    @BeforeAll
    static void readEventDefinitions() throws ClassNotFoundException {
        defined = new TreeMap<>();
        for (Class<?> type : Class.forName("tofu.internal.Jfr").getDeclaredClasses()) {
            if (Event.class.isAssignableFrom(type)) {
                List<String> fields = Arrays.stream(type.getDeclaredFields())
                        .filter(f -> f.isAnnotationPresent(Label.class)).map(Field::getName).toList();
                defined.put(type.getAnnotation(Name.class).value(), fields);
            }
        }
        assertThat(defined).as("events found by reflection").hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void theSettingsFileEnablesExactlyTheDefinedEvents() throws Exception {
        Configuration configuration = shipped();
        assertThat(configuration.getLabel()).isEqualTo("tofu");
        Map<String, String> settings = configuration.getSettings();
        Set<String> enabled = settings.entrySet().stream()
                .filter(e -> e.getKey().endsWith("#enabled") && e.getValue().equals("true"))
                .map(e -> e.getKey().substring(0, e.getKey().indexOf('#'))).collect(Collectors.toSet());
        assertThat(enabled).containsExactlyInAnyOrderElementsOf(defined.keySet());
    }

    @Test
    void aRecordingWithOnlyTheseSettingsCapturesAFlow() throws Exception {
        Path file = dir.resolve("tofu.jfr");
        try (Recording recording = new Recording(shipped())) {
            recording.start();
            try (Reactor reactor = Reactor.create()) {
                Ampe ampe = reactor.ampe();
                ChannelGroup server = ampe.create();
                ChannelGroup client = ampe.create();
                Address address = Peers.listen(ampe, server, Transport.UDS.listenAddress(dir));
                Peers.Link link = Peers.link(ampe, client, server, address);
                client.post(Peers.message(ampe, link.clientChannel(), OpCode.BYE_SIGNAL, null));
                ampe.put(Peers.receive(client));      // the ByeSignal back
                ampe.put(Peers.receive(client));      // CHANNEL_CLOSED signal
                ampe.put(Peers.receive(server));      // the server side's CHANNEL_CLOSED signal
            }
            recording.stop();
            recording.dump(file);
        }
        Set<String> recorded = RecordingFile.readAllEvents(file).stream().map(RecordedEvent::getEventType)
                .map(t -> t.getName()).filter(n -> n.startsWith("tofu.")).collect(Collectors.toSet());
        assertThat(recorded).contains("tofu.EngineStarted", "tofu.ListenerStarted", "tofu.Connected",
                "tofu.Accepted", "tofu.HandshakeDone", "tofu.ChannelClosed", "tofu.EngineStopped");
    }

    @Test
    void theCatalogueDocumentsEveryEventAndField() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "OBSERVABILITY.md"));
        defined.forEach((event, fields) -> {
            int at = doc.indexOf("`" + event + "`");
            assertThat(at).as("%s in docs/OBSERVABILITY.md", event).isNotNegative();
            String entry = doc.substring(at, nextEntry(doc, at));
            assertThat(fields).as("fields of %s documented in its entry", event)
                    .allSatisfy(f -> assertThat(entry).contains("`" + f + "`"));
        });
    }

    /** Where the catalogue entry that starts at {@code at} ends: the next heading, or the end. */
    private static int nextEntry(String doc, int at) {
        int next = doc.indexOf("\n#", at);
        return next < 0 ? doc.length() : next;
    }

    private static Configuration shipped() throws Exception {
        try (InputStream in = JfrSettingsTest.class.getResourceAsStream(JFC)) {
            assertThat(in).as(JFC + " on the class path").isNotNull();
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            return Configuration.create(reader);
        }
    }
}
