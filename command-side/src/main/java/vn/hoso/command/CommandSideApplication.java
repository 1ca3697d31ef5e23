package vn.hoso.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The command side: takes dossier commands over HTTP and appends their events to the MongoDB event store. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CommandSideApplication {

    public static void main(String[] args) {
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
