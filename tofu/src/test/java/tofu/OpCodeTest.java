package tofu;

import static org.assertj.core.api.Assertions.assertThat;
import static tofu.AmpeFailures.assertFailsWith;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md §3: opcode codes, classification and the echo table. */
class OpCodeTest {

    @ParameterizedTest
    @CsvSource({
        "REQUEST, 0, REGULAR, REQUEST",
        "RESPONSE, 1, REGULAR, RESPONSE",
        "SIGNAL, 2, REGULAR, SIGNAL",
        "HELLO_REQUEST, 3, HELLO, REQUEST",
        "HELLO_RESPONSE, 4, HELLO, RESPONSE",
        "BYE_REQUEST, 5, BYE, REQUEST",
        "BYE_RESPONSE, 6, BYE, RESPONSE",
        "BYE_SIGNAL, 7, BYE, SIGNAL",
        "WELCOME_REQUEST, 8, WELCOME, REQUEST",
        "WELCOME_RESPONSE, 9, WELCOME, RESPONSE",
    })
    void codeTypeAndRoleArePinned(OpCode op, int code, OpCode.Type type, OpCode.Role role) {
        assertThat(op.code()).isEqualTo(code);
        assertThat(OpCode.fromCode(code)).isSameAs(op);
        assertThat(op.type()).isEqualTo(type);
        assertThat(op.role()).isEqualTo(role);
        assertThat(op.isRequest()).isEqualTo(role == OpCode.Role.REQUEST);
        assertThat(op.isResponse()).isEqualTo(role == OpCode.Role.RESPONSE);
        assertThat(op.isSignal()).isEqualTo(role == OpCode.Role.SIGNAL);
    }

    @Test
    void thereAreExactlyTenOpCodes() {
        assertThat(OpCode.values()).hasSize(10);
        assertThat(OpCode.Type.values()).containsExactly(OpCode.Type.REGULAR, OpCode.Type.WELCOME, OpCode.Type.HELLO,
                OpCode.Type.BYE);
        assertThat(OpCode.Role.values()).containsExactly(OpCode.Role.REQUEST, OpCode.Role.RESPONSE,
                OpCode.Role.SIGNAL);
    }

    @ParameterizedTest
    @EnumSource(OpCode.class)
    void exactlyOneRolePredicateHolds(OpCode op) {
        int trues = (op.isRequest() ? 1 : 0) + (op.isResponse() ? 1 : 0) + (op.isSignal() ? 1 : 0);
        assertThat(trues).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 11, 12, 13, 14, 15, 16, 255, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void fromCodeRejectsCodesThatDoNotExist(int code) {
        assertFailsWith(AmpeStatus.INVALID_OP_CODE, () -> OpCode.fromCode(code));
    }

    @ParameterizedTest
    @CsvSource({
        "REQUEST, RESPONSE",
        "SIGNAL, SIGNAL",
        "HELLO_REQUEST, HELLO_RESPONSE",
        "BYE_REQUEST, BYE_RESPONSE",
        "WELCOME_REQUEST, WELCOME_RESPONSE",
    })
    void echoAnswersRequestsAndSignals(OpCode op, OpCode answer) {
        assertThat(op.echo()).isEqualTo(answer);
    }

    @ParameterizedTest
    @EnumSource(value = OpCode.class, names = {"RESPONSE", "HELLO_RESPONSE", "BYE_RESPONSE", "BYE_SIGNAL",
        "WELCOME_RESPONSE"})
    void echoOfAnythingElseThrows(OpCode op) {
        assertFailsWith(AmpeStatus.INVALID_OP_CODE, op::echo);
    }
}
