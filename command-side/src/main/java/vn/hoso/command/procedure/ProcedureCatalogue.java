package vn.hoso.command.procedure;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The procedures dossiers can be submitted for, by procedure code. */
public final class ProcedureCatalogue {

    public static final String DEFAULT_RESOURCE = "procedures/catalogue.json";

    private final Map<String, Procedure> byCode;

    public ProcedureCatalogue(Collection<Procedure> procedures) {
        this.byCode = procedures.stream().collect(Collectors.toUnmodifiableMap(Procedure::code, Function.identity()));
    }

    public static ProcedureCatalogue loadFromClasspath(String resource) {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try (InputStream in = ProcedureCatalogue.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("procedure catalogue not found on the classpath: " + resource);
            }
            CatalogueFile file = mapper.readValue(in, CatalogueFile.class);
            return new ProcedureCatalogue(file.procedures());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the procedure catalogue " + resource, e);
        }
    }

    public Optional<Procedure> find(String code) {
        return Optional.ofNullable(code).map(byCode::get);
    }

    public Collection<Procedure> all() {
        return byCode.values();
    }

    private record CatalogueFile(String note, List<Procedure> procedures) {
    }
}
