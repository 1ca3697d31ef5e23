package vn.hoso.command.store;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Commands are retried only when their append collided: a {@link
 * org.axonframework.modelling.command.ConcurrencyException}, when another instance (or another request on this one)
 * appended to the same dossier between this command's load and its append, and the store's unique
 * {@code (aggregateIdentifier, sequenceNumber)} key refused the append. The retry loads the dossier again and decides
 * on what is stored now: a command with {@code If-Match} then gets its version check's 409, one without is applied to
 * the newer state. Up to 4 retries, 20, 40, 80, 160 ms apart; the answer is given after the last. Any other failure,
 * a refusal by the dossier's rules above all, is answered at once.
 */
@Configuration(proxyBeanMethods = false)
class CommandGatewayConfiguration {

    @Bean(destroyMethod = "shutdown")
    ScheduledExecutorService commandRetries() {
        return Executors.newScheduledThreadPool(1, r -> {
            Thread thread = new Thread(r, "hoso-command-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    CommandGateway commandGateway(CommandBus commandBus, ScheduledExecutorService commandRetries) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(new ConcurrencyRetries(ExponentialBackOffIntervalRetryScheduler.builder()
                        .retryExecutor(commandRetries)
                        .backoffFactor(20)
                        .maxRetryCount(4)
                        .build()))
                .build();
    }

    /**
     * Retries a command only when its append collided with another ({@link ConcurrencyException} in the failure's
     * causes). Axon's schedulers retry every failure that is not marked non-transient, a refusal by the dossier's
     * rules included: a refusal would be decided five times and answered after all the back-off.
     */
    static final class ConcurrencyRetries implements RetryScheduler {

        private final RetryScheduler backOff;

        ConcurrencyRetries(RetryScheduler backOff) {
            this.backOff = backOff;
        }

        @Override
        @SuppressWarnings("rawtypes") // as Axon's interface declares it
        public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                     List<Class<? extends Throwable>[]> failures, Runnable commandDispatch) {
            return collided(lastFailure) && backOff.scheduleRetry(commandMessage, lastFailure, failures, commandDispatch);
        }

        static boolean collided(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (cause instanceof ConcurrencyException) {
                    return true;
                }
            }
            return false;
        }
    }
}
