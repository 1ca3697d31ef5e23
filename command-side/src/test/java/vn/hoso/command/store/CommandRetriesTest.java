package vn.hoso.command.store;

import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.hoso.command.dossier.DossierRuleViolation;
import vn.hoso.command.dossier.ErrorCode;
import vn.hoso.events.DossierStatus;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command gateway as the command side wires it: a collided append is retried, a refusal is decided once. */
class CommandRetriesTest {

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();
    private final CommandGateway gateway = new CommandGatewayConfiguration().commandGateway(bus, retries);
    private final AtomicInteger decisions = new AtomicInteger();

    @AfterEach
    void stop() {
        retries.shutdownNow();
    }

    @Test
    void aRefusalIsDecidedOnceAndAnsweredAtOnce() {
        bus.subscribe(String.class.getName(), command -> {
            decisions.incrementAndGet();
            throw new DossierRuleViolation(ErrorCode.ILLEGAL_TRANSITION, DossierStatus.RESULT_RETURNED, "RECEIVE");
        });

        assertThatThrownBy(() -> gateway.sendAndWait("receive")).isInstanceOf(DossierRuleViolation.class);
        assertThat(decisions).as("times the dossier decided the command").hasValue(1);
    }

    @Test
    void anAppendThatCollidedIsDecidedAgainOnTheDossierAsStoredNow() {
        bus.subscribe(String.class.getName(), command -> {
            if (decisions.incrementAndGet() < 3) {
                throw new ConcurrencyException("another append took sequence number 4 of this dossier");
            }
            return "appended";
        });

        assertThat((String) gateway.sendAndWait("step")).isEqualTo("appended");
        assertThat(decisions).hasValue(3);
    }

    @Test
    void aCollisionThatNeverClearsIsGivenUpAfterFourRetries() {
        bus.subscribe(String.class.getName(), command -> {
            decisions.incrementAndGet();
            throw new IllegalStateException("append failed", new ConcurrencyException("always taken"));
        });

        assertThatThrownBy(() -> gateway.sendAndWait("step")).hasRootCauseInstanceOf(ConcurrencyException.class);
        assertThat(decisions).hasValue(5);
    }
}
