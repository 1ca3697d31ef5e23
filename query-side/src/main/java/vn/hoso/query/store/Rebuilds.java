package vn.hoso.query.store;

import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;
import vn.hoso.query.completeness.CompletenessCheck;

import java.time.Clock;
import java.time.Duration;

/**
 * Makes the {@link ReadModelRebuild} of each versioned read model, with the settings they share
 * ({@code hoso.rebuild.*}): how long the version not in use after a switch is kept current ({@code retain-previous},
 * 1 h), how often the loop looks ({@code poll}, 500 ms) and how many events it reads per batch ({@code batch-size},
 * 2,000).
 */
@Component
public class Rebuilds {

    private final MongoDatabase readModelDatabase;
    private final EventStore eventStore;
    private final PositionedMongoEventStorageEngine engine;
    private final Serializer serializer;
    private final MeterRegistry meters;
    private final Duration retainPrevious;
    private final Duration poll;
    private final int batchSize;
    private final ObjectProvider<CompletenessCheck> completeness;

    public Rebuilds(MongoDatabase readModelDatabase, EventStore eventStore, PositionedMongoEventStorageEngine engine,
                    Serializer serializer, MeterRegistry meters,
                    @Value("${hoso.rebuild.retain-previous:1h}") Duration retainPrevious,
                    @Value("${hoso.rebuild.poll:500ms}") Duration poll,
                    @Value("${hoso.rebuild.batch-size:2000}") int batchSize,
                    ObjectProvider<CompletenessCheck> completeness) {
        this.readModelDatabase = readModelDatabase;
        this.eventStore = eventStore;
        this.engine = engine;
        this.serializer = serializer;
        this.meters = meters;
        this.retainPrevious = retainPrevious;
        this.poll = poll;
        this.batchSize = batchSize;
        this.completeness = completeness;
    }

    /**
     * The rebuild loop of one read model.
     *
     * @param wallClock leases and retirement run on the wall clock, never on a test's domain clock
     */
    public <S> ReadModelRebuild<S> of(VersionedReadModel<S> model, Clock wallClock) {
        return new ReadModelRebuild<>(readModelDatabase, model, eventStore, engine, serializer, meters,
                wallClock, retainPrevious, poll, batchSize,
                processor -> completeness.getObject().deliveredUpTo(processor),
                processor -> completeness.getObject().reachedAtMost(processor));
    }
}
