package vn.hoso.command.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

/**
 * Not a test: shows what the emulator's commit-after-each-write protects against. Runs {@link KillRecoveryIT}'s
 * scenario three times with the commit step on and three times with it off, and prints how many acknowledged
 * dossiers were lost. Run with
 * {@code ./mvnw -B verify -pl command-side -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=DurabilityDemonstration}.
 */
class DurabilityDemonstration {

    @Test
    void lossWithAndWithoutTheCommitStep() throws Exception {
        System.out.printf("%n%-22s %-5s %-13s %-6s %-10s%n", "commit after each write", "run", "acknowledged",
                "lost", "kill after");
        for (boolean commit : new boolean[]{true, false}) {
            for (int run = 1; run <= 3; run++) {
                KillRecoveryIT.Result result = KillRecoveryIT.submitThenKill(
                        Files.createTempDirectory("hoso-demo").resolve("mongo.mv"), commit);
                System.out.printf("%-22s %-5d %-13d %-6d %d ms%n", commit ? "on" : "OFF", run,
                        result.acknowledged().size(), result.lost().size(), result.millisFromLastAnswerToKill());
            }
        }
    }
}
