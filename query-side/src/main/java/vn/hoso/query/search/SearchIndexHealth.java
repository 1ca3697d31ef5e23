package vn.hoso.query.search;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness of the search index itself: DOWN, with what to do, while its alias is missing (the index was deleted).
 * Projection then waits (writes require the alias, so nothing re-creates a plain index by accident) and searches would
 * answer from nothing.
 */
@Component("searchIndexHealthIndicator") // shown as "searchIndex"
class SearchIndexHealth extends AbstractHealthIndicator {

    private final SearchIndex index;

    SearchIndexHealth(SearchIndex index) {
        super("search index unreadable");
        this.index = index;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        index.unwritable().ifPresentOrElse(reason -> builder.down().withDetail("reason", reason),
                () -> builder.up().withDetail("alias", index.alias()));
    }
}
