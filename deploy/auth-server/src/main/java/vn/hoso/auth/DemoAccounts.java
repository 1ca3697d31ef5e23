package vn.hoso.auth;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The demo people and systems of the local stack, and who their access tokens say they are. The subjects are fixed
 * opaque account ids (not secrets), so that data created with a token survives restarts of the stack; the
 * identifiers are made up (the tax code is a valid one: its tenth digit is the check digit). A load test adds
 * citizens of its own ({@link #loadTestCitizen}), made up from their number.
 */
final class DemoAccounts {

    /** The portal: a public client that signs people in with the authorization code flow and PKCE. */
    static final String PORTAL_CLIENT_ID = "hoso-portal";
    static final String PORTAL_REDIRECT_URI = "http://127.0.0.1:8080/login/callback";
    /** The query side's pages that sign in (a citizen's, the analysts', the inspectors'): sign-in and sign-out come back. */
    static final List<String> PORTAL_PAGES = List.of("/portal/citizen.html", "/portal/dashboard.html",
            "/portal/breaches.html");

    /**
     * Who a token speaks for: the subject the API services see, the role and the identifiers they decide with
     * ({@code agency}, {@code citizen_id}, {@code tax_code}). No name, no e-mail: tokens carry nothing else personal.
     */
    record Identity(String subject, String role, Map<String, String> claims) {
    }

    /** A person who signs in with a password at {@code /login}. */
    record Person(String username, Identity identity) {
    }

    /** An agency system or platform that signs in with its own secret (client credentials); its subject is its id. */
    record MachineClient(String clientId, String scope, Identity identity) {
    }

    static final List<Person> PEOPLE = List.of(
            person("citizen-an", "3f6d1b52-8c1e-4b0a-9a57-1c2d3e4f5a61", "CITIZEN",
                    Map.of("citizen_id", "001089012345")),
            person("citizen-binh", "7a2e9c14-5b3d-4f6e-8a1b-2c3d4e5f6a72", "CITIZEN",
                    Map.of("citizen_id", "079190001234")),
            person("business-hoa-phat", "b41c7d2e-9f3a-4e5b-8c6d-7e8f9a0b1c83", "BUSINESS",
                    Map.of("tax_code", "0100109106")),
            person("officer-h22", "c52d8e3f-0a4b-4c6d-9e7f-8a9b0c1d2e94", "OFFICER",
                    Map.of("agency", "000.00.01.H22")),
            person("officer-h22b", "d63e9f40-1b5c-4d7e-8f90-9b0c1d2e3fa5", "OFFICER",
                    Map.of("agency", "000.00.02.H22")),
            person("inspector", "e74fa051-2c6d-4e8f-9a01-ac1d2e3f4ab6", "INSPECTOR", Map.of()),
            person("analyst", "f85ab162-3d7e-4f90-8b12-bd2e3f4a5bc7", "ANALYST", Map.of()),
            person("operator", "0a96bc73-4e8f-4a01-9c23-ce3f4a5b6cd8", "OPERATOR", Map.of()));

    static final List<MachineClient> CLIENTS = List.of(
            client("agency-system-h22", "hoso.sync", "AGENCY_SYSTEM", Map.of("agency", "000.00.01.H22")),
            client("agency-system-h22b", "hoso.sync", "AGENCY_SYSTEM", Map.of("agency", "000.00.02.H22")),
            client("payment-platform", "hoso.payments", "PAYMENT_PLATFORM", Map.of()));

    /** A load-test citizen's username is this and its number: {@code load-citizen-1}, {@code load-citizen-2} ... */
    static final String LOAD_TEST_CITIZEN_PREFIX = "load-citizen-";
    /** As many load-test citizens as a citizen ID's 6-digit serial can number. */
    static final int MAX_LOAD_TEST_CITIZENS = 999_999;

    private DemoAccounts() {
    }

    /**
     * The people one server signs in, by username: the demo people, then {@code load-citizen-1} ..
     * {@code load-citizen-<loadTestCitizens>}.
     */
    static final class People {

        private final Map<String, Person> byUsername = new LinkedHashMap<>();

        private People(Stream<Person> people) {
            people.forEach(person -> byUsername.put(person.username(), person));
        }

        List<Person> all() {
            return List.copyOf(byUsername.values());
        }

        Optional<Person> find(String username) {
            return Optional.ofNullable(byUsername.get(username));
        }
    }

    /** The demo people and {@code loadTestCitizens} load-test citizens (checked by {@link AuthProperties}). */
    static People people(int loadTestCitizens) {
        return new People(Stream.concat(PEOPLE.stream(),
                IntStream.rangeClosed(1, loadTestCitizens).mapToObj(DemoAccounts::loadTestCitizen)));
    }

    /**
     * Load-test citizen number {@code number}, the same at every start (a load test's tokens and data outlive a
     * restart): its subject is the name-based UUID of its username, its citizen ID a valid-looking one of Hà Nội
     * (province 001), born in 1990 (century digit 0, year 90), with the number as its serial, unlike the demo
     * citizens' IDs.
     */
    static Person loadTestCitizen(int number) {
        if (number < 1 || number > MAX_LOAD_TEST_CITIZENS) {
            throw new IllegalArgumentException("no load-test citizen " + number);
        }
        String username = LOAD_TEST_CITIZEN_PREFIX + number;
        String accountId = UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString();
        return person(username, accountId, "CITIZEN", Map.of("citizen_id", "001090%06d".formatted(number)));
    }

    static Optional<MachineClient> client(String clientId) {
        return CLIENTS.stream().filter(client -> client.clientId().equals(clientId)).findFirst();
    }

    private static Person person(String username, String accountId, String role, Map<String, String> claims) {
        return new Person(username, new Identity(accountId, role, claims));
    }

    private static MachineClient client(String clientId, String scope, String role, Map<String, String> claims) {
        return new MachineClient(clientId, scope, new Identity(clientId, role, claims));
    }
}
