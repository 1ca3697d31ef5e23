package vn.hoso.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Year;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        String taxCode = DemoAccounts.people(0).find("business-hoa-phat").orElseThrow()
                .identity().claims().get("tax_code");

        assertThat(taxCode).matches("\\d{10}");
        int sum = 0;
        for (int i = 0; i < TAX_CODE_WEIGHTS.length; i++) {
            sum += TAX_CODE_WEIGHTS[i] * (taxCode.charAt(i) - '0');
        }
        int check = 10 - sum % 11;
        assertThat(check).isLessThan(10).isEqualTo(taxCode.charAt(9) - '0');
    }

    @Test
    void loadTestCitizensFollowTheDemoPeopleAndAreTheSameAtEveryStart() {
        DemoAccounts.People people = DemoAccounts.people(3);

        assertThat(people.all()).hasSize(DemoAccounts.PEOPLE.size() + 3)
                .startsWith(DemoAccounts.PEOPLE.toArray(DemoAccounts.Person[]::new));
        assertThat(people.find("load-citizen-3")).contains(DemoAccounts.loadTestCitizen(3));
        assertThat(people.find("load-citizen-4")).isEmpty();
        DemoAccounts.Identity third = people.find("load-citizen-3").orElseThrow().identity();
        assertThat(third.role()).isEqualTo("CITIZEN");
        assertThat(third.subject()).isEqualTo(
                UUID.nameUUIDFromBytes("load-citizen-3".getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(DemoAccounts.people(0).all()).isEqualTo(DemoAccounts.PEOPLE);
    }

    @Test
    void loadTestCitizensHaveDistinctSubjectsAndWellFormedCitizenIdsOfTheirOwn() {
        List<DemoAccounts.Identity> identities = Stream.of(1, 2, 10, 4711, DemoAccounts.MAX_LOAD_TEST_CITIZENS)
                .map(number -> DemoAccounts.loadTestCitizen(number).identity()).toList();
        List<String> demoCitizenIds = DemoAccounts.PEOPLE.stream()
                .map(person -> person.identity().claims().get("citizen_id")).toList();

        assertThat(identities).extracting(DemoAccounts.Identity::subject).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(DemoAccounts.PEOPLE.stream().map(p -> p.identity().subject()).toList());
        assertThat(identities).extracting(identity -> identity.claims().get("citizen_id"))
                .doesNotHaveDuplicates().doesNotContainAnyElementsOf(demoCitizenIds)
                .allSatisfy(id -> {
                    // CCCD: a province code (001, Hà Nội), a century digit, a birth year not in the future, a serial
                    assertThat(id).matches("001[01]\\d{8}");
                    assertThat(1900 + Integer.parseInt(id.substring(4, 6))).isLessThanOrEqualTo(Year.now().getValue());
                });
        assertThat(identities.get(0).claims()).isEqualTo(Map.of("citizen_id", "001090000001"));
        assertThatThrownBy(() -> DemoAccounts.loadTestCitizen(DemoAccounts.MAX_LOAD_TEST_CITIZENS + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
