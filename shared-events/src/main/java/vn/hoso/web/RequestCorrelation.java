package vn.hoso.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request a correlation id, on both sides, before anything else runs (registered first by
 * {@link ApiWebConfiguration}): the caller's {@code X-Request-Id} when it is sane, a new one otherwise. It is echoed
 * in the response, put in the logging context, kept as a request attribute for the container's error dispatch (so that
 * a request that failed in a filter is answered with the same id), named in every problem document
 * ({@code requestId}, and {@code instance} as {@code urn:hoso:request:<id>}) and, on the command side, carried into
 * the events' metadata.
 */
public class RequestCorrelation extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String REQUEST_ID = "requestId";
    private static final String ATTRIBUTE = RequestCorrelation.class.getName() + ".id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    /** The request id of the request being served on this thread, or null outside one. */
    public static String current() {
        return MDC.get(REQUEST_ID);
    }

    /** The problem's {@code instance} for the request being served: its request id as a URN. */
    public static java.net.URI instance(String requestId) {
        return java.net.URI.create("urn:hoso:request:" + (requestId != null ? requestId : UUID.randomUUID()));
    }

    /**
     * The request's id: the one given to it already (in an earlier dispatch), else the caller's sane
     * {@code X-Request-Id}, else a new one; kept on the request. Also used by the container's own refusals, which
     * no filter sees.
     */
    public static String of(jakarta.servlet.ServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof String id) {
            return id;
        }
        String given = request instanceof HttpServletRequest http ? http.getHeader(HEADER) : null;
        String requestId = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, requestId);
        return requestId;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false; // the error page answers with the id of the request that failed
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterNestedErrorDispatch(HttpServletRequest request, HttpServletResponse response,
                                               FilterChain chain) throws ServletException, IOException {
        doFilterInternal(request, response, chain);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = of(request);
        String outer = MDC.get(REQUEST_ID);
        MDC.put(REQUEST_ID, requestId);
        response.setHeader(HEADER, requestId);
        try {
            chain.doFilter(request, response);
        } finally {
            if (outer != null) {
                MDC.put(REQUEST_ID, outer);
            } else {
                MDC.remove(REQUEST_ID);
            }
        }
    }
}
