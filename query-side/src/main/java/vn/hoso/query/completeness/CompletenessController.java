package vn.hoso.query.completeness;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.query.web.Callers;

import java.time.Instant;

/** Runs a completeness check ({@code deploy/check-completeness.sh} calls it). Operators only. */
@RestController
@RequestMapping(path = "/api/v1/operator/completeness-checks", produces = MediaType.APPLICATION_JSON_VALUE)
public class CompletenessController {

    private final CompletenessCheck check;

    public CompletenessController(CompletenessCheck check) {
        this.check = check;
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
