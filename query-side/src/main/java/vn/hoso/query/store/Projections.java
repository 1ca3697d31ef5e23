package vn.hoso.query.store;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Builds the {@link BatchedProjection} of each read model, with the dead-letter queue of its processing group. */
@Component
public class Projections {

    private final OrderedApplier applier;
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final MeterRegistry meters;
    private final java.time.Clock clock;

    public Projections(OrderedApplier applier, ObjectProvider<EventProcessingConfiguration> processing,
                       MeterRegistry meters, java.time.Clock clock) {
        this.applier = applier;
        this.processing = processing;
        this.meters = meters;
        this.clock = clock;
    }

    public <S> BatchedProjection<S> batched(ReadModel<S> model) {
        return new BatchedProjection<>(model, applier, group -> processing.getObject().deadLetterQueue(group)
                .orElseThrow(() -> new IllegalStateException("processing group " + group + " has no dead-letter queue")),
                meters, clock);
    }
}
