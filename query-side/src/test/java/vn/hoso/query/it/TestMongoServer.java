package vn.hoso.query.it;

/** Where the integration tests' MongoDB is: the server {@code MONGODB_URI} names (without database), else none. */
public final class TestMongoServer {

    private TestMongoServer() {
    }

    /** {@code mongodb://host:port} of {@code MONGODB_URI}, or null when it is not set (tests start an emulator). */
    public static String fromEnvironment() {
        String external = System.getenv("MONGODB_URI");
        if (external == null || external.isBlank()) {
            return null;
        }
        String base = external.contains("?") ? external.substring(0, external.indexOf('?')) : external;
        int slash = base.indexOf('/', "mongodb://".length());
        return slash < 0 ? base : base.substring(0, slash);
    }
}
