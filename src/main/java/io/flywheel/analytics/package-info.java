/**
 * Reports over the event stream: the project overview now; trends, funnels, retention, RFM and
 * channel quality as they land. Reads events only through the events module's store interface.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Analytics")
package io.flywheel.analytics;
