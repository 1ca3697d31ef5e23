package vn.hoso.access;

import org.junit.jupiter.api.Test;
import vn.hoso.events.ActorRole;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerTest {

    @Test
    void aCitizensTokenGivesItsAccountIdAndItsIdClaim() {
        Caller caller = Caller.fromClaims("3f6d1b52-8c1e-4b0a-9a57-1c2d3e4f5a61",
                Map.of("role", "CITIZEN", "citizen_id", "001089012345")::get);
        assertThat(caller.role()).isEqualTo(ActorRole.CITIZEN);
        assertThat(caller.applicantId()).isEqualTo("001089012345");
        assertThat(caller.actor().id()).isEqualTo("3f6d1b52-8c1e-4b0a-9a57-1c2d3e4f5a61");
        // what is logged of a caller never holds its ID
        assertThat(caller.toString()).doesNotContain("001089012345");
    }

    @Test
    void aSubjectThatIsACitizenIdOrTaxCodeIsRefused() {
        for (String subject : new String[]{"001089012345", "0100109106", "0100109106-001", "an.nguyen@example.vn"}) {
            assertThatThrownBy(() -> Caller.fromClaims(subject, Map.of("role", "CITIZEN")::get))
                    .isInstanceOf(Caller.InvalidClaimException.class).hasMessageContaining("'sub'")
                    .hasMessageNotContaining(subject);
        }
    }

    @Test
    void theIdClaimHasTheShapeOfTheRole() {
        assertThatThrownBy(() -> Caller.fromClaims("b-1", Map.of("role", "BUSINESS", "tax_code", "001089012345")::get))
                .isInstanceOf(Caller.InvalidClaimException.class).hasMessageContaining("'tax_code'");
        assertThatThrownBy(() -> Caller.fromClaims("c-1", Map.of("role", "CITIZEN", "citizen_id", "0100109106")::get))
                .isInstanceOf(Caller.InvalidClaimException.class).hasMessageContaining("'citizen_id'");
    }

    @Test
    void anOfficerNeedsAnAgencyAndAnUnknownRoleIsRefused() {
        assertThatThrownBy(() -> Caller.fromClaims("o-1", Map.of("role", "OFFICER")::get))
                .isInstanceOf(Caller.InvalidClaimException.class).hasMessageContaining("'agency'");
        assertThatThrownBy(() -> Caller.fromClaims("o-1", Map.of("role", "KING")::get))
                .isInstanceOf(Caller.InvalidClaimException.class).hasMessageContaining("'role'");
        assertThat(Caller.fromClaims("o-1", Map.of("role", "OFFICER", "agency", "000.00.01.H22")::get).agencyCode())
                .isEqualTo("000.00.01.H22");
    }
}
