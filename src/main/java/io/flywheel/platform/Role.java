package io.flywheel.platform;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Console roles. Each role has the capabilities of the ones below it. */
public enum Role {
    ADMIN(EnumSet.allOf(Capability.class)),
    OPERATOR(EnumSet.of(Capability.READ, Capability.ANALYZE, Capability.OPERATE)),
    ANALYST(EnumSet.of(Capability.READ, Capability.ANALYZE)),
    VIEWER(EnumSet.of(Capability.READ));

    private final Set<Capability> capabilities;

    Role(Set<Capability> capabilities) {
        this.capabilities = capabilities;
    }

    public boolean can(Capability capability) {
        return capabilities.contains(capability);
    }

    /** Parses a role name case-insensitively; throws IllegalArgumentException listing the valid names. */
    public static Role parse(String name) {
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be one of admin, operator, analyst, viewer");
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
