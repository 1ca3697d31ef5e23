package vn.hoso.command.store;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Axon's aggregate cache on a size-bounded Caffeine cache: warm dossiers load without reading their events. Several
 * instances append to the same dossiers without routing, so a warm dossier is used only after one key lookup shows
 * that the store has no event after its version (another instance may have appended one); otherwise it is dropped and
 * loaded from the store. Axon also evicts an entry when a unit of work on it rolls back.
 */
final class BoundedAggregateCache implements Cache {

    private static final Field VERSION = versionField();

    private final com.github.benmanes.caffeine.cache.Cache<Object, Object> entries;
    private final BiPredicate<String, Long> storeHasEvent;
    private final LongAdder stale = new LongAdder();

    /** @param storeHasEvent whether the store holds the event of this dossier with this sequence number (a key lookup) */
    BoundedAggregateCache(long maximumSize, BiPredicate<String, Long> storeHasEvent) {
        this.entries = Caffeine.newBuilder().maximumSize(maximumSize).recordStats().build();
        this.storeHasEvent = storeHasEvent;
    }

    private static Field versionField() {
        try {
            Field version = AggregateCacheEntry.class.getDeclaredField("version");
            version.setAccessible(true);
            return version;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Axon's AggregateCacheEntry has no version field: check the cache", e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        Object value = entries.getIfPresent(key);
        if (value instanceof AggregateCacheEntry<?> entry && isBehindTheStore(key, entry)) {
            entries.invalidate(key);
            stale.increment();
            return null;
        }
        return (V) value;
    }

    private boolean isBehindTheStore(Object key, AggregateCacheEntry<?> entry) {
        try {
            Long version = (Long) VERSION.get(entry);
            return version != null && storeHasEvent.test(key.toString(), version + 1);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many warm dossiers were found behind the store (changed by another instance) and reloaded. */
    long staleEntries() {
        return stale.sum();
    }

    @Override
    public void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.asMap().putIfAbsent(key, value) == null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        return (T) entries.get(key, k -> valueSupplier.get());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        entries.asMap().computeIfPresent(key, (k, v) -> update.apply((V) v));
    }

    @Override
    public boolean remove(Object key) {
        return entries.asMap().remove(key) != null;
    }

    @Override
    public void removeAll() {
        entries.invalidateAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.asMap().containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        // Axon's caching repository registers no listeners; nothing to notify
        return () -> true;
    }

    long size() {
        return entries.estimatedSize();
    }

    double hitRate() {
        return entries.stats().hitRate();
    }
}
