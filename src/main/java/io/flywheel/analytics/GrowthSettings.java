package io.flywheel.analytics;

import static java.util.Objects.requireNonNull;

/**
 * Which events define a project's growth stages in the AARRR board and the channel report.
 * Defaults follow Segment's e-commerce names.
 */
public record GrowthSettings(String signUpEvent, String activationEvent, String referralEvent) {

    public static final GrowthSettings DEFAULTS = new GrowthSettings("Signed Up", "Product Added", "Product Shared");

    public GrowthSettings {
        requireNonNull(signUpEvent, "signUpEvent is null");
        requireNonNull(activationEvent, "activationEvent is null");
        requireNonNull(referralEvent, "referralEvent is null");
    }
}
