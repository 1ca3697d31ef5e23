package vn.hoso.events;

/**
 * The applicant a dossier is for: the one value type that holds personal data (ID number, name, contacts), so
 * that it can be protected or erased in one place (Decree 13/2023). {@link #toString()} never prints it.
 *
 * @param idNumber a 12-digit citizen ID for {@link ApplicantKind#CITIZEN}, a tax code for {@link ApplicantKind#BUSINESS}
 */
public record Applicant(ApplicantKind kind, String idNumber, String fullName, String phone, String email,
                        String address) {

    @Override
    public String toString() {
        return "Applicant[kind=" + kind + ", personal data redacted]";
    }
}
