package io.flywheel.demo.internal;

import io.flywheel.demo.DemoData;
import io.flywheel.demo.DemoStatus;
import io.flywheel.platform.ConsoleBanner;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Tells console users that a project's demo data is still loading, or that loading failed. */
@Component
class DemoBanner implements ConsoleBanner {

    static final String LOADING = "demo.banner.loading";
    static final String FAILED = "demo.banner.failed";

    private final DemoData demoData;

    DemoBanner(DemoData demoData) {
        this.demoData = demoData;
    }

    @Override
    public Optional<Notice> notice(long projectId) {
        return demoData.status(projectId).flatMap(DemoBanner::notice);
    }

    static Optional<Notice> notice(DemoStatus status) {
        return switch (status.state()) {
            case LOADING -> Optional.of(new Notice(LOADING, status.percent()));
            case FAILED -> Optional.of(new Notice(FAILED));
            case READY -> Optional.empty();
        };
    }
}
