package io.flywheel.collect;

import java.util.List;

/** Each project's ordered channel rules: the defaults until somebody edits them. */
public interface ChannelRuleBook {

    /** The rules in force for a project, first match wins. */
    List<ChannelRule> rules(long projectId);

    /** Whether the project has its own rules rather than the defaults. */
    boolean customised(long projectId);

    /** Replaces the project's rules; later touches are resolved with them (stored events keep their channel). */
    void replace(long projectId, List<ChannelRule> rules, String actor);

    /** Goes back to the default rules. */
    void reset(long projectId, String actor);

    /**
     * Which channel a page view with this URL and referrer would get, and the 0-based index of the
     * rule that decided (-1 for Direct or no touch).
     */
    Test test(long projectId, String url, String referrer);

    /** The outcome of {@link #test}; channel is null when the visit is no new touch. */
    record Test(String channel, int rule) {
    }
}
