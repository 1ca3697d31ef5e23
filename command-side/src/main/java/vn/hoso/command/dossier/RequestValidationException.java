package vn.hoso.command.dossier;

import java.util.List;

/**
 * A request refused for its fields: each fault names the field and a message key ({@code invalid.<key>} in
 * {@code messages*.properties}, told in the caller's language), never the value sent, which may be personal.
 */
public class RequestValidationException extends RuntimeException {

    private final List<Fault> faults;

    public RequestValidationException(List<Fault> faults) {
        super("invalid fields: " + faults.stream().map(Fault::field).toList());
        this.faults = List.copyOf(faults);
    }

    /** One field at fault: {@code key} of the message ({@code invalid.<key>}) and its arguments. */
    public RequestValidationException(String field, String key, Object... args) {
        this(List.of(new Fault(field, key, args)));
    }

    public List<Fault> faults() {
        return faults;
    }

    /** One field at fault and the key of what is wrong with it (the message never repeats the value). */
    public record Fault(String field, String key, Object... args) {
    }

    /** A field at fault as the caller reads it. */
    public record FieldProblem(String field, String message) {
    }
}
