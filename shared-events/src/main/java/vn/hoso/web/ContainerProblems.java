package vn.hoso.web;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/**
 * Requests Tomcat refuses itself, before any filter (a malformed path such as {@code %ZZ} or an encoded NUL, a
 * request line or headers past the limits): answered with a problem document in the caller's language instead of
 * Tomcat's HTML page. Replaces the host's error report valve, the way Spring Boot configures it.
 */
public class ContainerProblems implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> context.addLifecycleListener(event -> {
            if (Lifecycle.START_EVENT.equals(event.getType())) {
                replaceErrorReportValve(((Context) event.getLifecycle()).getParent());
            }
        }));
    }

    private static void replaceErrorReportValve(Container host) {
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof ProblemValve)) {
                host.getPipeline().removeValve(valve);
                host.getPipeline().addValve(new ProblemValve());
            }
        }
    }

    /** Writes a problem document for an error status nobody answered. */
    static final class ProblemValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            boolean english = InboundRequests.language(request.getHeader("Accept-Language")) == Locale.ENGLISH;
            String code = switch (status) {
                case 404 -> "NOT_FOUND";
                case 405 -> "METHOD_NOT_ALLOWED";
                case 413 -> "PAYLOAD_TOO_LARGE";
                default -> status >= 500 ? "INTERNAL_ERROR" : "MALFORMED_REQUEST";
            };
            String detail = switch (code) {
                case "NOT_FOUND" -> english ? "There is nothing at this address." : "Không có gì ở địa chỉ này.";
                case "METHOD_NOT_ALLOWED" -> english ? "This method is not allowed here."
                        : "Phương thức này không được phép ở đây.";
                case "PAYLOAD_TOO_LARGE" -> english ? "The request is too large." : "Yêu cầu quá lớn.";
                case "INTERNAL_ERROR" -> english ? "Something went wrong on our side."
                        : "Đã có lỗi ở phía hệ thống.";
                default -> english ? "The request is malformed (its path, request line or headers)."
                        : "Yêu cầu không hợp lệ (đường dẫn, dòng yêu cầu hoặc tiêu đề).";
            };
            String requestId = RequestCorrelation.of(request);
            try {
                response.setHeader(RequestCorrelation.HEADER, requestId);
                response.setContentType("application/problem+json");
                response.setCharacterEncoding("UTF-8");
                response.setHeader("Content-Language", english ? "en" : "vi");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write("{\"type\":\"urn:hoso:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-')
                            + "\",\"title\":\"" + code + "\",\"status\":" + status + ",\"detail\":\"" + detail
                            + "\",\"instance\":\"" + RequestCorrelation.instance(requestId) + "\",\"code\":\"" + code
                            + "\",\"requestId\":\"" + requestId + "\"}");
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the connection is gone: nobody to answer
            }
        }
    }
}
