/**
 * The event store: every tracked event of every project, kept in an analytical engine behind the
 * {@link io.flywheel.events.EventStore} interface. DuckDB is the embedded default; the engine is
 * named nowhere outside this module.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Events")
package io.flywheel.events;
