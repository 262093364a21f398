/**
 * Collect: the Segment-compatible tracking API. Accepted messages are made durable in a write-ahead
 * log before they are acknowledged, then resolved to persons and channels and applied to the event
 * store exactly once.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Collect")
package io.flywheel.collect;
