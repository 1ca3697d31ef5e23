package vn.hoso.query.lookup;

import jakarta.servlet.http.HttpServletRequest;

import java.util.List;

/** Who a request counts against: its peer, or, through a trusted proxy, the client the proxy names. */
final class ClientAddress {

    private ClientAddress() {
    }

    /**
     * The peer's address; when the peer is one of {@code trustedProxies}, the last address of {@code X-Forwarded-For}
     * that is not itself a trusted proxy (the addresses before it were written by the client, who may write anything).
     */
    static String of(HttpServletRequest request, List<String> trustedProxies) {
        String peer = request.getRemoteAddr();
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        java.util.Enumeration<String> headers = request.getHeaders("X-Forwarded-For");
        List<String> hops = new java.util.ArrayList<>();
        while (headers != null && headers.hasMoreElements()) {
            for (String hop : headers.nextElement().split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!trustedProxies.contains(hop)) {
                return hop.length() > 64 ? hop.substring(0, 64) : hop;
            }
        }
        return peer;
    }
}
