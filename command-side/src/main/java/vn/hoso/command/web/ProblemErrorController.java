package vn.hoso.command.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page of the servlet container ({@code /error}): a request refused before it reached a controller (by
 * the container, the firewall, a filter) is answered with the problem document for its status, like any other
 * refusal. Asked for directly, there is nothing there: 404.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    private final Problems problems;

    public ProblemErrorController(Problems problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        return problems.forStatus(status instanceof Integer code && code >= 400 ? code : 404);
    }
}
