package vn.hoso.command.dossier;

import java.util.List;

/** A request that is well-formed JSON but whose values are wrong; carries every field at fault. */
public class RequestValidationException extends RuntimeException {

    private final List<FieldProblem> problems;

    public RequestValidationException(List<FieldProblem> problems) {
        super("invalid fields: " + problems.stream().map(FieldProblem::field).toList());
        this.problems = List.copyOf(problems);
    }

    public RequestValidationException(String field, String message) {
        this(List.of(new FieldProblem(field, message)));
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    /** One field at fault and what is wrong with it (the message never repeats the value, which may be personal). */
    public record FieldProblem(String field, String message) {
    }
}
