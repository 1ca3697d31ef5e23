package vn.hoso.query.web;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import vn.hoso.access.AccessPolicy;
import vn.hoso.access.Caller;
import vn.hoso.web.CallerAuthentication;

/** The caller of the request being handled (every API request is authenticated before it reaches a controller). */
public final class Callers {

    private Callers() {
    }

    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof CallerAuthentication caller) {
            return caller.caller();
        }
        throw new IllegalStateException("an API request reached a controller without an access token");
    }

    /** The caller, who must be an operator: the operator endpoints are theirs alone ({@link AccessPolicy#mayOperate}). */
    public static Caller operator() {
        Caller caller = current();
        if (!AccessPolicy.mayOperate(caller)) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "operatorsOnly");
        }
        return caller;
    }
}
