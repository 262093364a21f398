package io.flywheel.analytics;

import java.time.LocalDate;
import java.util.List;

/**
 * RFM over the completed orders of a window, as of its last day: the eight classic segments by
 * R, F and M above or below the buyers' averages, the score distributions, and optionally one
 * segment's persons page by page.
 */
public record RfmAnswer(String kind, LocalDate from, LocalDate to, LocalDate asOf, long buyers, Averages averages,
        List<Segment> segments, Scores scores, Persons persons, QueryMeta meta) implements Answer {

    /** The segment keys in the classic order, with R, F, M above (true) or below. */
    public static final List<String> SEGMENTS = List.of("important_value", "important_develop", "important_keep",
            "important_win_back", "general_value", "general_develop", "general_keep", "general_win_back");

    public record Averages(double recencyDays, double frequency, double monetary) {
    }

    public record Segment(String key, boolean recencyAbove, boolean frequencyAbove, boolean monetaryAbove, long persons,
            double share, double revenue, double averageRecencyDays, double averageFrequency, double averageMonetary) {
    }

    /** How many buyers have each score 1 to 5 (index 0 = score 1). */
    public record Scores(List<Long> r, List<Long> f, List<Long> m) {
    }

    public record Persons(String segment, int page, int size, long total, List<Person> items) {
    }

    public record Person(long personId, String userId, long recencyDays, long frequency, double monetary, int r, int f, int m) {
    }

    @Override
    public RfmAnswer withMeta(QueryMeta meta) {
        return new RfmAnswer(kind, from, to, asOf, buyers, averages, segments, scores, persons, meta);
    }

    /** The segment of a buyer by which side of the averages R, F and M fall. */
    public static String segment(boolean recencyAbove, boolean frequencyAbove, boolean monetaryAbove) {
        String importance = monetaryAbove ? "important_" : "general_";
        if (recencyAbove) {
            return importance + (frequencyAbove ? "value" : "develop");
        }
        return importance + (frequencyAbove ? "keep" : "win_back");
    }
}
