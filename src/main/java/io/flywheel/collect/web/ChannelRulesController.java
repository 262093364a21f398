package io.flywheel.collect.web;

import io.flywheel.collect.ChannelRule;
import io.flywheel.collect.ChannelRuleBook;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The console page to edit a project's channel rules and try them on a URL and referrer. */
@Controller
class ChannelRulesController {

    private final ChannelRuleBook book;
    private final Access access;

    ChannelRulesController(ChannelRuleBook book, Access access) {
        this.book = book;
        this.access = access;
    }

    @GetMapping("/p/{projectId}/sources/channels")
    String page(@PathVariable long projectId, @RequestParam(required = false) String url,
            @RequestParam(required = false) String referrer, Model model) {
        Project project = access.project(projectId, Capability.READ);
        model.addAttribute("project", project);
        model.addAttribute("rules", book.rules(projectId));
        model.addAttribute("customised", book.customised(projectId));
        model.addAttribute("canEdit", access.current().can(Capability.OPERATE));
        model.addAttribute("fields", ChannelRule.Field.values());
        model.addAttribute("operators", ChannelRule.Operator.values());
        if (url != null || referrer != null) {
            model.addAttribute("url", url);
            model.addAttribute("referrer", referrer);
            model.addAttribute("test", book.test(projectId, url, referrer));
        }
        return "collect/channels";
    }

    @PostMapping("/p/{projectId}/sources/channels")
    String save(@PathVariable long projectId, @RequestParam(name = "position", required = false) List<String> positions,
            @RequestParam(name = "channel", required = false) List<String> channels,
            @RequestParam(name = "field", required = false) List<String> fields,
            @RequestParam(name = "operator", required = false) List<String> operators,
            @RequestParam(name = "values", required = false) List<String> values,
            @RequestParam(name = "remove", required = false) List<String> removals,
            RedirectAttributes redirect) {
        access.project(projectId, Capability.OPERATE);
        try {
            book.replace(projectId, rules(positions, channels, fields, operators, values, removals), access.current().name());
            redirect.addFlashAttribute("saved", true);
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/p/" + projectId + "/sources/channels";
    }

    @PostMapping("/p/{projectId}/sources/channels/reset")
    String reset(@PathVariable long projectId, RedirectAttributes redirect) {
        access.project(projectId, Capability.OPERATE);
        book.reset(projectId, access.current().name());
        redirect.addFlashAttribute("saved", true);
        return "redirect:/p/" + projectId + "/sources/channels";
    }

    private record Row(double position, ChannelRule rule) {
    }

    /** Rows come as parallel lists; blank rows are skipped, removed rows dropped, the rest sorted by position. */
    static List<ChannelRule> rules(List<String> positions, List<String> channels, List<String> fields, List<String> operators,
            List<String> values, List<String> removals) {
        List<String> removed = removals == null ? List.of() : removals;
        int count = channels == null ? 0 : channels.size();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String channel = channels.get(i);
            if (channel == null || channel.isBlank() || removed.contains(String.valueOf(i))) {
                continue;
            }
            int line = i + 1;
            try {
                ChannelRule.Field field = ChannelRule.Field.valueOf(at(fields, i).toUpperCase(Locale.ROOT));
                ChannelRule.Operator operator = ChannelRule.Operator.valueOf(at(operators, i).toUpperCase(Locale.ROOT));
                List<String> list = Arrays.asList(at(values, i).split(","));
                double position = at(positions, i).isBlank() ? Double.MAX_VALUE : Double.parseDouble(at(positions, i).strip());
                rows.add(new Row(position, new ChannelRule(channel, field, operator, list)));
            }
            catch (IllegalArgumentException e) {
                throw new InvalidInputException("rules", "rule " + line + ": " + e.getMessage());
            }
        }
        return rows.stream().sorted(Comparator.comparingDouble(Row::position)).map(Row::rule).toList();
    }

    private static String at(List<String> list, int index) {
        return list == null || index >= list.size() || list.get(index) == null ? "" : list.get(index);
    }
}
