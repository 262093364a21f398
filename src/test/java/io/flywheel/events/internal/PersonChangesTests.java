package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.events.Event;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PersonChangesTests {

    private static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");

    private static Event event(long projectId, long personId, String type, String userId, String channel, String campaign, int minute,
            String properties) {
        Instant at = T0.plusSeconds(60L * minute);
        return new Event(projectId, UUID.randomUUID().toString(), type, type.equals("identify") ? "Identify" : "Page Viewed", personId,
                "anon-" + personId, userId, at, T0.plusSeconds(3600), null, null, null, null, campaign, channel, null, null, null,
                properties, null);
    }

    private static PersonChanges.Change only(Collection<PersonChanges.Change> changes) {
        assertThat(changes).hasSize(1);
        return changes.iterator().next();
    }

    @Test
    void oneChangePerProjectAndPerson() {
        Collection<PersonChanges.Change> changes = PersonChanges.of(List.of(
                event(1, 1, "page", null, null, null, 0, null),
                event(1, 1, "page", null, null, null, 1, null),
                event(1, 2, "page", null, null, null, 2, null),
                event(2, 1, "page", null, null, null, 3, null)));

        assertThat(changes).extracting(PersonChanges.Change::projectId, PersonChanges.Change::personId, PersonChanges.Change::events)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(1L, 1L, 2L),
                        org.assertj.core.groups.Tuple.tuple(1L, 2L, 1L),
                        org.assertj.core.groups.Tuple.tuple(2L, 1L, 1L));
    }

    @Test
    void seenTimesAreTheExtremesWhateverTheArrivalOrder() {
        PersonChanges.Change change = only(PersonChanges.of(List.of(
                event(1, 1, "page", null, null, null, 5, null),
                event(1, 1, "page", null, null, null, 1, null),
                event(1, 1, "page", null, null, null, 9, null),
                event(1, 1, "page", null, null, null, 3, null))));

        assertThat(change.firstSeen()).isEqualTo(T0.plusSeconds(60));
        assertThat(change.lastSeen()).isEqualTo(T0.plusSeconds(540));
    }

    @Test
    void identifyPropertiesArePatchesInArrivalOrderAndTheLastUserIdWins() {
        PersonChanges.Change change = only(PersonChanges.of(List.of(
                event(1, 1, "identify", "u-1", null, null, 5, "{\"plan\":\"free\"}"),
                event(1, 1, "identify", null, null, null, 1, "{}"),
                event(1, 1, "page", "u-2", null, null, 2, "{\"title\":\"not a trait\"}"),
                event(1, 1, "identify", null, null, null, 0, "{\"plan\":\"pro\"}"))));

        assertThat(change.traitPatches()).containsExactly("{\"plan\":\"free\"}", "{\"plan\":\"pro\"}");
        assertThat(change.traitsUpdatedAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(change.userId()).isEqualTo("u-2");
    }

    @Test
    void noTraitsWithoutIdentifyCalls() {
        PersonChanges.Change change = only(PersonChanges.of(List.of(event(1, 1, "page", null, null, null, 0, "{\"a\":1}"))));

        assertThat(change.traitPatches()).isEmpty();
        assertThat(change.traitsUpdatedAt()).isNull();
        assertThat(change.userId()).isNull();
        assertThat(change.firstTouch()).isNull();
        assertThat(change.lastTouch()).isNull();
    }

    @Test
    void touchesAreOrderedByTimestampAndTiesFollowArrival() {
        PersonChanges.Change change = only(PersonChanges.of(List.of(
                event(1, 1, "page", null, "SEO", null, 5, null),
                event(1, 1, "page", null, null, null, 0, null),
                event(1, 1, "page", null, "WeChat", "spring", 1, null),
                event(1, 1, "page", null, "SEM", "brand", 1, null),
                event(1, 1, "page", null, "Direct", null, 9, null),
                event(1, 1, "page", null, "Referral", null, 9, null),
                event(1, 1, "page", null, null, null, 20, null))));

        assertThat(change.firstTouch().channel()).isEqualTo("WeChat");
        assertThat(change.firstTouch().utmCampaign()).isEqualTo("spring");
        assertThat(change.lastTouch().channel()).isEqualTo("Referral");
        assertThat(change.lastSeen()).isEqualTo(T0.plusSeconds(1200));
    }

    @Test
    void profileDataSetsTraitsAndUserIdsButIsNoActivity() {
        Instant at = T0.plusSeconds(600);
        Event imported = new Event(1, "csv-1", "identify", "Identify", 1, null, "u-9", at, at, null, null, null, null, null, null, null,
                null, null, "{\"plan\":\"gold\"}", null, false);
        PersonChanges.Change onlyImported = only(PersonChanges.of(List.of(imported)));

        assertThat(onlyImported.events()).isZero();
        assertThat(onlyImported.firstSeen()).isNull();
        assertThat(onlyImported.lastSeen()).isNull();
        assertThat(onlyImported.traitPatches()).containsExactly("{\"plan\":\"gold\"}");
        assertThat(onlyImported.traitsUpdatedAt()).isEqualTo(at);
        assertThat(onlyImported.userId()).isEqualTo("u-9");

        PersonChanges.Change withEvents = only(PersonChanges.of(List.of(
                event(1, 1, "page", null, "SEO", null, 5, null), imported, event(1, 1, "identify", null, null, null, 2, "{\"plan\":\"free\"}"))));
        assertThat(withEvents.events()).isEqualTo(2);
        assertThat(withEvents.firstSeen()).isEqualTo(T0.plusSeconds(120));
        assertThat(withEvents.lastSeen()).as("the import at minute 10 is no activity").isEqualTo(T0.plusSeconds(300));
        assertThat(withEvents.traitPatches()).containsExactly("{\"plan\":\"gold\"}", "{\"plan\":\"free\"}");
        assertThat(withEvents.lastTouch().channel()).isEqualTo("SEO");
    }

    @Test
    void onlyAnIdentifyCallCanBeProfileData() {
        Instant at = T0;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Event(1, "m", "track", "Clicked", 1, "a", null, at, at, null, null, null,
                null, null, null, null, null, null, "{}", null, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
