package vn.hoso.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * How events (and the read models built from them) are written as JSON, on both sides: Java time as ISO-8601 text,
 * and fields a reader does not know are ignored, so that an event written by a newer version still reads.
 */
public final class EventJson {

    private EventJson() {
    }

    /** A new mapper with these settings (mappers are mutable: each user gets its own). */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
