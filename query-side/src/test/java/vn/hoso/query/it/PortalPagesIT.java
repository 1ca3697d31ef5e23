package vn.hoso.query.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import vn.hoso.command.it.LocalAuthServer;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages people use, in a real browser (Debian's headless Chromium, driven by Selenium through its own driver,
 * never downloaded), against the services as the other integration tests start them. Screenshots of each page at
 * desktop size and 360 px wide are kept in {@code target/screenshots}.
 * <p>
 * The public status lookup: a receipt gives its secret once (not to a replayed request, and an agency system's receipt
 * report gives one too); only a digest of it is stored; the right code and secret show where the dossier stands and
 * nothing personal; a wrong secret and a wrong code get the same answer; lookups of one code, and from one client (its
 * address through the trusted proxy), are limited with {@code 429} and {@code Retry-After}; misses are counted.
 */
class PortalPagesIT {

    /** The demo accounts' subjects (deploy/auth-server's DemoAccounts). */
    private static final String AN = "3f6d1b52-8c1e-4b0a-9a57-1c2d3e4f5a61";
    private static final String BINH = "7a2e9c14-5b3d-4f6e-8a1b-2c3d4e5f6a72";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static LocalAuthServer auth;
    private static Stack stack;
    private static WebDriver browser;
    private static String page;
    private static String[] CITIZEN;
    private static String[] OTHER_CITIZEN;
    private static String[] OFFICER;
    private static String[] SYSTEM;
    private static String[] OPERATOR;

    @BeforeAll
    static void start() throws Exception {
        // the real authorization server, which the citizen's page signs in at (from the page's own origin, known
        // before the services start: their ports are chosen here)
        int queryPort = LocalAuthServer.freePort();
        int commandPort = LocalAuthServer.freePort();
        page = "http://127.0.0.1:" + queryPort;
        auth = new LocalAuthServer(page);
        List<String> commandSide = new java.util.ArrayList<>(List.of(auth.serviceArguments()));
        commandSide.addAll(List.of("--server.port=" + commandPort, "--hoso.http.cors-origins=" + page));
        List<String> querySide = new java.util.ArrayList<>(List.of(auth.serviceArguments()));
        // the lookup's limits low enough to reach; the test's own address is the trusted proxy, so a request's
        // X-Forwarded-For names its client
        // (a window of a day: the test clock, which starts the day at 02:00, never crosses one)
        querySide.addAll(List.of("--server.port=" + queryPort, "--hoso.lookup.per-code=6",
                "--hoso.lookup.per-client=12", "--hoso.lookup.window=1d", "--hoso.lookup.trusted-proxies=127.0.0.1",
                "--hoso.portal.authorization-server=" + auth.url,
                "--hoso.portal.command-api=http://127.0.0.1:" + commandPort));
        stack = new Stack(commandSide.toArray(String[]::new), querySide.toArray(String[]::new));
        auth.awaitReady();
        CITIZEN = auth.bearer("citizen-binh");
        OTHER_CITIZEN = auth.bearer("citizen-an");
        OFFICER = auth.bearer("officer-h22");
        SYSTEM = auth.bearer("agency-system-h22");
        OPERATOR = auth.bearer("operator");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=vi");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
        if (auth != null) {
            auth.close();
        }
    }

