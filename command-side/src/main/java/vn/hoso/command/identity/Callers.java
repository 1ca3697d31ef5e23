package vn.hoso.command.identity;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import vn.hoso.access.Caller;
import vn.hoso.web.CallerAuthentication;

/** The caller of the request being handled (every API request is authenticated before it reaches a controller). */
@Component
public class Callers {

    public Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof CallerAuthentication caller) {
            return caller.caller();
        }
        throw new IllegalStateException("an API request reached a controller without an access token");
    }
}
