/**
 * Small shared vocabulary every module may use: paging, time and the exceptions that map to
 * problem details. Nothing domain-specific lives here.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Shared", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.flywheel.shared;
