/**
 * People: the person list and the 360° profile of each person (traits, identities, touches,
 * activity, RFM, lifecycle stage, tags, segments and the event timeline), trait edits, the
 * data-subject export and deletion, lifecycle stages, segments and tags, and the CSV import of
 * persons and traits (sent through collect's ingestion as identify calls). A demo project gets
 * example segments and tags when its data is loaded.
 * Persons and their events live in the event store; this module reads and changes them only
 * through the events module's API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "People", allowedDependencies = {"collect", "demo", "events", "platform", "shared"})
package io.flywheel.people;
