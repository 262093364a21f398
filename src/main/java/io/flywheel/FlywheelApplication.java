package io.flywheel;

import io.flywheel.demo.DemoCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FlywheelApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(DemoCommand.NAME)) {
            DemoCommand.run(args, FlywheelApplication.class);
            return;
        }
        SpringApplication.run(FlywheelApplication.class, args);
    }
}
