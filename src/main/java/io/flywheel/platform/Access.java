package io.flywheel.platform;

import java.util.List;

/**
 * The one place that decides whether the current caller may see or change a project. Every
 * controller that touches project-owned data asks here first.
 */
public interface Access {

    /** The authenticated caller; throws if nobody is signed in. */
    Actor current();

    /**
     * Returns the project if the caller may see it and has the capability. A project the caller may
     * not see is reported as not found, so that its existence does not leak.
     */
    Project project(long projectId, Capability capability);

    /** Throws access denied unless the caller has the capability (for actions outside a project). */
    void require(Capability capability);

    /** Projects the caller may see, by name. */
    List<Project> visibleProjects();
}
