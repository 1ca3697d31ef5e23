package vn.hoso.command.dossier;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import vn.hoso.events.ApplicantKind;
import vn.hoso.events.Channel;
import vn.hoso.events.PaymentMethod;
import vn.hoso.events.RatingLevel;
import vn.hoso.events.ResultDecision;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies of the command API. Shape rules are declared here; rules that need context (identifier
 * checksums, the rating scheme, time) are checked by {@link CommandRequestValidator}. Unknown fields are refused.
 */
public final class DossierRequests {

    /** Agency codes look like {@code 000.00.01.H22} (DOMAIN.md glossary; the same as {@link vn.hoso.access.Caller#AGENCY_CODE}). */
    static final String AGENCY_CODE_REGEX = "\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}";

    /** The largest amount of one fee item or payment, in VND (a thousand billion): sums over a dossier stay exact. */
    public static final long MAX_AMOUNT = 1_000_000_000_000L;
    /** The largest document size, in bytes (1 TB). */
    public static final long MAX_BYTES = 1L << 40;

    private DossierRequests() {
    }

    public record ApplicantBody(@NotNull ApplicantKind kind, @NotBlank @Size(max = 20) String idNumber,
                                @NotBlank @Size(max = 200) String fullName, @Size(max = 20) String phone,
                                @Size(max = 200) String email, @Size(max = 500) String address) {
    }

    public record DocumentBody(@NotBlank @Size(max = 300) String name, @NotBlank @Size(max = 100) String kind,
                               @NotBlank @Pattern(regexp = "sha256:[0-9a-f]{64}", message = "{hoso.contentHash}")
                               String contentHash,
                               @PositiveOrZero @Max(MAX_BYTES) long sizeBytes) {
    }

    public record FeeItemBody(@NotBlank @Size(max = 50) String code, @NotBlank @Size(max = 300) String name,
                              @Positive @Max(MAX_AMOUNT) long amount) {
    }

    public record SubmitBody(@NotBlank @Size(max = 30) String procedureCode,
                             @NotBlank @Pattern(regexp = AGENCY_CODE_REGEX, message = "{hoso.agencyCode}")
                             String agencyCode,
                             @NotNull @Valid ApplicantBody applicant,
                             Channel channel,
                             @Size(max = 100) String ownerId,
                             @NotNull @Size(max = 100) List<@NotNull @Valid DocumentBody> documents,
                             Instant occurredAt) {
    }

    public record ReceiveBody(@Size(min = 1, max = 60) @Pattern(regexp = "[A-Za-z0-9.\\-_/]+") String dossierCode,
                              Instant occurredAt) {
    }

    public record ReasonsBody(@NotEmpty @Size(max = 20) List<@NotBlank @Size(max = 1000) String> reasons,
                              Instant occurredAt) {
    }

    public record SupplementRequestBody(@NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 500) String> missingItems,
                                        @NotNull LocalDate replyBy, @Size(max = 1000) String reason,
                                        Instant occurredAt) {
    }

    public record DocumentsBody(@NotEmpty @Size(max = 100) List<@NotNull @Valid DocumentBody> documents,
                                Instant occurredAt) {
    }

    public record UnitBody(@NotBlank @Size(max = 200) String unit, Instant occurredAt) {
    }

    public record TransferBody(@NotBlank @Size(max = 200) String fromUnit, @NotBlank @Size(max = 200) String toUnit,
                               @Size(max = 1000) String note, Instant occurredAt) {
    }

    public record StepBody(@NotBlank @Size(max = 200) String unit, @NotBlank @Size(max = 200) String step,
                           @Size(max = 1000) String note, Instant occurredAt) {
    }

    public record PaymentRequestBody(@NotEmpty @Size(max = 20) List<@NotNull @Valid FeeItemBody> feeItems,
                                     Instant occurredAt) {
    }

    public record PaymentBody(@NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._:\\-]+") String paymentReference,
                              @NotNull PaymentMethod method, @Positive @Max(MAX_AMOUNT) long amount,
                              Instant occurredAt) {
    }

    public record ExtensionBody(@NotBlank @Size(max = 1000) String reason, @NotNull Instant newDueAt,
                                Instant occurredAt) {
    }

    public record ResultBody(@NotNull ResultDecision decision,
                             @NotNull @Size(max = 50) List<@NotNull @Valid DocumentBody> documents,
                             @Size(max = 2000) String note, Instant occurredAt) {
    }

    public record ReturnBody(@NotNull Channel channel, Instant occurredAt) {
    }

    public record WithdrawBody(@NotBlank @Size(max = 1000) String reason, Instant occurredAt) {
    }

    public record RatingBody(@NotNull @Size(max = 20) Map<String, @NotNull @Min(0) @Max(100) Integer> criteria,
                             @NotNull RatingLevel level, @Size(max = 2000) String comment, Instant occurredAt) {
    }

}
