package vn.hoso.query.store;

import com.mongodb.client.MongoClient;
import org.bson.Document;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;


/**
 * MongoDB health ({@code mongo}): a {@code ping} on the read models' and events' database. Part of readiness: without its event
 * store the command side must not take traffic. (Spring Boot's own indicator needs Spring Data, which this service
 * does not use.)
 */
@Component
class MongoHealthIndicator extends AbstractHealthIndicator {

    private final MongoClient client;
    private final String database;

    MongoHealthIndicator(MongoClient client, StoreProperties store) {
        super("MongoDB health check failed");
        this.client = client;
        this.database = store.database();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long start = System.nanoTime();
        Document reply = client.getDatabase(database).runCommand(new Document("ping", 1));
        builder.up()
                .withDetail("database", database)
                .withDetail("ping", reply.get("ok"))
                .withDetail("latencyMillis", (System.nanoTime() - start) / 1_000_000);
    }
}
