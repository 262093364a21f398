package io.flywheel.platform.internal;

import io.flywheel.platform.AuditEntry;
import io.flywheel.platform.AuditLog;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.time.Clock;
import org.springframework.stereotype.Service;

@Service
class AuditService implements AuditLog {

    private static final int MAX_DETAIL = 2000;

    private final AuditStore store;
    private final Clock clock;

    AuditService(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void record(String actor, Long projectId, String action, String target, String detail) {
        String trimmed = detail != null && detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        store.insert(clock.instant(), actor, projectId, action, target, trimmed);
    }

    @Override
    public Page<AuditEntry> page(Long projectId, PageRequest request) {
        return new Page<>(store.page(projectId, request), request.page(), request.size(), store.count(projectId));
    }
}
