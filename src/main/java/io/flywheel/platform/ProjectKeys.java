package io.flywheel.platform;

import static java.util.Objects.requireNonNull;

/** A project with its secret key in clear text, shown once at creation or rotation. */
public record ProjectKeys(Project project, String secretKey) {

    public ProjectKeys {
        requireNonNull(project, "project is null");
        requireNonNull(secretKey, "secretKey is null");
    }
}
