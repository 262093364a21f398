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
 */
public record IdentifyCommand(String messageId, String userId, String anonymousId, Map<String, Object> traits) {

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
