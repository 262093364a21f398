package io.flywheel.collect;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One identify call made by the server on a person's behalf, as {@code POST /v1/identify} would
 * carry it: a userId and/or an anonymousId and traits applied as a JSON merge patch.
 *
 * @param messageId de-duplicates as the tracking API's messageId does: sending the same id again
 *     stores nothing new
 * @param traits trait values: strings, numbers, booleans, lists or maps; never null values
 * @param activity true when the call is behaviour, like an SDK's identify: it is stored as an event
 *     and counts as the person being active at that time. False for profile data (see
 *     {@link #profileData}): ids are linked, persons merged and traits set all the same, but nothing
 *     counts as activity
 */
public record IdentifyCommand(String messageId, String userId, String anonymousId, Map<String, Object> traits, boolean activity) {

    /** An identify call that is activity, as an SDK's. */
    public IdentifyCommand(String messageId, String userId, String anonymousId, Map<String, Object> traits) {
        this(messageId, userId, anonymousId, traits, true);
    }

    /**
     * An identify call that only carries profile data, such as a row of an imported customer list:
     * it links the ids, merges persons and sets traits, but it is no event, makes nobody active and
     * leaves first and last seen, event counts and touches as they are.
     */
    public static IdentifyCommand profileData(String messageId, String userId, String anonymousId, Map<String, Object> traits) {
        return new IdentifyCommand(messageId, userId, anonymousId, traits, false);
    }

    public IdentifyCommand {
        requireNonNull(messageId, "messageId is null");
        requireNonNull(traits, "traits is null");
        if (messageId.isBlank() || messageId.length() > Tracking.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("messageId must have 1 to " + Tracking.MAX_ID_LENGTH + " characters");
        }
        if (blank(userId) && blank(anonymousId)) {
            throw new IllegalArgumentException("userId or anonymousId is required");
        }
        if (!blank(userId) && userId.length() > Tracking.MAX_ID_LENGTH || !blank(anonymousId) && anonymousId.length() > Tracking.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("ids must be at most " + Tracking.MAX_ID_LENGTH + " characters");
        }
        userId = blank(userId) ? null : userId;
        anonymousId = blank(anonymousId) ? null : anonymousId;
        traits = Map.copyOf(traits);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
