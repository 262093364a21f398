package io.flywheel.demo.internal;

import static java.util.Objects.requireNonNull;

import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import java.time.ZoneId;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * On start: redoes demo loads that an earlier run did not finish, and on the very first start
 * (no project at all) creates the "Demo Shop" project and loads it. Loading runs in the
 * background so that the console is usable at once.
 */
@Component
class DemoBootstrap {

    static final String PROJECT_NAME = "Demo Shop";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final String ACTOR = "system";
    private static final Logger log = LoggerFactory.getLogger(DemoBootstrap.class);

    private final DemoProperties properties;
    private final Projects projects;
    private final DemoLoadStore store;
    private final DemoLoader loader;
    private final TransactionOperations transactions;

    DemoBootstrap(DemoProperties properties, Projects projects, DemoLoadStore store, DemoLoader loader, TransactionOperations transactions) {
        this.properties = requireNonNull(properties, "properties is null");
        this.projects = requireNonNull(projects, "projects is null");
        this.store = requireNonNull(store, "store is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.transactions = requireNonNull(transactions, "transactions is null");
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!properties.enabled()) {
            return;
        }
        resumeUnfinished();
        if (projects.all().isEmpty()) {
            createDemoShop();
        }
    }

    private void resumeUnfinished() {
        for (DemoLoad unfinished : store.unfinished()) {
            Optional<Project> project = projects.find(unfinished.projectId());
            if (project.isEmpty()) {
                store.delete(unfinished.projectId());
                continue;
            }
            log.warn("The demo data of project {} was not completely loaded ({}); loading it again",
                    unfinished.projectId(), unfinished.state());
            loader.loadInBackground(project.get(), loader.restart(unfinished));
        }
    }

    private void createDemoShop() {
        Started started = transactions.execute(status -> {
            Project project = projects.create(PROJECT_NAME, ZONE, ACTOR).project();
            return new Started(project, loader.begin(project, properties.plan()));
        });
        requireNonNull(started, "no project was created");
        log.info("Created project {} \"{}\" with demo data, loading in the background", started.project().id(), PROJECT_NAME);
        loader.loadInBackground(started.project(), started.load());
    }

    private record Started(Project project, DemoLoad load) {
    }
}
