package io.flywheel.collect.internal;

import io.flywheel.collect.ChannelRule;
import io.flywheel.collect.ChannelRuleBook;
import io.flywheel.platform.AuditLog;
import io.flywheel.shared.InvalidInputException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class ChannelRuleService implements ChannelRuleBook {

    static final int MAX_RULES = 200;

    private final ChannelRuleStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<Long, List<ChannelRule>> cache = new ConcurrentHashMap<>();

    ChannelRuleService(ChannelRuleStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public List<ChannelRule> rules(long projectId) {
        return cache.computeIfAbsent(projectId, id -> store.find(id).orElseGet(ChannelRule::defaults));
    }

    @Override
    public boolean customised(long projectId) {
        return store.find(projectId).isPresent();
    }

    @Override
    @Transactional
    public void replace(long projectId, List<ChannelRule> rules, String actor) {
        if (rules.size() > MAX_RULES) {
            throw new InvalidInputException("rules", "at most " + MAX_RULES + " rules");
        }
        store.replace(projectId, rules, actor, clock.instant());
        audit.record(actor, projectId, "channel-rules.updated", rules.size() + " rules", null);
        cache.remove(projectId);
    }

    @Override
    @Transactional
    public void reset(long projectId, String actor) {
        store.delete(projectId);
        audit.record(actor, projectId, "channel-rules.reset", "defaults", null);
        cache.remove(projectId);
    }

    @Override
    public Test test(long projectId, String url, String referrer) {
        Map<String, String> query = MessageParser.query(url);
        String clickId = query.keySet().stream().filter(MessageParser.CLICK_IDS::contains).sorted().findFirst().orElse(null);
        ChannelRules.Resolution resolution = ChannelRules.resolve("page", blankToNull(url), blankToNull(referrer),
                query.get("utm_source"), query.get("utm_medium"), query.get("utm_campaign"), clickId, rules(projectId));
        return resolution == null ? new Test(null, -1) : new Test(resolution.channel(), resolution.rule());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
