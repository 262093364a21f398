package io.flywheel;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FlywheelApplication {

    public static void main(String[] args) {
        SpringApplication.run(FlywheelApplication.class, args);
    }
}
