package vn.hoso.query.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import vn.hoso.events.EventJson;
import vn.hoso.query.search.SearchIndex;

import java.io.InputStream;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An index created by an earlier version (its strict mapping without a field this version writes) takes the new
 * mapping when a query side starts on it, instead of refusing, and so parking, every document with the new field.
 */
class SearchMappingIT {

    @Test
    void anIndexFromAnEarlierVersionLearnsTheNewFieldsAtStart() throws Exception {
        try (ElasticsearchServer elasticsearch = ElasticsearchServer.start();
             RestClient rest = RestClient.builder(HttpHost.create(elasticsearch.url())).build()) {
            String alias = "dossiers-mapping-" + UUID.randomUUID().toString().substring(0, 8);
            Http http = new Http(elasticsearch.url());
            ObjectNode body;
            try (InputStream mapping = SearchIndex.class.getClassLoader().getResourceAsStream("search/dossiers-index.json")) {
                body = (ObjectNode) Http.JSON.readTree(mapping);
            }
            ((ObjectNode) body.path("mappings").path("properties")).remove("dueAtProvisional"); // as before it existed
            body.putObject("aliases").putObject(alias).put("is_write_index", true);
            assertThat(http.put("/" + alias + "-v1", body.toString()).status()).isEqualTo(200);
            String document = "{\"dossierId\":\"d-1\",\"lastSequence\":1,\"dueAtProvisional\":true}";
            assertThat(http.put("/" + alias + "/_doc/d-1", document).status()).as("the old mapping refuses the field")
                    .isEqualTo(400);

            ElasticsearchClient client = new ElasticsearchClient(new RestClientTransport(rest,
                    new JacksonJsonpMapper(EventJson.mapper())));
            new SearchIndex(client, 0, alias).ensureExists();

            assertThat(http.put("/" + alias + "/_doc/d-1", document).status()).isEqualTo(201);
            JsonNode mapping = http.get("/" + alias + "/_mapping").body();
            assertThat(mapping.path(alias + "-v1").path("mappings").path("properties").path("dueAtProvisional")
                    .path("type").asText()).isEqualTo("boolean");
            assertThat(http.delete("/" + alias + "-v1").status()).isEqualTo(200);
        }
    }

    /**
     * The layout is configuration: a new index takes its shards, replicas and refresh interval from it, and an index
     * made with other replicas and refresh interval takes the configured ones at the next start (a cluster grown from
     * one node to three gets its replica without a rebuild); its primary shards stay until a rebuild.
     */
    @Test
    void theIndexLayoutFollowsTheConfiguration() throws Exception {
        try (ElasticsearchServer elasticsearch = ElasticsearchServer.start();
             RestClient rest = RestClient.builder(HttpHost.create(elasticsearch.url())).build()) {
            String alias = "dossiers-layout-" + UUID.randomUUID().toString().substring(0, 8);
            Http http = new Http(elasticsearch.url());
            ElasticsearchClient client = new ElasticsearchClient(new RestClientTransport(rest,
                    new JacksonJsonpMapper(EventJson.mapper())));
            new SearchIndex(client, new SearchIndex.Layout(2, 0, "1s"), alias, SearchIndex.MAPPING).ensureExists();
            JsonNode created = http.get("/" + alias + "-v1/_settings").body().path(alias + "-v1").path("settings")
                    .path("index");
            assertThat(created.path("number_of_shards").asText()).isEqualTo("2");
            assertThat(created.path("number_of_replicas").asText()).isEqualTo("0");
            assertThat(created.path("refresh_interval").asText()).isEqualTo("1s");

            new SearchIndex(client, new SearchIndex.Layout(3, 1, "5s"), alias, SearchIndex.MAPPING).ensureExists();
            JsonNode changed = http.get("/" + alias + "-v1/_settings").body().path(alias + "-v1").path("settings")
                    .path("index");
            assertThat(changed.path("number_of_replicas").asText()).isEqualTo("1");
            assertThat(changed.path("refresh_interval").asText()).isEqualTo("5s");
            assertThat(changed.path("number_of_shards").asText()).as("primary shards change only in a rebuild")
                    .isEqualTo("2");

            // a rebuild's new version: the configured primary shards, built with no replicas and no refresh
            SearchIndex rebuilt = new SearchIndex(client, new SearchIndex.Layout(3, 1, "5s"), alias, SearchIndex.MAPPING);
            String version = rebuilt.createVersion();
            JsonNode building = http.get("/" + version + "/_settings").body().path(version).path("settings")
                    .path("index");
            assertThat(building.path("number_of_shards").asText()).isEqualTo("3");
            assertThat(building.path("number_of_replicas").asText()).isEqualTo("0");
            assertThat(building.path("refresh_interval").asText()).isEqualTo("-1");
            assertThat(http.delete("/" + version).status()).isEqualTo(200);
            assertThat(http.delete("/" + alias + "-v1").status()).isEqualTo(200);
        }
    }
}
