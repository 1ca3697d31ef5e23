package vn.hoso.command.it;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import vn.hoso.command.CommandSideApplication;

/** A running command side on a free port, started (and restarted) the way production starts it. */
final class CommandSide implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private CommandSide(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** On the tests' clock ({@link TestTime}): the same day whatever the machine's date. */
    static CommandSide start(TestMongo mongo, String... extraArgs) {
        return start(mongo, TestTime.CLOCK, extraArgs);
    }

    /**
     * With {@code clock} as the command side's "now". An extra argument replaces a default one of the same name (the
     * test issuer's, say): Spring does not let a later {@code --name=value} win, it joins repeated ones with commas.
     */
    static CommandSide start(TestMongo mongo, java.time.Clock clock, String... extraArgs) {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        java.util.stream.Stream.concat(java.util.stream.Stream.of("--server.port=0",
                        "--spring.data.mongodb.uri=" + mongo.uri(),
                        "--hoso.store.database=" + mongo.database(),
                        "--logging.level.root=WARN", "--logging.level.vn.hoso=INFO",
                        "--spring.main.banner-mode=off"), java.util.stream.Stream.concat(
                        TestIssuer.serviceArguments().stream(), java.util.Arrays.stream(extraArgs)))
                .forEach(arg -> settings.put(name(arg), arg));
        String[] args = settings.values().toArray(String[]::new);
        LogCapture.install();
        org.springframework.boot.SpringApplication application = CommandSideApplication.application();
        application.addInitializers(c -> c.getBeanFactory().registerSingleton("testClock", clock));
        ConfigurableApplicationContext context = application.run(args);
        return new CommandSide(context);
    }

    /** The property an argument {@code --name=value} sets. */
    private static String name(String arg) {
        int equals = arg.indexOf('=');
        return equals < 0 ? arg : arg.substring(0, equals);
    }

    Api api() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new Api("http://127.0.0.1:" + port);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    @Override
    public void close() {
        context.close();
    }
}
