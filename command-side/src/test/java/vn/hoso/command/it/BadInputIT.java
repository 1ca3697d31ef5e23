package vn.hoso.command.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.hoso.command.it.Api.Answer;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.*;

/**
 * Bad input gets a 4xx problem document with a stable code and the field at fault, and appends nothing: the raw
 * event count, read with the driver, is the same before and after.
 */
class BadInputIT {

    private static TestMongo mongo;
    private static CommandSide app;
    private static String dossier;
    /** A second dossier, received, with its last event a minute after the first one's receipt. */
    private static String received;

    @BeforeAll
    static void start() {
        mongo = TestMongo.start();
        app = CommandSide.start(mongo);
        Api api = app.api();
        dossier = api.post("/api/v1/dossiers", submitBody("1.002804", "CITIZEN", "079201000001"), CITIZEN)
                .body().path("dossierId").asText();
        received = api.post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"), CITIZEN)
                .body().path("dossierId").asText();
        assertThat(api.post("/api/v1/dossiers/" + received + "/receipt", "{}", OFFICER).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        app.close();
        mongo.close();
    }

    record Bad(String name, String path, String body, String[] headers, int status, String code, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String VALID_HASH = "ab".repeat(32);

    static Stream<Arguments> badRequests() {
        String d = "/api/v1/dossiers/{id}";
        String r = "/api/v1/dossiers/{received}";
        Instant now = TestTime.CLOCK.instant();
        return Stream.of(
                new Bad("a reported time older than the allowed lateness", d + "/receipt",
                        "{\"occurredAt\":\"" + now.minus(Duration.ofDays(31)) + "\"}", OFFICER, 400,
                        "VALIDATION_FAILED", "occurredAt"),
                new Bad("a reported time before the dossier's previous event", r + "/processing",
                        "{\"unit\":\"x\",\"occurredAt\":\"" + now.minus(Duration.ofDays(2)) + "\"}", OFFICER, 400,
                        "VALIDATION_FAILED", "occurredAt"),
                new Bad("an extension to the year 999999", r + "/deadline-extensions",
                        "{\"reason\":\"x\",\"newDueAt\":\"+999999-01-01T00:00:00Z\"}", OFFICER, 400,
                        "VALIDATION_FAILED", "newDueAt"),
                new Bad("an extension past the horizon", r + "/deadline-extensions",
                        "{\"reason\":\"x\",\"newDueAt\":\"" + now.plus(Duration.ofDays(200)) + "\"}", OFFICER, 400,
                        "VALIDATION_FAILED", "newDueAt"),
                new Bad("a reply-by date beyond the calendar", r + "/supplement-requests",
                        "{\"missingItems\":[\"x\"],\"replyBy\":\"2999-12-31\"}", OFFICER, 400, "VALIDATION_FAILED",
                        "replyBy"),
                new Bad("a reply-by date in the past", r + "/supplement-requests",
                        "{\"missingItems\":[\"x\"],\"replyBy\":\"2020-01-01\"}", OFFICER, 400, "VALIDATION_FAILED",
                        "replyBy"),
                new Bad("a fee item over a thousand billion", r + "/payment-requests",
                        "{\"feeItems\":[{\"code\":\"X\",\"name\":\"X\",\"amount\":1000000000001}]}", OFFICER, 400,
                        "VALIDATION_FAILED", "feeItems[0].amount"),
                new Bad("a payment over a thousand billion", d + "/payments",
                        "{\"paymentReference\":\"P-1\",\"method\":\"ONLINE\",\"amount\":1000000000001}", PAYMENT_PLATFORM,
                        400, "VALIDATION_FAILED", "amount"),
                new Bad("a document over a terabyte", "/api/v1/dossiers", submitBody("1.002804", "CITIZEN",
                        "001089012345").replace("\"sizeBytes\":2048", "\"sizeBytes\":1099511627777"), CITIZEN,
                        400, "VALIDATION_FAILED", "documents[0].sizeBytes"),
                new Bad("malformed JSON", "/api/v1/dossiers", "{\"procedureCode\": ", CITIZEN, 400,
                        "MALFORMED_REQUEST", null),
                new Bad("unknown field", "/api/v1/dossiers", submitBody("1.002804", "CITIZEN", "001089012345")
                        .replace("\"procedureCode\"", "\"nickname\":\"x\",\"procedureCode\""), CITIZEN, 400,
                        "VALIDATION_FAILED", "nickname"),
                new Bad("citizen ID with 11 digits", "/api/v1/dossiers", submitBody("1.002804", "CITIZEN", "00108901234"),
                        CITIZEN, 400, "VALIDATION_FAILED", "applicant.idNumber"),
                new Bad("citizen ID with an unknown province", "/api/v1/dossiers",
                        submitBody("1.002804", "CITIZEN", "003089012345"), CITIZEN, 400, "VALIDATION_FAILED",
                        "applicant.idNumber"),
                new Bad("tax code with a wrong check digit", "/api/v1/dossiers",
                        submitBody("2.000116", "BUSINESS", "0100109107"), CITIZEN, 400, "VALIDATION_FAILED",
                        "applicant.idNumber"),
                new Bad("tax code with a short branch", "/api/v1/dossiers",
                        submitBody("2.000116", "BUSINESS", "0100109106-01"), CITIZEN, 400, "VALIDATION_FAILED",
                        "applicant.idNumber"),
                new Bad("unknown procedure", "/api/v1/dossiers", submitBody("9.999999", "CITIZEN", "001089012345"),
                        CITIZEN, 422, "UNKNOWN_PROCEDURE", "procedureCode"),
                new Bad("bad agency code", "/api/v1/dossiers", submitBody("1.002804", "CITIZEN", "001089012345")
                        .replace(AGENCY, "H22"), CITIZEN, 400, "VALIDATION_FAILED", "agencyCode"),
                new Bad("no documents field", "/api/v1/dossiers", "{\"procedureCode\":\"1.002804\",\"agencyCode\":\""
                        + AGENCY + "\",\"applicant\":{\"kind\":\"CITIZEN\",\"idNumber\":\"001089012345\","
                        + "\"fullName\":\"A\"}}", CITIZEN, 400, "VALIDATION_FAILED", "documents"),
                new Bad("bad document hash", "/api/v1/dossiers", submitBody("1.002804", "CITIZEN", "001089012345")
                        .replace("sha256:" + VALID_HASH, "md5:1"), CITIZEN, 400, "VALIDATION_FAILED",
                        "documents[0].contentHash"),
                new Bad("unknown enum value", "/api/v1/dossiers", submitBody("1.002804", "ALIEN", "001089012345"),
                        CITIZEN, 400, "VALIDATION_FAILED", "applicant.kind"),
                new Bad("negative payment", d + "/payments",
                        "{\"paymentReference\":\"P-1\",\"method\":\"ONLINE\",\"amount\":-115000}", PAYMENT_PLATFORM, 400,
                        "VALIDATION_FAILED", "amount"),
                new Bad("fractional payment", d + "/payments",
                        "{\"paymentReference\":\"P-1\",\"method\":\"ONLINE\",\"amount\":1.5}", PAYMENT_PLATFORM, 400,
                        "VALIDATION_FAILED", "amount"),
                new Bad("payment above what is owed", d + "/payments",
                        "{\"paymentReference\":\"P-1\",\"method\":\"ONLINE\",\"amount\":999999}", PAYMENT_PLATFORM, 422,
                        "PAYMENT_EXCEEDS_OUTSTANDING", "amount"),
                new Bad("negative fee item", d + "/payment-requests",
                        "{\"feeItems\":[{\"code\":\"X\",\"name\":\"X\",\"amount\":-1}]}", OFFICER, 400,
                        "VALIDATION_FAILED", "feeItems[0].amount"),
                new Bad("an applicant backdating", d + "/withdrawal",
                        "{\"reason\":\"x\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}", CITIZEN, 400,
                        "VALIDATION_FAILED", "occurredAt"),
                new Bad("a time in the future", d + "/receipt", "{\"occurredAt\":\"2099-01-01T00:00:00Z\"}", OFFICER,
                        400, "VALIDATION_FAILED", "occurredAt"),
                new Bad("garbage If-Match", d + "/receipt", "{}", with(OFFICER, "If-Match", "yesterday"), 400,
                        "VALIDATION_FAILED", "If-Match"),
                new Bad("stale If-Match", d + "/receipt", "{}", with(OFFICER, "If-Match", "\"7\""), 409,
                        "CONCURRENT_MODIFICATION", null),
                new Bad("no acting party", d + "/receipt", "{}", new String[0], 401, "UNAUTHENTICATED", null),
                new Bad("a token with an unknown role", d + "/receipt", "{}", TestIssuer.bearer("KING", "k", null),
                        401, "UNAUTHENTICATED", null),
                new Bad("an officer's token without an agency", d + "/receipt", "{}",
                        TestIssuer.bearer("OFFICER", "o", null), 401, "UNAUTHENTICATED", null),
                new Bad("an officer of another agency (the dossier does not exist for it)", d + "/processing",
                        "{\"unit\":\"x\"}", TestIssuer.bearer("OFFICER", "o", "000.00.09.H09"), 404,
                        "DOSSIER_NOT_FOUND", null),
                new Bad("another citizen withdrawing (the dossier does not exist for it)", d + "/withdrawal",
                        "{\"reason\":\"x\"}", OTHER_CITIZEN, 404, "DOSSIER_NOT_FOUND", null),
                new Bad("the owner declaring its own online payment", d + "/payments",
                        "{\"paymentReference\":\"P-1\",\"method\":\"ONLINE\",\"amount\":115000}", CITIZEN, 403,
                        "NOT_ALLOWED", null),
                new Bad("a citizen receiving", d + "/receipt", "{}", CITIZEN, 403, "NOT_ALLOWED", null),
                new Bad("an illegal transition", d + "/result", "{\"decision\":\"APPROVED\",\"documents\":[]}", OFFICER,
                        409, "ILLEGAL_TRANSITION", null),
                new Bad("rating before the result", d + "/rating", DossierLifecycleIT.ratingBody(), CITIZEN, 409,
                        "ILLEGAL_TRANSITION", null),
                new Bad("a rating with a criterion out of scale", d + "/rating",
                        DossierLifecycleIT.ratingBody().replace("\"STAFF_ATTITUDE\":2", "\"STAFF_ATTITUDE\":3"), CITIZEN,
                        400, "VALIDATION_FAILED", "criteria.STAFF_ATTITUDE"),
                new Bad("an unknown dossier", "/api/v1/dossiers/4b1f6a55-0000-4000-8000-000000000000/receipt", "{}",
                        OFFICER, 404, "DOSSIER_NOT_FOUND", null),
                new Bad("a dossier id that is no id", "/api/v1/dossiers/not-a-dossier/receipt", "{}", OFFICER, 404,
                        "DOSSIER_NOT_FOUND", null)
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAProblemAndChangesNothing(Bad bad) {
        long before = mongo.eventCount();
        Answer answer = app.api().post(bad.path().replace("{id}", dossier).replace("{received}", received), bad.body(),
                bad.headers());
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(bad.status());
        assertThat(answer.contentType()).startsWith("application/problem+json");
        if (bad.code() != null) {
            assertThat(answer.code()).isEqualTo(bad.code());
        }
        assertThat(answer.body().path("detail").asText()).isNotBlank();
        if (bad.field() != null) {
            assertThat(answer.fieldsAtFault()).contains(bad.field());
        }
        assertThat(mongo.eventCount()).isEqualTo(before);
    }

    @Test
    void aRefusalNamesTheCurrentStateInTheCallersLanguage() {
        String path = "/api/v1/dossiers/" + dossier + "/result";
        String body = "{\"decision\":\"APPROVED\",\"documents\":[]}";
        Answer english = app.api().post(path, body, with(OFFICER, "Accept-Language", "en"));
        Answer vietnamese = app.api().post(path, body, with(OFFICER, "Accept-Language", "vi-VN,vi;q=0.9"));
        assertThat(english.body().path("currentState").asText()).isEqualTo("SUBMITTED");
        assertThat(english.body().path("currentStateCode").asInt()).isEqualTo(1);
        assertThat(english.body().path("detail").asText()).contains("submitted");
        assertThat(vietnamese.body().path("detail").asText()).contains("mới đăng ký");
    }

    @Test
    void aProblemNeverEchoesPersonalData() {
        Answer answer = app.api().post("/api/v1/dossiers", submitBody("1.002804", "CITIZEN", "003089012345"), CITIZEN);
        assertThat(answer.raw().body()).doesNotContain("003089012345").doesNotContain("Nguyễn");
    }

    @Test
    void aMalformedBodyIsNotEchoed() {
        Answer answer = app.api().post("/api/v1/dossiers", "{\"applicant\": Nguyễn Văn Dũng}", CITIZEN);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("MALFORMED_REQUEST");
        // where it broke, in Vietnamese by default, in English on request; never the text around it
        assertThat(answer.raw().body()).doesNotContain("Nguy").contains("dòng 1");
        Answer english = app.api().post("/api/v1/dossiers", "{\"applicant\": Nguyễn Văn Dũng}",
                with(CITIZEN, "Accept-Language", "en"));
        assertThat(english.raw().body()).doesNotContain("Nguy").contains("line 1");
        assertThat(english.raw().headers().firstValue("Content-Language")).hasValue("en");
    }

    @Test
    void aBodyThatIsNotJsonIsRefused() {
        long before = mongo.eventCount();
        Answer answer = app.api().postRaw("/api/v1/dossiers", "text/plain", "hello", CITIZEN);
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.code()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(mongo.eventCount()).isEqualTo(before);
    }
}
