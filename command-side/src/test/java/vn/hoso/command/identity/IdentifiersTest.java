package vn.hoso.command.identity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Year;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifiersTest {

    private static final Year NOW = Year.of(2026);

    @ParameterizedTest
    @ValueSource(strings = {"001089012345", "079201000001", "096300123456", "038125999999"})
    void acceptsCitizenIds(String id) {
        assertThat(Identifiers.isValidCitizenId(id, NOW)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "00108901234",   // 11 digits
            "0010890123456", // 13 digits
            "00108901234a",  // not digits
            "003089012345",  // 003 is no province code
            "097089012345",  // nor is 097
            "001299012345",  // born 2099: in the future
            "001427012345",  // born 2127
            " 001089012345"})
    void refusesMalformedCitizenIds(String id) {
        assertThat(Identifiers.isValidCitizenId(id, NOW)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0100109106", "0100109106-001", "0101243150"})
    void acceptsTaxCodes(String code) {
        assertThat(Identifiers.isValidTaxCode(code)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0100109107", "010010910", "01001091066", "0100109106-01", "0100109106001", "abcdefghij"})
    void refusesTaxCodesWithBadShapeOrCheckDigit(String code) {
        assertThat(Identifiers.isValidTaxCode(code)).isFalse();
    }
}
