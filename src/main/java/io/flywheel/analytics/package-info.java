/**
 * Reports over the event stream: the project overview, and trends, funnels and retention as a query
 * API and console pages; RFM and channel quality as they land. Reads events only through the events
 * module's interfaces.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Analytics")
package io.flywheel.analytics;
