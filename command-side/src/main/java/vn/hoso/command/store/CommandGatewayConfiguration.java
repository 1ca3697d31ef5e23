package vn.hoso.command.store;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Commands are retried where Axon marks the failure transient: above all a {@link
 * org.axonframework.modelling.command.ConcurrencyException}, when another instance (or another request on this one)
 * appended to the same dossier between this command's load and its append, and the store's unique
 * {@code (aggregateIdentifier, sequenceNumber)} key refused the append. The retry loads the dossier again and decides
 * on what is stored now: a command with {@code If-Match} then gets its version check's 409, one without is applied to
 * the newer state. Up to 4 retries, 20, 40, 80, 160 ms apart; the answer is given after the last.
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
                .retryScheduler(ExponentialBackOffIntervalRetryScheduler.builder()
                        .retryExecutor(commandRetries)
                        .backoffFactor(20)
                        .maxRetryCount(4)
                        .build())
                .build();
    }
}
