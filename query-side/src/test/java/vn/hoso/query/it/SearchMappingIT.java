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
}
