package io.flywheel.platform.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Platform settings.
 *
 * @param adminPassword password of the {@code admin} account created on first start; when blank a
 *     random one is generated and printed once to the log (environment: FLYWHEEL_ADMIN_PASSWORD)
 */
@ConfigurationProperties("flywheel")
record PlatformProperties(String adminPassword) {
}
