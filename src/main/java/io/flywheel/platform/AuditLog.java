package io.flywheel.platform;

import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;

/** Who changed what. Every module records its changes here. */
public interface AuditLog {

    /**
     * Records a change.
     *
     * @param projectId the project the change belongs to, or null for platform-wide changes
     * @param action a stable dotted name such as {@code project.created}
     */
    void record(String actor, Long projectId, String action, String target, String detail);

    /** Newest first; a null project lists every entry. */
    Page<AuditEntry> page(Long projectId, PageRequest request);
}