    @Test
    void aReceiptHolderLooksTheDossierUpWithItsCodeAndSecretAndNothingElse() throws Exception {
        // the receipt's answer gives the secret, once
        String id = submit(1);
        Http.Answer receipt = stack.commands().post("/api/v1/dossiers/" + id + "/receipt", "{}", with(OFFICER,
                "Idempotency-Key", "portal-receipt-1"));
        assertThat(receipt.status()).as(receipt.body().toString()).isEqualTo(200);
        String code = receipt.body().path("dossierCode").asText();
        String secret = receipt.body().path("lookupSecret").asText();
        assertThat(secret).matches("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}");
        Http.Answer replayed = stack.commands().post("/api/v1/dossiers/" + id + "/receipt", "{}", with(OFFICER,
                "Idempotency-Key", "portal-receipt-1"));
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.body().has("lookupSecret")).as("a replay never shows the secret again").isFalse();
        // stored: a digest in the receipt event, never the secret
        Document stored = stack.database().getCollection("events").find(new Document("aggregateIdentifier", id)
                .append("sequenceNumber", 1L)).first();
        assertThat(stored).isNotNull();
        assertThat(stored.toJson()).doesNotContain(secret).doesNotContain(secret.replace("-", ""))
                .contains("hmac-sha256:");
        // an agency system's receipt report (status 2) gives one too
        String synced = submit(2);
        Http.Answer report = stack.commands().post("/api/v1/sync/dossiers/" + synced + "/status",
                "{\"messageId\":\"portal-sync-1\",\"statusCode\":2}", SYSTEM);
        assertThat(report.status()).as(report.body().toString()).isEqualTo(200);
        String syncedSecret = report.body().path("lookupSecret").asText();
        assertThat(syncedSecret).hasSize(19).isNotEqualTo(secret);

