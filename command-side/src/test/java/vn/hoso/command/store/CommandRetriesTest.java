package vn.hoso.command.store;

import com.mongodb.MongoSocketOpenException;
import com.mongodb.ServerAddress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.hoso.command.dossier.DossierRuleViolation;
import vn.hoso.command.dossier.ErrorCode;
import vn.hoso.eventstore.AppendOutcomeUnknownException;
import vn.hoso.events.DossierStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Commands as the command side runs them ({@link CommandExecution} over Axon's gateway and a simple bus): a refusal is
 * decided once, a transient failure is decided again on a worker of its own, an append of unknown outcome is never
 * decided again, and every command is answered in bounded time.
 */
class CommandRetriesTest {

    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();
    private final AtomicInteger decisions = new AtomicInteger();
    private final List<CommandExecution> executions = new ArrayList<>();

    private CommandExecution execution(Duration timeout, int workers, int maxQueued) {
        CommandExecution execution = new CommandExecution(DefaultCommandGateway.builder().commandBus(bus).build(),
                new CommandProperties(timeout, workers, maxQueued, 4, Duration.ofMillis(20)), new SimpleMeterRegistry());
        executions.add(execution);
        return execution;
    }

    private CommandExecution execution() {
        return execution(Duration.ofSeconds(30), 64, 1000);
    }

    private static <R> R send(CommandExecution execution, String command) {
        return execution.send(GenericCommandMessage.asCommandMessage(command));
    }

    @AfterEach
    void stop() {
        executions.forEach(CommandExecution::destroy);
    }

    @Test
    void aRefusalIsDecidedOnceAndAnsweredAtOnce() {
        bus.subscribe(String.class.getName(), command -> {
            decisions.incrementAndGet();
            throw new DossierRuleViolation(ErrorCode.ILLEGAL_TRANSITION, DossierStatus.RESULT_RETURNED, "RECEIVE");
        });

        assertThatThrownBy(() -> send(execution(), "receive")).isInstanceOf(DossierRuleViolation.class);
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

        assertThat((String) send(execution(), "step")).isEqualTo("appended");
        assertThat(decisions).hasValue(3);
    }

    @Test
    void aCollisionThatNeverClearsIsGivenUpAfterFourRetries() {
        bus.subscribe(String.class.getName(), command -> {
            decisions.incrementAndGet();
            throw new IllegalStateException("append failed", new ConcurrencyException("always taken"));
        });

        assertThatThrownBy(() -> send(execution(), "step")).hasRootCauseInstanceOf(ConcurrencyException.class);
        assertThat(decisions).hasValue(5);
    }

    @Test
    void aStoreConnectionLostBeforeAnythingWasAppendedIsRetried() {
        bus.subscribe(String.class.getName(), command -> {
            if (decisions.incrementAndGet() == 1) {
                throw new EventStoreException("loading the dossier failed",
                        new MongoSocketOpenException("connection refused", new ServerAddress()));
            }
            return "appended";
        });

        assertThat((String) send(execution(), "step")).isEqualTo("appended");
        assertThat(decisions).hasValue(2);
    }

    @Test
    void anAppendWhoseOutcomeIsUnknownIsNeverDecidedAgain() {
        bus.subscribe(String.class.getName(), command -> {
            decisions.incrementAndGet();
            throw new AppendOutcomeUnknownException(List.of(new GenericDomainEventMessage<>("Dossier", "d-1", 4, "x")),
                    17, new MongoSocketOpenException("connection lost", new ServerAddress()));
        });

        assertThatThrownBy(() -> send(execution(), "step")).isInstanceOfSatisfying(CommandNotAnswered.class, e -> {
            assertThat(e.reason()).isEqualTo(CommandNotAnswered.Reason.OUTCOME_UNKNOWN);
            assertThat(e.mayHaveBeenApplied()).isTrue();
        });
        assertThat(decisions).hasValue(1);
    }

    /** Twenty commands that all collide once are decided again on twenty threads, not one after the other. */
    @Test
    void retriesNeverWaitBehindEachOtherOnOneThread() throws Exception {
        int commands = 20;
        CountDownLatch allInFlight = new CountDownLatch(commands);
        Set<String> retriedOn = ConcurrentHashMap.newKeySet();
        Set<Object> collided = ConcurrentHashMap.newKeySet();
        bus.subscribe(String.class.getName(), command -> {
            if (collided.add(command.getPayload())) {
                allInFlight.countDown();
                allInFlight.await(10, TimeUnit.SECONDS); // all twenty collide at the same moment
                throw new ConcurrencyException("collided");
            }
            retriedOn.add(Thread.currentThread().getName());
            return "appended";
        });
        CommandExecution execution = execution();
        ExecutorService clients = Executors.newFixedThreadPool(commands);
        try {
            List<Future<Object>> answers = new ArrayList<>();
            for (int i = 0; i < commands; i++) {
                String command = "step-" + i;
                answers.add(clients.submit(() -> send(execution, command)));
            }
            for (Future<Object> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("appended");
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(retriedOn).as("threads the retries ran on").hasSize(commands);
    }

    @Test
    void aCommandRunningPastItsTimeIsAnsweredAndMayStillBeApplied() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch applied = new CountDownLatch(1);
        bus.subscribe(String.class.getName(), command -> {
            release.await(30, TimeUnit.SECONDS);
            applied.countDown();
            return "appended";
        });

        assertThatThrownBy(() -> send(execution(Duration.ofMillis(200), 4, 10), "slow"))
                .isInstanceOfSatisfying(CommandNotAnswered.class, e -> {
                    assertThat(e.reason()).isEqualTo(CommandNotAnswered.Reason.RUNNING_PAST_ITS_TIME);
                    assertThat(e.mayHaveBeenApplied()).isTrue();
                });
        assertThat(applied.getCount()).as("answered while the command still ran").isEqualTo(1);
        release.countDown();
        assertThat(applied.await(10, TimeUnit.SECONDS)).as("and it completed afterwards").isTrue();
    }

    @Test
    void aCommandThatWaitedPastItsTimeForAWorkerIsDroppedAndNeverRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Set<Object> ran = ConcurrentHashMap.newKeySet();
        bus.subscribe(String.class.getName(), command -> {
            ran.add(command.getPayload());
            if (command.getPayload().equals("first")) {
                release.await(30, TimeUnit.SECONDS);
            }
            return "appended";
        });
        CommandExecution oneWorker = execution(Duration.ofMillis(300), 1, 10);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<Object> first = client.submit(() -> send(oneWorker, "first"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains("first"));

            assertThatThrownBy(() -> send(oneWorker, "second")).isInstanceOfSatisfying(CommandNotAnswered.class, e -> {
                assertThat(e.reason()).isEqualTo(CommandNotAnswered.Reason.NOT_STARTED_IN_TIME);
                assertThat(e.mayHaveBeenApplied()).isFalse();
            });
            release.countDown();
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CommandNotAnswered.class);
            // the worker takes the queue in order: once a third command ran, the second had its turn and was dropped
            assertThat((String) send(execution(Duration.ofSeconds(10), 1, 10), "third")).isEqualTo("appended");
            assertThat((String) send(oneWorker, "fourth")).isEqualTo("appended");
            assertThat(ran).containsExactlyInAnyOrder("first", "third", "fourth");
        } finally {
            client.shutdownNow();
        }
    }

    @Test
    void aCommandFindingEveryWorkerBusyAndTheQueueFullIsToldAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        bus.subscribe(String.class.getName(), command -> {
            started.incrementAndGet();
            release.await(30, TimeUnit.SECONDS);
            return "appended";
        });
        CommandExecution small = execution(Duration.ofSeconds(30), 1, 1);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            Future<Object> running = clients.submit(() -> send(small, "running"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 1);
            Future<Object> queued = clients.submit(() -> send(small, "queued"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThatThrownBy(() -> send(small, "third"))
                            .isInstanceOfSatisfying(CommandNotAnswered.class,
                                    e -> assertThat(e.reason()).isEqualTo(CommandNotAnswered.Reason.BUSY)));
            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("appended");
            assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("appended");
        } finally {
            clients.shutdownNow();
        }
    }
}
