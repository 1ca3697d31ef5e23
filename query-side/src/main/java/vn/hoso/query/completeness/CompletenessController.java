package vn.hoso.query.completeness;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.query.web.Callers;

import java.time.Instant;

/**
 * Runs a full completeness check ({@code deploy/check-completeness.sh} calls it) and shows the last automatic one.
 * Operators only.
 */
@RestController
@RequestMapping(path = "/api/v1/operator/completeness-checks", produces = MediaType.APPLICATION_JSON_VALUE)
public class CompletenessController {

    private final CompletenessCheck check;
    private final AutomaticCompletenessCheck automatic;

    public CompletenessController(CompletenessCheck check, AutomaticCompletenessCheck automatic) {
        this.check = check;
        this.automatic = automatic;
    }

    @Operation(summary = "The last automatic completeness check (any instance's) and the position it has checked up to")
    @GetMapping("/last")
    public java.util.Map<String, Object> last() {
        Callers.operator();
        return automatic.lastRun();
    }

    @Operation(summary = "Compare every dossier (or those with events since a moment) in the store with each read"
            + " model, and repair what is behind")
    @PostMapping
    public CompletenessCheck.Report run(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant since) {
        Callers.operator();
        return check.run(since);
    }
}
