package io.flywheel.events.internal;

/** Every test of {@link DuckDbPersonSetsTests} again, with the dirty persons' events always read from the events table. */
class DuckDbPersonSetsWithoutIndexTests extends DuckDbPersonSetsTests {

    @Override
    long timeIndexEntries() {
        return 0;
    }
}
