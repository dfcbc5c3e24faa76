package tofu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md §7: the status byte values are part of the contract. */
class AmpeStatusTest {

    @ParameterizedTest
    @CsvSource({
        "0, SUCCESS", "1, NOT_IMPLEMENTED_YET", "2, WRONG_ADDRESS", "3, NOT_ALLOWED", "4, NULL_MESSAGE",
        "5, INVALID_MESSAGE", "6, INVALID_OP_CODE", "7, INVALID_HEADERS_LEN", "8, INVALID_BODY_LEN",
        "9, INVALID_MORE_USAGE", "10, INVALID_CHANNEL_NUMBER", "11, INVALID_MCHN_GROUP", "12, INVALID_MESSAGE_ID",
        "13, INVALID_ADDRESS", "14, UDS_PATH_NOT_FOUND", "15, NOTIFICATION_DISABLED", "16, NOTIFICATION_FAILED",
        "17, PEER_DISCONNECTED", "18, COMMUNICATION_FAILED", "19, POOL_EMPTY", "20, ALLOCATION_FAILED",
        "21, RECEIVER_UPDATE", "22, CHANNEL_CLOSED", "23, SHUTDOWN_STARTED", "24, CONNECT_FAILED",
        "25, LISTEN_FAILED", "26, ACCEPT_FAILED", "27, SEND_FAILED", "28, RECV_FAILED", "29, SETSOCKOPT_FAILED",
        "30, PROCESSING_FAILED", "31, UNKNOWN_ERROR",
    })
    void everyByteValueIsPinned(int raw, AmpeStatus status) {
        assertThat(status.raw()).isEqualTo(raw);
        assertThat(AmpeStatus.fromRaw(raw)).isSameAs(status);
    }

    @Test
    void thereAreExactlyThirtyTwoStatusesWithDistinctBytes() {
        assertThat(AmpeStatus.values()).hasSize(32);
        assertThat(AmpeStatus.values()).extracting(AmpeStatus::raw).doesNotHaveDuplicates().allMatch(
                r -> r >= 0 && r <= 31);
    }

    @ParameterizedTest
    @ValueSource(ints = {31, 32, 100, 200, 255, 256, -1, -128, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void fromRawMapsAnythingOutsideTheTableToUnknownError(int raw) {
        assertThat(AmpeStatus.fromRaw(raw)).isEqualTo(AmpeStatus.UNKNOWN_ERROR);
    }

    @Test
    void exceptionCarriesItsStatus() {
        AmpeException e = new AmpeException(AmpeStatus.POOL_EMPTY);
        assertThat(e.status()).isEqualTo(AmpeStatus.POOL_EMPTY);
        assertThat(e).hasMessageContaining("POOL_EMPTY").isInstanceOf(RuntimeException.class);
        AmpeException detailed = new AmpeException(AmpeStatus.LISTEN_FAILED, "port 80 in use");
        assertThat(detailed.status()).isEqualTo(AmpeStatus.LISTEN_FAILED);
        assertThat(detailed).hasMessageContaining("LISTEN_FAILED").hasMessageContaining("port 80 in use");
    }

    @Test
    void exceptionNeedsAStatus() {
        assertThatThrownBy(() -> new AmpeException(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new AmpeException(null, "x")).isInstanceOf(NullPointerException.class);
    }
}
