package vn.hoso.deploy;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.util.Set;

/**
 * An H2 backend that commits its store after every write command, before the reply leaves the server.
 * <p>
 * The plain H2 backend writes behind by about a second: a killed process loses the writes it already
 * acknowledged. Committing after each write puts them in the file (the operating system's cache) before the
 * client hears back, so a killed process loses nothing it acknowledged. It does not force the data to the disk
 * ({@code fsync}): a power cut can still lose the last writes.
 */
public class DurableH2Backend extends H2Backend {

    private static final Set<String> WRITE_COMMANDS = Set.of(
            "insert", "update", "delete", "findandmodify", "createindexes", "dropindexes", "drop",
            "dropdatabase", "create", "renamecollection");

    private final boolean commitEachWrite;

    public DurableH2Backend(MVStore store, boolean commitEachWrite) {
        super(store);
        this.commitEachWrite = commitEachWrite;
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        Document reply = super.handleCommand(channel, databaseName, command, query);
        if (commitEachWrite && WRITE_COMMANDS.contains(command.toLowerCase())) {
            commit();
        }
        return reply;
    }
}
