/**
 * The platform every module stands on: projects (tenants) and their keys, console users and roles,
 * sign-in, the audit log, API error handling and the console shell.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Platform")
package io.flywheel.platform;
