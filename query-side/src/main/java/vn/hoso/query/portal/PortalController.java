package vn.hoso.query.portal;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the pages need to know of their deployment: where to sign in, as which client, where to send commands. */
@RestController
public class PortalController {

    private final PortalProperties properties;

    public PortalController(PortalProperties properties) {
        this.properties = properties;
    }

    /**
     * The pages' settings.
     *
     * @param authorizationServer where to sign in (null: sign-in is not set up here)
     * @param commandApi          where commands go (null: the pages only read)
     */
    public record PortalSettings(String authorizationServer, String clientId, String commandApi) {
    }

    @GetMapping(path = "/portal/config.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<PortalSettings> settings() {
        return ResponseEntity.ok().cacheControl(CacheControl.noCache())
                .body(new PortalSettings(properties.authorizationServer(), properties.clientId(),
                        properties.commandApi()));
    }
}
