package vn.hoso.query.store;

import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Whether this instance may process a processor's segments now. A read model this instance cannot write (the search
 * index rebuilt for a newer mapping, or one this version's mapping does not fit yet) closes its gate: the instance then
 * claims none of that processor's segments ({@link SegmentShare} gives it a share of zero and the other instances
 * larger ones), so that instances which can write it take them over, and nothing is parked meanwhile.
 */
@Component
public class ProcessorGates {

    private final Map<String, BooleanSupplier> gates = new ConcurrentHashMap<>();

    /** Registers the test of a processor's gate, asked on every coordinator cycle and heartbeat. */
    public void register(String processorName, BooleanSupplier open) {
        gates.put(processorName, open);
    }

    public boolean open(String processorName) {
        BooleanSupplier gate = gates.get(processorName);
        return gate == null || gate.getAsBoolean();
    }

    /** The processors whose gate is closed on this instance now. */
    public Set<String> closed() {
        Set<String> closed = new TreeSet<>();
        gates.forEach((name, gate) -> {
            if (!gate.getAsBoolean()) {
                closed.add(name);
            }
        });
        return closed;
    }
}
