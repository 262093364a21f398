package io.flywheel.platform;

/** What an actor may do inside a project it can see. */
public enum Capability {
    /** Look at reports, people and settings. */
    READ,
    /** Run and save analyses. */
    ANALYZE,
    /** Change operational data: tags, campaigns, journeys, content decisions. */
    OPERATE,
    /** Manage projects, keys and console users. */
    MANAGE
}
