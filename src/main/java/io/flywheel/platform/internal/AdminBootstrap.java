package io.flywheel.platform.internal;

import io.flywheel.platform.Role;
import io.flywheel.platform.Users;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Creates the {@code admin} account on the first start, when there are no users at all. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminBootstrap implements ApplicationRunner {

    static final String ADMIN = "admin";
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserStore store;
    private final Users users;
    private final PlatformProperties properties;

    AdminBootstrap(UserStore store, Users users, PlatformProperties properties) {
        this.store = store;
        this.users = users;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (store.count() > 0) {
            return;
        }
        String configured = properties.adminPassword();
        boolean generated = configured == null || configured.isBlank();
        String password = generated ? Keys.password() : configured;
        users.create(ADMIN, "Administrator", password, Role.ADMIN, Set.of(), "system");
        if (generated) {
            // Printed once, on purpose: it is the only way in when no password was configured.
            log.warn("""

                    ==========================================================
                     Created console user 'admin' with password: {}
                     It is shown only this once. Set FLYWHEEL_ADMIN_PASSWORD
                     before the first start to choose it yourself.
                    ==========================================================""", password);
        }
        else {
            log.info("Created console user 'admin' with the configured password");
        }
    }
}
