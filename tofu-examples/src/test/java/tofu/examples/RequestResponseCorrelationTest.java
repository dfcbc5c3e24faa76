package tofu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RequestResponseCorrelationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void outOfOrderAnswersAreMatchedByMessageId(Transport transport) throws Exception {
        // More requests than the default pool's 16 messages: the server must not hold on to received messages.
        int batch = 40;
        RequestResponseCorrelation.Result result = RequestResponseCorrelation.run(transport.listenAddress(dir), batch);

        assertThat(result.sentIds()).hasSize(batch).doesNotHaveDuplicates();
        List<Long> reversed = new ArrayList<>(result.sentIds());
        Collections.reverse(reversed);
        assertThat(result.exchanges()).extracting(RequestResponseCorrelation.Exchange::messageId)
                .as("answers arrive in the reverse order of the requests").containsExactlyElementsOf(reversed);
        for (RequestResponseCorrelation.Exchange e : result.exchanges()) {
            long question = result.sentIds().indexOf(e.messageId()) + 1; // request i asked i
            assertThat(e.question()).isEqualTo(question);
            assertThat(e.answer()).isEqualTo(question * question);
        }
    }
}
