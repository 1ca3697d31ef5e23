package vn.hoso.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time comes from an injected {@link Clock} in every module's main code, so that every test can run on a clock of
 * its own and nothing depends on today's date: no {@code now()} without a clock argument, and the system clock is
 * taken only where clocks are defined (Spring configuration, and the event store engine's builder default).
 */
class InjectedClockTest {

    private static final List<Class<?>> TIME_TYPES = List.of(Instant.class, LocalDate.class, LocalDateTime.class,
            LocalTime.class, ZonedDateTime.class, OffsetDateTime.class, Year.class, YearMonth.class, MonthDay.class);

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // the command side's test helpers reach the query side's tests as a test jar
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("vn.hoso");

    /** A call to {@code now()} with no arguments on a java.time type. */
    private static final DescribedPredicate<JavaCall<?>> NOW_WITHOUT_CLOCK = DescribedPredicate.describe(
            "now() without a clock", call -> call.getName().equals("now")
                    && call.getTarget().getParameterTypes().isEmpty()
                    && TIME_TYPES.stream().anyMatch(type -> call.getTargetOwner().isEquivalentTo(type)));

    private static final DescribedPredicate<JavaCall<?>> SYSTEM_CLOCK = DescribedPredicate.describe(
            "the system clock", call -> call.getTargetOwner().isEquivalentTo(Clock.class)
                    && call.getName().startsWith("system"));

    @Test
    void theMainCodeOfEveryModuleIsImported() {
        assertThat(MAIN.containPackage("vn.hoso.command")).isTrue();
        assertThat(MAIN.containPackage("vn.hoso.query")).isTrue();
        assertThat(MAIN.containPackage("vn.hoso.eventstore")).isTrue();
        assertThat(MAIN.containPackage("vn.hoso.deploy")).isTrue();
    }

    private static final ArchRule NO_NOW = noClasses().should().callCodeUnitWhere(NOW_WITHOUT_CLOCK)
            .because("time comes from an injected Clock (tests run on clocks of their own)");

    @Test
    void noNowWithoutAnInjectedClock() {
        NO_NOW.check(MAIN);
    }

    /** What the rule must catch. */
    static final class Offender {
        Instant stamp() {
            return Instant.now();
        }

        LocalDate today(Clock clock) {
            return LocalDate.now(clock);
        }
    }

    @Test
    void theRuleCatchesNowWithoutAClockAndOnlyThat() {
        var result = NO_NOW.evaluate(new ClassFileImporter().importClasses(Offender.class));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).hasSize(1).first().asString().contains("Instant.now()");
    }

    @Test
    void theSystemClockIsTakenOnlyWhereClocksAreDefined() {
        ArchRule rule = noClasses()
                .that().areNotAnnotatedWith(Configuration.class)
                .and().areNotAnnotatedWith(SpringBootApplication.class)
                .and().doNotHaveFullyQualifiedName("vn.hoso.eventstore.PositionedMongoEventStorageEngine$Builder")
                .should().callCodeUnitWhere(SYSTEM_CLOCK)
                .because("a clock is a bean (or a builder's default) that tests replace");
        rule.check(MAIN);
    }
}
