package vn.hoso.command.store;

import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import vn.hoso.eventstore.AppendOutcomeUnknownException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs every dossier command, answered once and in bounded time ({@code hoso.commands.*}):
 * <ul>
 *   <li>A refusal (a rule of the dossier, a validation, a missing dossier) is decided once and answered at once: it is
 *   never retried.</li>
 *   <li>Only a transient failure is retried, on the dossier as stored now, up to {@code max-retries} times with a
 *   doubling back-off and never past the command's time: an append that collided with another one (the store's
 *   unique {@code (aggregateIdentifier, sequenceNumber)} key refused it), or a store connection lost before anything
 *   was appended. An append whose outcome the store could not tell ({@link AppendOutcomeUnknownException}) is never
 *   retried: it may have landed.</li>
 *   <li>Commands run on a pool of workers, each retry on the worker of its own command: retries never wait behind
 *   each other on one thread.</li>
 *   <li>Every command is answered within {@code timeout}, or with {@link CommandNotAnswered} (a 503 with
 *   {@code Retry-After}) that says whether it may still be applied: a command still waiting for a worker when its
 *   time runs out is dropped and never runs; one running then may complete.</li>
 * </ul>
 */
@Component
public class CommandExecution implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CommandExecution.class);
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int DROPPED = 2;

    private final CommandGateway gateway;
    private final CommandProperties properties;
    private final ThreadPoolExecutor workers;
    private final Counter retries;
    private final Counter busy;
    private final Counter timedOut;
    private final Counter unknown;

    public CommandExecution(CommandGateway gateway, CommandProperties properties, MeterRegistry meters) {
        this.gateway = gateway;
        this.properties = properties;
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(properties.workers(), properties.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(Math.max(1, properties.maxQueued())), r -> {
            Thread thread = new Thread(r, "hoso-command-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        workers.allowCoreThreadTimeOut(true);
        this.retries = counter(meters, "retried");
        this.busy = counter(meters, "busy");
        this.timedOut = counter(meters, "timed-out");
        this.unknown = counter(meters, "outcome-unknown");
        Gauge.builder("hoso.commands.running", workers, ThreadPoolExecutor::getActiveCount)
                .description("commands running on this instance now").register(meters);
        Gauge.builder("hoso.commands.queued", workers, w -> w.getQueue().size())
                .description("commands waiting for a worker").register(meters);
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("hoso.commands.unanswered.or.retried").tag("outcome", outcome)
                .description("commands retried, or not answered with their result (busy, timed out, outcome unknown)")
                .register(meters);
    }

    /** Runs the command within its time; returns its result or throws its refusal, or {@link CommandNotAnswered}. */
    public <R> R send(CommandMessage<?> command) {
        return call(() -> dispatch(command));
    }

    /**
     * Runs {@code work} (a command and what must happen around it: reads, a dossier code's reservation) on a command
     * worker within {@code hoso.commands.timeout}; the request's logging context goes along. Whatever the work needs
     * from the request's thread (its caller, its request id) must be taken before.
     */
    public <R> R call(Supplier<R> work) {
        long deadline = System.nanoTime() + properties.timeout().toNanos();
        Task<R> task = new Task<>(work, deadline, MDC.getCopyOfContextMap());
        try {
            workers.execute(task);
        } catch (RejectedExecutionException full) {
            busy.increment();
            throw new CommandNotAnswered(CommandNotAnswered.Reason.BUSY, Duration.ofSeconds(1), "all "
                    + properties.workers() + " command workers are busy and " + properties.maxQueued()
                    + " commands wait: the command was not started", null);
        }
        try {
            return task.result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            timedOut.increment();
            if (task.state.compareAndSet(NEW, DROPPED)) {
                throw new CommandNotAnswered(CommandNotAnswered.Reason.NOT_STARTED_IN_TIME, Duration.ofSeconds(1),
                        "the command waited " + properties.timeout() + " for a worker: dropped, not applied", null);
            }
            log.warn("a command ran past its {}: answered 503, it may still complete", properties.timeout());
            throw new CommandNotAnswered(CommandNotAnswered.Reason.RUNNING_PAST_ITS_TIME, Duration.ofSeconds(2),
                    "the command ran past " + properties.timeout() + ": it may still be applied", null);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CommandNotAnswered(CommandNotAnswered.Reason.RUNNING_PAST_ITS_TIME, Duration.ofSeconds(2),
                    "interrupted while the command ran: it may still be applied", interrupted);
        }
    }

    /**
     * Dispatches a command on this thread (a command worker, inside {@link #call}), retried after a transient failure
     * while its time lasts; an append of unknown outcome is {@link CommandNotAnswered} and never retried.
     */
    public <R> R dispatch(CommandMessage<?> command) {
        Long given = DEADLINE.get();
        long deadline = given != null ? given : System.nanoTime() + properties.timeout().toNanos();
        long backoff = properties.retryBackoff().toNanos();
        for (int attempt = 0; ; attempt++) {
            try {
                return gateway.sendAndWait(command);
            } catch (RuntimeException failure) {
                AppendOutcomeUnknownException outcome = outcomeUnknown(failure);
                if (outcome != null) {
                    unknown.increment();
                    log.error("{}: {}", command.getCommandName(), outcome.getMessage(), outcome);
                    throw new CommandNotAnswered(CommandNotAnswered.Reason.OUTCOME_UNKNOWN, Duration.ofSeconds(5),
                            outcome.getMessage(), failure);
                }
                if (!transientFailure(failure) || attempt >= properties.maxRetries()
                        || System.nanoTime() + backoff >= deadline) {
                    throw failure;
                }
                retries.increment();
                log.info("{} met a transient failure ({}): retry {} in {} ms", command.getCommandName(),
                        failure.getClass().getSimpleName(), attempt + 1, TimeUnit.NANOSECONDS.toMillis(backoff));
                try {
                    TimeUnit.NANOSECONDS.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
                backoff *= 2;
            }
        }
    }

    /**
     * Whether a failure may be retried: the append collided, or the store's connection failed before anything was
     * appended; never when an append's outcome is unknown.
     */
    static boolean transientFailure(Throwable failure) {
        boolean retry = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof AppendOutcomeUnknownException) {
                return false;
            }
            if (cause instanceof ConcurrencyException || cause instanceof MongoSocketException
                    || cause instanceof MongoTimeoutException || cause instanceof MongoNotPrimaryException
                    || cause instanceof MongoNodeIsRecoveringException) {
                retry = true;
            }
        }
        return retry;
    }

    static AppendOutcomeUnknownException outcomeUnknown(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof AppendOutcomeUnknownException unknown) {
                return unknown;
            }
        }
        return null;
    }

    @Override
    public void destroy() {
        workers.shutdown();
    }

    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

    private static final class Task<R> implements Runnable {
        private final Supplier<R> work;
        private final long deadline;
        private final Map<String, String> context;
        private final AtomicInteger state = new AtomicInteger(NEW);
        private final CompletableFuture<R> result = new CompletableFuture<>();

        Task(Supplier<R> work, long deadline, Map<String, String> context) {
            this.work = work;
            this.deadline = deadline;
            this.context = context;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(NEW, RUNNING)) {
                return; // its caller was answered already: never started, never applied
            }
            if (context != null) {
                MDC.setContextMap(context);
            }
            DEADLINE.set(deadline);
            try {
                result.complete(work.get());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            } finally {
                DEADLINE.remove();
                MDC.clear();
            }
        }
    }
}
