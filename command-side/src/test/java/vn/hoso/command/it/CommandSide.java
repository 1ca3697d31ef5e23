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

    /** With {@code clock} as the command side's "now". */
    static CommandSide start(TestMongo mongo, java.time.Clock clock, String... extraArgs) {
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--server.port=0",
                        "--spring.data.mongodb.uri=" + mongo.uri(),
                        "--hoso.store.database=" + mongo.database(),
                        "--logging.level.root=WARN",
                        "--spring.main.banner-mode=off"), java.util.Arrays.stream(extraArgs)).toArray(String[]::new);
        org.springframework.boot.SpringApplication application = CommandSideApplication.application();
        application.addInitializers(c -> c.getBeanFactory().registerSingleton("testClock", clock));
        ConfigurableApplicationContext context = application.run(args);
        return new CommandSide(context);
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
