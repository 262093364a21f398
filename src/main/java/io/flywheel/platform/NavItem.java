package io.flywheel.platform;

import static java.util.Objects.requireNonNull;

/**
 * A console navigation entry contributed by a module as a bean. Only modules whose pages work
 * contribute entries.
 *
 * @param messageKey message key of the label
 * @param path path below {@code /p/{projectId}} for project pages, or an absolute path for admin pages
 * @param projectScoped whether the path is relative to the current project
 * @param capability what the caller needs to see the entry
 * @param order position in the menu, ascending
 */
public record NavItem(String messageKey, String path, boolean projectScoped, Capability capability, int order) {

    public NavItem {
        requireNonNull(messageKey, "messageKey is null");
        requireNonNull(path, "path is null");
        requireNonNull(capability, "capability is null");
    }
}
