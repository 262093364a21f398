package io.flywheel.people;

import static java.util.Objects.requireNonNull;

import io.flywheel.events.PersonActivity;
import io.flywheel.events.PersonProfile;
import io.flywheel.events.RfmScore;
import java.util.List;

/**
 * Everything the profile page shows about one person, its merged persons included.
 *
 * @param traits the traits by name; values that are not text are shown as JSON
 * @param rfm the person's RFM scores over the completed orders of the last 90 days, null when it bought nothing then
 */
public record PersonView(PersonProfile profile, List<Trait> traits, PersonActivity activity, RfmScore rfm) {

    /** One trait: its name and its value as text. */
    public record Trait(String key, String value) {

        public Trait {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
        }
    }

    public PersonView {
        requireNonNull(profile, "profile is null");
        traits = List.copyOf(requireNonNull(traits, "traits is null"));
        requireNonNull(activity, "activity is null");
    }

    public long personId() {
        return profile.personId();
    }

    /** The value of a trait, or null. */
    public String trait(String key) {
        return traits.stream().filter(trait -> trait.key().equals(key)).map(Trait::value).findFirst().orElse(null);
    }

    /**
     * The classic RFM segment of the person's R, F and M against the buyers' averages (for example
     * {@code important_value}), null without RFM scores.
     */
    public String rfmSegment() {
        if (rfm == null) {
            return null;
        }
        String kind = rfm.monetaryAbove() ? "important_" : "general_";
        if (rfm.recencyAbove()) {
            return kind + (rfm.frequencyAbove() ? "value" : "develop");
        }
        return kind + (rfm.frequencyAbove() ? "keep" : "win_back");
    }

    /** The name to show: the {@code name} trait, the userId, or the person id. */
    public String displayName() {
        String name = trait("name");
        if (name != null && !name.isBlank()) {
            return name;
        }
        return profile.userId() != null ? profile.userId() : "#" + profile.personId();
    }
}
