package vn.hoso.auth;

import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo accounts are distinct and their identifiers well formed. */
class DemoAccountsTest {

    private static final int[] TAX_CODE_WEIGHTS = {31, 29, 23, 19, 17, 13, 7, 5, 3};

    @Test
    void everyPersonHasADistinctRandomUuidAsAccountId() {
        var subjects = DemoAccounts.PEOPLE.stream().map(person -> person.identity().subject()).toList();

        assertThat(subjects).doesNotHaveDuplicates().hasSize(8);
        assertThat(subjects).allSatisfy(subject -> {
            assertThat(UUID.fromString(subject).toString()).isEqualTo(subject);
            assertThat(UUID.fromString(subject).version()).isEqualTo(4);
        });
    }

    @Test
    void namesAreDistinctAcrossPeopleAndSystems() {
        var names = Stream.concat(DemoAccounts.PEOPLE.stream().map(DemoAccounts.Person::username),
                DemoAccounts.CLIENTS.stream().map(DemoAccounts.MachineClient::clientId)).toList();

        assertThat(names).doesNotHaveDuplicates().doesNotContain(DemoAccounts.PORTAL_CLIENT_ID);
    }

    @Test
    void theBusinessTaxCodeHasAValidCheckDigit() {
        String taxCode = DemoAccounts.person("business-hoa-phat").orElseThrow().identity().claims().get("tax_code");

        assertThat(taxCode).matches("\\d{10}");
        int sum = 0;
        for (int i = 0; i < TAX_CODE_WEIGHTS.length; i++) {
            sum += TAX_CODE_WEIGHTS[i] * (taxCode.charAt(i) - '0');
        }
        int check = 10 - sum % 11;
        assertThat(check).isLessThan(10).isEqualTo(taxCode.charAt(9) - '0');
    }
}