        // the API: the right pair answers where the dossier stands, with nothing personal (once both receipts are
        // in the owner's timelines: every lookup counts against the limits below)
        String syncedCode = report.body().path("dossierCode").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> List.of(id, synced).stream()
                .allMatch(d -> stack.queries().get("/api/v1/dossiers/" + d + "/timeline", CITIZEN).body()
                        .path("status").asText().equals("RECEIVED")));
        Http.Answer found = lookUp(code, secret.toLowerCase().replace("-", " "), "203.0.113.1");
        assertThat(found.status()).as(found.body().toString()).isEqualTo(200);
        JsonNode status = found.body();
        assertThat(status.path("dossierCode").asText()).isEqualTo(code);
        assertThat(status.path("status").asText()).isEqualTo("RECEIVED");
        assertThat(status.path("statusVi").asText()).isEqualTo("Đã tiếp nhận");
        assertThat(status.path("receivedAt").asText()).isNotEmpty();
        assertThat(status.path("dueAt").asText()).isNotEmpty();
        assertThat(status.path("late").asBoolean()).isFalse();
        assertThat(status.path("paused").asBoolean()).isFalse();
        assertThat(status.path("resultReady").asBoolean()).isFalse();
        assertThat(status.toString()).doesNotContain("Công ty", "0100109106", BINH, id, "steps");
        assertThat(lookUp(syncedCode, syncedSecret, "203.0.113.1").status()).isEqualTo(200);
        assertThat(lookUp(syncedCode, secret, "203.0.113.1").status()).as("another dossier's secret").isEqualTo(404);
        // the owner's timeline never shows the digest
        assertThat(stack.queries().get("/api/v1/dossiers/" + id + "/timeline", CITIZEN).body().toString())
                .doesNotContain("hmac-sha256", "lookupDigest");

        // a wrong secret and a wrong code: the same answer
        Http.Answer wrongSecret = lookUp(code, "AAAA-BBBB-CCCC-DDDD", "203.0.113.2");
        Http.Answer wrongCode = lookUp(code + "9", secret, "203.0.113.2");
        assertThat(wrongSecret.status()).isEqualTo(404);
        for (String field : List.of("type", "title", "status", "detail", "code")) {
            assertThat(wrongCode.body().path(field)).as(field).isEqualTo(wrongSecret.body().path(field));
        }
        // a malformed secret is a 400 naming the field, whatever the dossier
        Http.Answer malformed = lookUp(code, "12345", "203.0.113.2");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("errors").get(0).path("field").asText()).isEqualTo("secret");

        // the page, in Vietnamese first, by keyboard
        browser.get(page + "/portal/lookup.html");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("vi");
        everyControlHasALabel();
        WebElement codeField = browser.findElement(By.id("dossierCode"));
        codeField.sendKeys(code, Keys.TAB, secret, Keys.ENTER);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("result")));
        assertThat(browser.findElement(By.id("r-code")).getText()).isEqualTo(code);
        assertThat(browser.findElement(By.id("r-status")).getText()).isEqualTo("Đã tiếp nhận");
        assertThat(browser.findElement(By.id("r-received")).getText()).isNotBlank();
        screenshots("lookup-found");
        // in English
        browser.findElement(By.id("language")).click();
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(browser.findElement(By.id("r-status")).getText()).isEqualTo("Received");
        browser.findElement(By.id("language")).click();
        // a wrong secret on the page
        browser.findElement(By.id("secret")).clear();
        browser.findElement(By.id("secret")).sendKeys("AAAA-BBBB-CCCC-DDDD", Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Không có hồ sơ nào khớp"));
        assertThat(browser.findElement(By.id("result")).isDisplayed()).isFalse();
        screenshots("lookup-no-match");

        // the right secret again: the holder's own lookups never count against the code
        assertThat(lookUp(code, secret, "203.0.113.3").status()).isEqualTo(200);
        // misses of one code, from anywhere: 6 a window (2 so far), then the code is not checked at all, the right
        // secret neither
        for (int i = 0; i < 4; i++) {
            assertThat(lookUp(code, "AAAA-BBBB-CCCC-DDD" + i, "203.0.113.1" + i).status()).isEqualTo(404);
        }
        Http.Answer limited = lookUp(code, secret, "203.0.113.4");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body().path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
        // on the page too
        browser.findElement(By.id("secret")).clear();
        browser.findElement(By.id("secret")).sendKeys(secret, Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "quá nhiều lượt tra cứu"));
        screenshots("lookup-limited");
        // one client, whatever the codes: limited (12 a window), while another client is not
        for (int i = 0; i < 12; i++) {
            assertThat(lookUp("X-" + i, "AAAA-BBBB-CCCC-DDDD", "198.51.100.7").status()).isEqualTo(404);
        }
        assertThat(lookUp("X-12", "AAAA-BBBB-CCCC-DDDD", "198.51.100.7").status()).isEqualTo(429);
        assertThat(lookUp("X-12", "AAAA-BBBB-CCCC-DDDD", "198.51.100.8").status()).isEqualTo(404);
        // a client's own X-Forwarded-For before the proxy's entry is not believed
        assertThat(lookUp("X-13", "AAAA-BBBB-CCCC-DDDD", "198.51.100.9, 198.51.100.7").status()).isEqualTo(429);

        // misses are counted
        String metrics = new Http(stack.queries().base()).getText("/actuator/prometheus", OPERATOR);
        // another's secret, a wrong secret, a wrong code, the page's wrong secret, 4 more, 12 codes, and one from
        // another client
        assertThat(counted(metrics, "miss")).isEqualTo(21);
        assertThat(counted(metrics, "limited")).isEqualTo(4);
        assertThat(counted(metrics, "found")).isEqualTo(4);
        assertThat(counted(metrics, "malformed")).isEqualTo(1);
    }

    @Test
    void thePagesRunOnlyTheirOwnScriptsAndAreNeverFramed() {
        Http.Answer lookupPage = stack.queries().get("/portal/lookup.html");
        assertThat(lookupPage.status()).isEqualTo(200);
        String policy = lookupPage.header("Content-Security-Policy");
        assertThat(policy).contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'",
                "connect-src 'self'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(policy).contains("connect-src 'self' " + auth.url + " http://127.0.0.1:");
        assertThat(lookupPage.header("Referrer-Policy")).isEqualTo("no-referrer");
        // a HEAD of a page, as a link checker or a cache sends it, is answered like its GET
        java.net.http.HttpResponse<Void> head;
        try {
            head = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(stack.queries().base() + "/portal/lookup.html"))
                    .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Security-Policy")).contains(policy);
        Http.Answer index = stack.queries().get("/portal");
        assertThat(index.status()).isEqualTo(302);
        assertThat(index.header("Location")).endsWith("/portal/index.html");
        browser.get(page + "/portal/index.html");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("vi");
        browser.findElement(By.cssSelector("a[href='lookup.html']")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/portal/lookup.html");
    }

    /**
     * A citizen signs in through the authorization server (authorization code with PKCE, as the public client, from
     * the page's own origin), sees exactly their own dossiers, opens one and reads what is asked of them, rates a
     * returned one (on the command side, from the browser), and signs out, at the authorization server too. The
     * tokens never reach the page's storage or address.
     */
    @Test
    void aCitizenSignsInSeesTheirDossiersRatesOneAndSignsOut() throws Exception {
        String[] an = OTHER_CITIZEN;
        // An's dossiers: one returned, one waiting for a supplement; one of Bình's, which An must not see
        String returned = submitAs(an, 11);
        receiveAndReturn(returned);
        String waiting = submitAs(an, 12);
        receive(waiting);
        Http.Answer asked = stack.commands().post("/api/v1/dossiers/" + waiting + "/supplement-requests",
                "{\"missingItems\":[\"Giấy khám sức khỏe\"],\"replyBy\":\"2026-03-20\",\"reason\":\"Thiếu\"}",
                OFFICER);
        assertThat(asked.status()).as(asked.body().toString()).isEqualTo(200);
        String others = submitAs(CITIZEN, 13);
        // every one of An's in the read models first
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stack.queries()
                .get("/api/v1/dossiers/" + waiting + "/timeline", an).body().path("status").asText()
                .equals("SUPPLEMENT_REQUESTED") && stack.queries().get("/api/v1/dossiers/" + returned + "/timeline", an)
                .body().path("status").asText().equals("RESULT_RETURNED"));
        List<String> mine = new java.util.ArrayList<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            mine.clear();
            stack.queries().get("/api/v1/my/dossiers?size=100", an).body().path("items")
                    .forEach(item -> mine.add(item.path("dossierId").asText()));
            assertThat(mine).contains(returned, waiting).doesNotContain(others);
        });

        // signed out: the page offers to sign in
        browser.manage().deleteAllCookies();
        browser.get(page + "/portal/citizen.html");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("vi");
        screenshots("citizen-signed-out");
        // sign in at the authorization server, by keyboard, and back
        browser.findElement(By.id("sign-in")).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(browser.getCurrentUrl()).startsWith(auth.url + "/login");
        browser.findElement(By.id("username")).sendKeys("citizen-an");
        browser.findElement(By.id("password")).sendKeys(auth.password("citizen-an"), Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dossiers")));
        wait.until(d -> d.findElements(By.cssSelector("#dossier-rows button[data-dossier]")).size() == mine.size());
        assertThat(browser.getCurrentUrl()).as("the code left the address").isEqualTo(page + "/portal/citizen.html");
        List<String> shown = browser.findElements(By.cssSelector("#dossier-rows button[data-dossier]")).stream()
                .map(b -> b.getAttribute("data-dossier")).toList();
        assertThat(shown).containsExactlyInAnyOrderElementsOf(mine).doesNotContain(others);
        everyControlHasALabel();
        screenshots("citizen-dossiers");
        // what is asked of me
        browser.findElement(By.cssSelector("button[data-dossier='" + waiting + "']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("asked")));
        assertThat(browser.findElement(By.id("asked-items")).getText()).contains("Giấy khám sức khỏe");
        assertThat(browser.findElement(By.id("asked-text")).getText()).contains("2026-03-20");
        assertThat(browser.findElement(By.id("rating")).isDisplayed()).as("nothing to rate yet").isFalse();
        assertThat(browser.findElements(By.cssSelector("#steps li"))).hasSize(3);
        screenshots("citizen-asked");
        // the returned one: rate it
        browser.findElement(By.cssSelector("button[data-dossier='" + returned + "']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rating")));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("level"))).selectByValue("SATISFIED");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("criterion-STAFF_ATTITUDE")))
                .selectByValue("1");
        everyControlHasALabel();
        screenshots("citizen-rating");
        browser.findElement(By.id("rate")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#steps li[data-event='DossierRated']")));
        assertThat(browser.findElement(By.id("rating")).isDisplayed()).as("rated once").isFalse();
        JsonNode steps = stack.queries().get("/api/v1/dossiers/" + returned + "/timeline", an).body().path("steps");
        assertThat(steps.get(steps.size() - 1).path("event").asText()).isEqualTo("DossierRated");
        assertThat(steps.get(steps.size() - 1).path("labelVi").asText()).contains("hài lòng");
        screenshots("citizen-rated");
        // the tokens are in the page's memory only
        String stored = String.valueOf(((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return JSON.stringify(sessionStorage) + JSON.stringify(localStorage) + document.cookie"));
        assertThat(stored).doesNotContain("eyJ");
        // sign out, at the authorization server too: signing in again asks for the password
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        assertThat(browser.getCurrentUrl()).startsWith(page + "/portal/citizen.html");
        assertThat(browser.findElement(By.id("dossiers")).isDisplayed()).isFalse();
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(browser.getCurrentUrl()).startsWith(auth.url + "/login");
    }

    /**
     * An analyst signs in and reads satisfaction and timeliness as charts, each with the table of its numbers: every
     * cell equals the report API's number, for every group and the total, and a filter changes both.
     */
    @Test
    void theAnalystsDashboardShowsTheReportsNumbers() throws Exception {
        // a rated dossier of its own, whatever ran before
        String rated = submit(21);
        receiveAndReturn(rated);
        Http.Answer rating = stack.commands().post("/api/v1/dossiers/" + rated + "/rating", """
                {"level":"DISSATISFIED","criteria":{"TOTAL_TIME_AGAINST_LIMIT":0,"TIME_AT_EACH_UNIT":1,
                "NUMBER_OF_CONTACTS":2,"NUMBER_OF_AGENCIES_CONTACTED":2,"HANDLED_AT_ONE_STOP_DESK":2,
                "PROCEDURE_PUBLISHED":2,"STAFF_ATTITUDE":1,"FEEDBACK_HANDLING":2,"ONLINE_SERVICE_QUALITY":2}}""",
                CITIZEN);
        assertThat(rating.status()).as(rating.body().toString()).isEqualTo(200);
        String[] analyst = auth.bearer("analyst");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stack.queries()
                .get("/api/v1/reports/satisfaction?groupBy=agency", analyst).body().path("total").path("DISSATISFIED")
                .asLong() >= 1);

        WebDriverWait wait = signIn("dashboard", "analyst", "satisfaction-table");
        assertTablesEqualTheReports(analyst, "agency");
        assertThat(browser.findElements(By.cssSelector("#satisfaction-chart canvas, #satisfaction-chart svg")))
                .as("the satisfaction chart drawn").isNotEmpty();
        everyControlHasALabel();
        screenshots("dashboard-agency");
        // another grouping, through the filter
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("groupBy"))).selectByValue("procedure");
        browser.findElement(By.id("apply")).click();
        wait.until(d -> d.findElements(By.cssSelector("#timeliness-table tbody tr[data-group='2.000116']")).size() == 1);
        assertTablesEqualTheReports(analyst, "procedure");
        screenshots("dashboard-procedure");
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
    }

    /**
     * An inspector signs in and reads a breach list: the rows, their order and the total are the audit API's, the
     * dossiers by code only.
     */
    @Test
    void theInspectorsBreachListShowsTheAuditsRows() throws Exception {
        String extended = submit(31);
        receive(extended);
        assertThat(stack.commands().post("/api/v1/dossiers/" + extended + "/processing", "{\"unit\":\"Phòng A\"}",
                OFFICER).status()).isEqualTo(200);
        Http.Answer extension = stack.commands().post("/api/v1/dossiers/" + extended + "/deadline-extensions",
                "{\"reason\":\"Cần xác minh thêm\",\"newDueAt\":\"2026-04-30T10:00:00Z\"}", OFFICER);
        assertThat(extension.status()).as(extension.body().toString()).isEqualTo(200);
        String[] inspector = auth.bearer("inspector");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stack.queries()
                .get("/api/v1/audit/breaches?kind=EXTENDED", inspector).body().path("items").toString()
                .contains(extended));

        WebDriverWait wait = signIn("breaches", "inspector", "filters");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("kind"))).selectByValue("EXTENDED");
        browser.findElement(By.id("apply")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#breach-table tbody tr[data-dossier='" + extended + "']"))
                .isEmpty());
        JsonNode list = stack.queries().get("/api/v1/audit/breaches?kind=EXTENDED&size=100", inspector).body();
        assertThat(browser.findElement(By.id("total")).getAttribute("data-total"))
                .isEqualTo(list.path("total").asText());
        List<WebElement> rows = browser.findElements(By.cssSelector("#breach-table tbody tr"));
        assertThat(rows).hasSize(list.path("items").size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode item = list.path("items").get(i);
            assertThat(rows.get(i).getAttribute("data-dossier")).isEqualTo(item.path("dossierId").asText());
            for (String field : List.of("dossierCode", "agencyCode", "procedureCode", "status", "supplementRequests")) {
                String shown = rows.get(i).findElement(By.cssSelector("td[data-field='" + field + "']"))
                        .getAttribute("textContent");
                assertThat(shown).as("row %d %s", i, field).isEqualTo(item.path(field).isNull() ? ""
                        : item.path(field).asText());
            }
        }
        assertThat(browser.findElement(By.id("breach-table")).getText()).doesNotContain("Công ty", "0100109106");
        everyControlHasALabel();
        screenshots("breaches-extended");
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
    }

    /** Every cell of the three tables against the report API's rows and total, field by field. */
    private static void assertTablesEqualTheReports(String[] analyst, String groupBy) {
        JsonNode satisfaction = stack.queries().get("/api/v1/reports/satisfaction?size=5000&groupBy=" + groupBy,
                analyst).body();
        JsonNode timeliness = stack.queries().get("/api/v1/reports/timeliness?size=5000&groupBy=" + groupBy,
                analyst).body();
        assertThat(satisfaction.path("next").isNull() || satisfaction.path("next").isMissingNode()).isTrue();
        for (String[] table : new String[][]{{"satisfaction-table", "satisfaction"}, {"criteria-table", "satisfaction"},
                {"timeliness-table", "timeliness"}}) {
            JsonNode report = table[1].equals("satisfaction") ? satisfaction : timeliness;
            List<WebElement> rows = browser.findElements(By.cssSelector("#" + table[0] + " tbody tr"));
            assertThat(rows).as("%s: a row per group, then the total", table[0]).hasSize(report.path("rows").size() + 1);
            int checked = 0;
            for (WebElement row : rows) {
                String group = row.getAttribute("data-group");
                JsonNode expected = group.equals("TOTAL") ? report.path("total") : null;
                for (JsonNode candidate : report.path("rows")) {
                    if (expected == null && candidate.path("group").asText().equals(group)) {
                        expected = candidate;
                    }
                }
                assertThat(expected).as("%s: the group %s in the report", table[0], group).isNotNull();
                for (WebElement cell : row.findElements(By.cssSelector("td[data-field]"))) {
                    JsonNode value = expected.path(cell.getAttribute("data-field"));
                    String shown = cell.getAttribute("textContent");
                    if (value.isMissingNode() || value.isNull()) {
                        assertThat(shown).as("%s %s %s", table[0], group, cell.getAttribute("data-field")).isEmpty();
                    } else {
                        assertThat(Double.parseDouble(shown)).as("%s %s %s", table[0], group,
                                cell.getAttribute("data-field")).isEqualTo(value.asDouble());
                    }
                    checked++;
                }
            }
            assertThat(checked).isPositive();
        }
    }

    private static void everyControlHasALabel() {
        for (WebElement input : browser.findElements(By.cssSelector("input, select, textarea"))) {
            String id = input.getAttribute("id");
            assertThat(browser.findElements(By.cssSelector("label[for='" + id + "']"))).as("a label for #%s", id)
                    .hasSize(1);
        }
        for (WebElement button : browser.findElements(By.tagName("button"))) {
            // a hidden button's text is read from the document (getText gives what is shown)
            String name = button.getAttribute("aria-label") != null ? button.getAttribute("aria-label")
                    : button.getAttribute("textContent");
            assertThat(name).as("the name of button #%s", button.getAttribute("id")).isNotBlank();
        }
    }

    /**
     * The page as it is now at desktop size, then 360 px wide (a phone): what the screen shows, once the page has laid
     * itself out again for that width (the charts redraw on resize): nothing wider than the screen, no sideways
     * scrolling.
     */
    private static void screenshots(String name) throws Exception {
        var chrome = (ChromeDriver) browser;
        for (Map.Entry<String, Integer> size : List.of(Map.entry("desktop", 1280), Map.entry("360px", 360))) {
            chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", size.getValue(),
                    "height", size.getValue() == 360 ? 780 : 900, "deviceScaleFactor", 1,
                    "mobile", size.getValue() == 360));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(((Number) chrome.executeScript(
                            "return document.documentElement.scrollWidth")).intValue())
                            .as("the page's width on a screen %d px wide", size.getValue())
                            .isLessThanOrEqualTo(size.getValue()));
            Files.write(SCREENSHOTS.resolve("portal-" + name + "-" + size.getKey() + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }
        chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    private static double counted(String metrics, String outcome) {
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("hoso_lookup_requests_total\\{[^}]*outcome=\""
                + outcome + "\"[^}]*} ([0-9.]+)").matcher(metrics);
        assertThat(line.find()).as("the %s lookups' counter", outcome).isTrue();
        return Double.parseDouble(line.group(1));
    }

    private static String submit(int number) {
        return submitAs(CITIZEN, number);
    }

    /** Signed out, this page signs the account in at the authorization server, and shows this element. */
    private static WebDriverWait signIn(String pageName, String account, String shown) throws Exception {
        browser.manage().deleteAllCookies();
        browser.get(page + "/portal/" + pageName + ".html");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(account);
        browser.findElement(By.id("password")).sendKeys(auth.password(account), Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(shown)));
        return wait;
    }

    /** Received, processed, its result issued and returned: a dossier its owner may rate. */
    private static void receiveAndReturn(String dossierId) {
        receive(dossierId);
        assertThat(stack.commands().post("/api/v1/dossiers/" + dossierId + "/processing", "{\"unit\":\"Phòng A\"}",
                OFFICER).status()).isEqualTo(200);
        assertThat(stack.commands().post("/api/v1/dossiers/" + dossierId + "/result",
                "{\"decision\":\"APPROVED\",\"documents\":[]}", OFFICER).status()).isEqualTo(200);
        assertThat(stack.commands().post("/api/v1/dossiers/" + dossierId + "/result-return", "{\"channel\":\"ONLINE\"}",
                OFFICER).status()).isEqualTo(200);
    }

    private static void receive(String dossierId) {
        Http.Answer received = stack.commands().post("/api/v1/dossiers/" + dossierId + "/receipt", "{}", OFFICER);
        assertThat(received.status()).as(received.body().toString()).isEqualTo(200);
    }

    private static String submitAs(String[] citizen, int number) {
        return stack.submit(number, citizen);
    }

    private static Http.Answer lookUp(String code, String secret, String forwardedFor) {
        return stack.queries().post("/api/v1/public/dossier-status", "{\"dossierCode\":\"" + code
                + "\",\"secret\":\"" + secret + "\"}", "X-Forwarded-For", forwardedFor);
    }

    private static String[] with(String[] headers, String... more) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + more.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }
}
