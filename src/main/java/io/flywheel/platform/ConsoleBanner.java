package io.flywheel.platform;

import java.util.Optional;

/**
 * A notice shown at the top of every console page of a project, such as demo data still loading.
 * Modules implement it; the platform shows what they return.
 */
public interface ConsoleBanner {

    /** A notice for the project, as a message key and its arguments, or empty. */
    Optional<Notice> notice(long projectId);

    record Notice(String messageKey, Object... arguments) {
    }
}
