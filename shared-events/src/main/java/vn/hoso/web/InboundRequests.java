package vn.hoso.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * What every request to either side is made to be before anything reads it (the first filter after
 * {@link RequestCorrelation}, registered by {@link ApiWebConfiguration}):
 * <ul>
 *     <li>a body over {@code hoso.http.max-body-bytes} is refused with 413 before it is read (by its
 *     {@code Content-Length}, or, sent in chunks, as soon as it passes the limit);</li>
 *     <li>its {@code Accept} always admits JSON, so that a refusal can always be told as a problem document (an
 *     {@code Accept} that cannot be parsed counts as {@code application/json}; one without JSON still gets what it
 *     asks for when an endpoint has it, a CSV report say, and JSON otherwise);</li>
 *     <li>its language is Vietnamese, or English when {@code Accept-Language} prefers English: the same for the
 *     answers of the security filters, the controllers and the error page.</li>
 * </ul>
 */
public class InboundRequests extends OncePerRequestFilter {

    public static final Locale VIETNAMESE = Locale.forLanguageTag("vi");
    private static final String JSON_FALLBACK = "application/json;q=0.001, application/problem+json;q=0.001";

    private final long maxBodyBytes;
    private final HandlerExceptionResolver problems;

    /** {@code problems}: the side's exception resolver, whose advice tells every refusal as a problem document. */
    public InboundRequests(long maxBodyBytes, HandlerExceptionResolver problems) {
        this.maxBodyBytes = maxBodyBytes;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Inbound inbound = new Inbound(request, maxBodyBytes);
        LocaleContext previous = LocaleContextHolder.getLocaleContext();
        LocaleContextHolder.setLocale(inbound.getLocale());
        try {
            if (request.getContentLengthLong() > maxBodyBytes) {
                problems.resolveException(inbound, response, null, new BodyTooLargeException(maxBodyBytes));
                return;
            }
            Outbound outbound = new Outbound(response);
            chain.doFilter(inbound, outbound);
            if (outbound.getStatus() >= 400 && !outbound.bodyTouched() && !outbound.isCommitted()
                    && !"HEAD".equals(request.getMethod()) && !request.isAsyncStarted()) {
                // a refusal without a body (a management endpoint's 404, say): told as a problem like any other
                LocaleContextHolder.setLocale(inbound.getLocale());
                problems.resolveException(inbound, response, null, new EmptyRefusal(outbound.getStatus()));
            }
        } finally {
            LocaleContextHolder.setLocaleContext(previous);
        }
    }

    /** The language of the answers to {@code acceptLanguage}: English when it prefers English, else Vietnamese. */
    public static Locale language(String acceptLanguage) {
        if (acceptLanguage == null) {
            return VIETNAMESE;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                if (range.getWeight() <= 0) {
                    continue;
                }
                String tag = range.getRange().toLowerCase(Locale.ROOT);
                if (tag.startsWith("en")) {
                    return Locale.ENGLISH;
                }
                if (tag.startsWith("vi")) {
                    return VIETNAMESE;
                }
            }
        } catch (RuntimeException unparseable) {
            // a header no one can read asks for nothing in particular (the JDK's parser throws more than
            // IllegalArgumentException: "-" fails with an ArrayIndexOutOfBoundsException)
        }
        return VIETNAMESE;
    }

    /** An error status some component answered without a body. */
    public static class EmptyRefusal extends RuntimeException {
        private final int status;

        EmptyRefusal(int status) {
            super("HTTP " + status + " without a body");
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Notes whether anything asked for the response's body. */
    private static final class Outbound extends jakarta.servlet.http.HttpServletResponseWrapper {
        private boolean touched;

        Outbound(HttpServletResponse response) {
            super(response);
        }

        boolean bodyTouched() {
            return touched;
        }

        @Override
        public jakarta.servlet.ServletOutputStream getOutputStream() throws IOException {
            touched = true;
            return super.getOutputStream();
        }

        @Override
        public java.io.PrintWriter getWriter() throws IOException {
            touched = true;
            return super.getWriter();
        }

        @Override
        public void sendError(int status) throws IOException {
            touched = true;
            super.sendError(status);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            touched = true;
            super.sendError(status, message);
        }
    }

    /** A request body past the limit. An {@link IOException}, so that it surfaces from any body reader. */
    public static class BodyTooLargeException extends IOException {
        private final long limit;

        public BodyTooLargeException(long limit) {
            super("the request body is larger than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }

        /** This refusal anywhere in {@code e}'s causes (a body reader wraps it), or null. */
        public static BodyTooLargeException in(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BodyTooLargeException tooLarge) {
                    return tooLarge;
                }
            }
            return null;
        }
    }

    private static final class Inbound extends HttpServletRequestWrapper {
        private final long maxBodyBytes;
        private final String accept;
        private final Locale locale;
        private ServletInputStream limited;

        Inbound(HttpServletRequest request, long maxBodyBytes) {
            super(request);
            this.maxBodyBytes = maxBodyBytes;
            this.accept = accept(request.getHeader("Accept"));
            this.locale = language(request.getHeader("Accept-Language"));
        }

        private static String accept(String asked) {
            if (asked == null) {
                return null;
            }
            if (asked.isBlank()) {
                // sent empty: as if absent (the Prometheus endpoint found no format for it and failed with a 500)
                return MediaType.ALL_VALUE;
            }
            try {
                MediaType.parseMediaTypes(asked);
                return asked + ", " + JSON_FALLBACK;
            } catch (IllegalArgumentException unparseable) { // InvalidMediaTypeException, a bad q value
                return MediaType.APPLICATION_JSON_VALUE;
            }
        }

        @Override
        public String getHeader(String name) {
            if ("Accept".equalsIgnoreCase(name) && accept != null) {
                return accept;
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if ("Accept".equalsIgnoreCase(name) && accept != null) {
                return Collections.enumeration(List.of(accept));
            }
            return super.getHeaders(name);
        }

        @Override
        public Locale getLocale() {
            return locale;
        }

        @Override
        public Enumeration<Locale> getLocales() {
            return Collections.enumeration(List.of(locale));
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new Limited(super.getInputStream(), maxBodyBytes);
            }
            return limited;
        }
    }

    private static final class Limited extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long read;

        Limited(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        private int counted(int n) throws IOException {
            if (n > 0) {
                read += n;
                if (read > max) {
                    throw new BodyTooLargeException(max);
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return counted(in.read(b, off, len));
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
