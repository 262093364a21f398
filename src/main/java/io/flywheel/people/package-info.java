/**
 * People: the person list and the 360° profile of each person (traits, identities, touches,
 * activity, RFM and the event timeline), trait edits, and the data-subject export and deletion.
 * Persons and their events live in the event store; this module reads and changes them only
 * through the events module's API.
 */
@org.springframework.modulith.ApplicationModule(displayName = "People", allowedDependencies = {"events", "platform", "shared"})
package io.flywheel.people;
