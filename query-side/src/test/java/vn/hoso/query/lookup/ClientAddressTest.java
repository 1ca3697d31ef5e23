package vn.hoso.query.lookup;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whom a lookup counts against: X-Forwarded-For is believed only from a trusted proxy, and only its own entry. */
class ClientAddressTest {

    private static final List<String> PROXIES = List.of("10.0.0.5", "10.0.0.6");

    @Test
    void anUntrustedPeerIsTheClientWhateverItsHeaderSays() {
        MockHttpServletRequest request = request("203.0.113.9", "198.51.100.1");
        assertThat(ClientAddress.of(request, PROXIES)).isEqualTo("203.0.113.9");
        assertThat(ClientAddress.of(request, List.of())).isEqualTo("203.0.113.9");
    }

    @Test
    void throughTrustedProxiesTheClientIsTheLastAddressNoProxyWrote() {
        // the client wrote 1.1.1.1 itself; the first proxy appended the client's real address, the second the first's
        assertThat(ClientAddress.of(request("10.0.0.5", "1.1.1.1, 198.51.100.1, 10.0.0.6"), PROXIES))
                .isEqualTo("198.51.100.1");
        assertThat(ClientAddress.of(request("10.0.0.5", null), PROXIES)).isEqualTo("10.0.0.5");
    }

    private static MockHttpServletRequest request(String peer, String forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/public/dossier-status");
        request.setRemoteAddr(peer);
        if (forwardedFor != null) {
            request.addHeader("X-Forwarded-For", forwardedFor);
        }
        return request;
    }
}
