/**
 * People: the person list and the 360° profile of each person (traits, identities, touches,
 * activity, RFM and the event timeline), trait edits, the data-subject export and deletion, and the
 * CSV import of persons and traits (sent through collect's ingestion as identify calls).
 * Persons and their events live in the event store; this module reads and changes them only
 * through the events module's API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "People", allowedDependencies = {"collect", "events", "platform", "shared"})
package io.flywheel.people;
