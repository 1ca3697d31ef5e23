package vn.hoso.eventstore;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guarantees asked of a replica set by default, and the URI's own choice kept when it names one: writes by a
 * majority, journalled; the stream's reads at majority.
 */
class StoreGuaranteesTest {

    @Test
    void withoutAWordFromTheUriWritesWaitForAJournalledMajority() {
        MongoClientSettings.Builder settings = MongoClientSettings.builder();
        StoreGuarantees.apply(settings, new ConnectionString("mongodb://h1,h2,h3/hoso?replicaSet=rs0"));
        WriteConcern writes = settings.build().getWriteConcern();
        assertThat(writes.getWString()).isEqualTo("majority");
        assertThat(writes.getJournal()).isTrue();
        assertThat(PositionedMongoEventStorageEngine.durable(WriteConcern.ACKNOWLEDGED)).isEqualTo(StoreGuarantees.WRITES);
        assertThat(PositionedMongoEventStorageEngine.committed(ReadConcern.DEFAULT)).isEqualTo(ReadConcern.MAJORITY);
    }

    @Test
    void aUriThatNamesItsOwnIsTakenAtItsWord() {
        ConnectionString uri = new ConnectionString("mongodb://h1/hoso?w=1&readConcernLevel=local");
        MongoClientSettings.Builder settings = MongoClientSettings.builder().applyConnectionString(uri);
        StoreGuarantees.apply(settings, uri);
        WriteConcern writes = settings.build().getWriteConcern();
        assertThat(writes.getW()).isEqualTo(1);
        assertThat(PositionedMongoEventStorageEngine.durable(writes)).isEqualTo(writes);
        assertThat(PositionedMongoEventStorageEngine.committed(settings.build().getReadConcern()))
                .isEqualTo(ReadConcern.LOCAL);
    }
}
