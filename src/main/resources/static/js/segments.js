// Segments: the rule builder of the editor (the size chart of a segment is size-chart.js).
//
// The builder shows the JSON rule format (docs/design/people-rules.md) as nested AND/OR groups of
// conditions. Every edit rewrites the rule field (also editable as JSON) and fires "rule-changed" at
// the live count, which htmx posts (debounced); an error in the answer names the JSON path of the bad
// part, and the condition at that path is marked.
(function () {
    'use strict';

    var KINDS = ['trait', 'did', 'didNot', 'sequence', 'funnel', 'rfm', 'stage', 'firstTouch', 'lastTouch', 'tag', 'segment'];
    var OPERATORS = ['equals', 'not_equals', 'contains', 'not_contains', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set'];
    var L = {};
    var O = {};
    var model;
    var builder;
    var field;
    var counter;

    // ------------------------------------------------------------ model: groups and leaves

    function fromJson(node, negated) {
        if (node && typeof node === 'object' && !Array.isArray(node)) {
            if (node.not !== undefined && Object.keys(node).length === 1) {
                return fromJson(node.not, !negated);
            }
            if (Array.isArray(node.all) || Array.isArray(node.any)) {
                var any = Array.isArray(node.any);
                return { group: any ? 'any' : 'all', not: !!negated, items: (any ? node.any : node.all).map(function (n) { return fromJson(n, false); }) };
            }
        }
        return { not: !!negated, rule: node && typeof node === 'object' ? node : {} };
    }

    function toJson(m) {
        var json;
        if (m.group) {
            json = {};
            json[m.group] = m.items.map(toJson);
        }
        else {
            json = m.rule;
        }
        return m.not ? { not: json } : json;
    }

    function kindOf(rule) {
        for (var i = 0; i < KINDS.length; i++) {
            if (rule[KINDS[i]] !== undefined) {
                return KINDS[i];
            }
        }
        return 'trait';
    }

    function defaults(kind) {
        switch (kind) {
            case 'did': return { did: O.events[0] || '', atLeast: 1, lastDays: 30 };
            case 'didNot': return { didNot: O.events[0] || '', lastDays: 30 };
            case 'sequence': return { sequence: [{ event: O.events[0] || '' }, { event: O.events[1] || O.events[0] || '' }], within: 'P1D', lastDays: 30 };
            case 'funnel': return { funnel: [{ event: O.events[0] || '' }, { event: O.events[1] || O.events[0] || '' }], within: 'P1D', lastDays: 30, reached: 1, exactly: true };
            case 'rfm': return { rfm: { segments: [], r: [1, 5], f: [1, 5], m: [1, 5], windowDays: 90 } };
            case 'stage': return { stage: ['active'] };
            case 'firstTouch': return { firstTouch: [O.channels[0]] };
            case 'lastTouch': return { lastTouch: [O.channels[0]] };
            case 'tag': return { tag: O.tags.length ? O.tags[0].id : 0 };
            case 'segment': return { segment: O.segments.length ? O.segments[0].id : 0 };
            default: return { trait: O.traits[0] || 'city', operator: 'equals', value: '' };
        }
    }

    // ------------------------------------------------------------ small DOM helpers

    function el(tag, attributes, children) {
        var node = document.createElement(tag);
        Object.keys(attributes || {}).forEach(function (name) {
            if (name === 'text') {
                node.textContent = attributes[name];
            }
            else if (name.indexOf('on') === 0) {
                node.addEventListener(name.substring(2), attributes[name]);
            }
            else if (attributes[name] !== null && attributes[name] !== undefined && attributes[name] !== false) {
                node.setAttribute(name, attributes[name] === true ? '' : attributes[name]);
            }
        });
        (children || []).forEach(function (child) {
            if (child) {
                node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
            }
        });
        return node;
    }

    function input(value, onChange, attributes) {
        var a = Object.assign({ type: 'text', value: value === undefined || value === null ? '' : value }, attributes || {});
        a.oninput = function (event) { onChange(event.target.value); changed(false); };
        return el('input', a);
    }

    function number(value, onChange, attributes) {
        return input(value, function (v) { onChange(v === '' ? null : Number(v)); }, Object.assign({ type: 'number', min: 0, class: 'narrow' }, attributes || {}));
    }

    function select(value, options, onChange, attributes) {
        var a = Object.assign({}, attributes || {});
        a.onchange = function (event) { onChange(event.target.value); changed(true); };
        return el('select', a, options.map(function (o) {
            var key = typeof o === 'object' ? String(o.key) : String(o);
            return el('option', { value: key, selected: String(value) === key, text: typeof o === 'object' ? o.label : (L[o] || o) });
        }));
    }

    function list(values) {
        return (values || []).join(', ');
    }

    function split(text) {
        return text.split(',').map(function (s) { return s.trim(); }).filter(function (s) { return s.length > 0; });
    }

    function datalist(id, values) {
        if (!document.getElementById(id)) {
            document.body.appendChild(el('datalist', { id: id }, values.map(function (v) { return el('option', { value: v }); })));
        }
        return id;
    }

    // ------------------------------------------------------------ editors of each kind

    function traitEditor(rule) {
        var valueField = rule.values !== undefined ? 'values' : 'value';
        var current = valueField === 'values' ? list(rule.values) : rule.value;
        var multi = rule.operator === 'in' || rule.operator === 'not_in';
        var parts = [
            input(rule.trait, function (v) { rule.trait = v; }, { list: datalist('rule-traits', O.traits), 'data-field': 'trait', placeholder: L.traitName, 'aria-label': L.traitName }),
            select(rule.operator || 'equals', OPERATORS, function (v) {
                rule.operator = v;
                var text = rule.values !== undefined ? list(rule.values) : (rule.value || '');
                delete rule.value;
                delete rule.values;
                if (v === 'in' || v === 'not_in') {
                    rule.values = split(text);
                }
                else if (v !== 'is_set' && v !== 'is_not_set') {
                    rule.value = text;
                }
                render();
            }, { 'data-field': 'operator' })
        ];
        if (rule.operator !== 'is_set' && rule.operator !== 'is_not_set') {
            parts.push(input(current, function (v) {
                delete rule.value;
                delete rule.values;
                if (multi) {
                    rule.values = split(v);
                }
                else {
                    rule.value = v;
                }
            }, { 'data-field': 'value', placeholder: multi ? L.values : L.value, 'aria-label': L.value }));
        }
        return parts;
    }

    function countEditor(rule) {
        var comparison = rule.atMost !== undefined ? 'atMost' : rule.exactly !== undefined ? 'exactly' : 'atLeast';
        var value = rule[comparison] === undefined ? 1 : rule[comparison];
        return [
            select(comparison, ['atLeast', 'atMost', 'exactly'], function (v) {
                delete rule.atLeast;
                delete rule.atMost;
                delete rule.exactly;
                rule[v] = value;
                render();
            }, { 'data-field': 'comparison' }),
            number(value, function (v) { rule[comparison] = v; }, { 'data-field': 'times' }),
            el('span', { text: L.times })
        ];
    }

    function windowEditor(rule) {
        var mode = rule.lastDays !== undefined ? 'lastDays' : (rule.from !== undefined || rule.to !== undefined) ? 'between' : 'ever';
        var parts = [select(mode, ['lastDays', 'between', 'ever'], function (v) {
            delete rule.lastDays;
            delete rule.from;
            delete rule.to;
            if (v === 'lastDays') {
                rule.lastDays = 30;
            }
            if (v === 'between') {
                var today = new Date().toISOString().substring(0, 10);
                rule.from = today;
                rule.to = today;
            }
            render();
        }, { 'data-field': 'window' })];
        if (mode === 'lastDays') {
            parts.push(number(rule.lastDays, function (v) { rule.lastDays = v; }, { min: 1, 'data-field': 'lastDays' }), el('span', { text: L.days }));
        }
        if (mode === 'between') {
            parts.push(input(rule.from, function (v) { if (v) { rule.from = v; } else { delete rule.from; } }, { type: 'date', 'data-field': 'from', 'aria-label': L.from }),
                el('span', { text: '–' }),
                input(rule.to, function (v) { if (v) { rule.to = v; } else { delete rule.to; } }, { type: 'date', 'data-field': 'to', 'aria-label': L.to }));
        }
        return parts;
    }

    function filtersEditor(owner, path) {
        var filters = owner.where || [];
        var rows = filters.map(function (filter, i) {
            var multi = filter.operator === 'in' || filter.operator === 'not_in';
            var value = filter.values !== undefined ? list(filter.values) : filter.value;
            return el('div', { class: 'rule-filter', 'data-path': path + '.where[' + i + ']' }, [
                input(filter.property, function (v) { filter.property = v; }, { placeholder: L.property, 'aria-label': L.property, 'data-field': 'property' }),
                select(filter.operator || 'equals', OPERATORS, function (v) {
                    filter.operator = v;
                    render();
                }),
                filter.operator === 'is_set' || filter.operator === 'is_not_set' ? null : input(value, function (v) {
                    delete filter.value;
                    delete filter.values;
                    if (multi) {
                        filter.values = split(v);
                    }
                    else {
                        filter.value = v;
                    }
                }, { placeholder: L.value, 'aria-label': L.value, 'data-field': 'filter-value' }),
                el('button', { type: 'button', class: 'link', text: '×', title: L.remove, onclick: function () {
                    filters.splice(i, 1);
                    if (!filters.length) {
                        delete owner.where;
                    }
                    changed(true);
                } })
            ]);
        });
        rows.push(el('button', { type: 'button', class: 'link', text: '+ ' + L.addFilter, 'data-add-filter': true, onclick: function () {
            owner.where = filters;
            filters.push({ property: '', operator: 'equals', value: '' });
            changed(true);
        } }));
        return el('div', { class: 'rule-filters' }, rows);
    }

    function eventInput(owner, key, label) {
        return input(owner[key], function (v) { owner[key] = v; },
            { list: datalist('rule-events', O.events), 'data-field': 'event', placeholder: label, 'aria-label': label, class: 'event' });
    }

    function withinEditor(rule) {
        var match = /^P(?:T(\d+)H|(\d+)D)$/.exec(rule.within || '');
        var hours = match && match[1] !== undefined;
        var amount = match ? Number(hours ? match[1] : match[2]) : 1;
        if (hours && amount > 0 && amount % 24 === 0) {
            // whole days are written back as hours (PT168H), shown as days
            hours = false;
            amount = amount / 24;
        }
        function write(value, unit) { rule.within = unit === 'hours' ? 'PT' + value + 'H' : 'P' + value + 'D'; }
        return [el('span', { text: L.within }),
            number(amount, function (v) { amount = v; write(v, hours ? 'hours' : 'days'); }, { min: 1, 'data-field': 'within' }),
            select(hours ? 'hours' : 'days', ['hours', 'days'], function (v) { hours = v === 'hours'; write(amount, v); render(); })];
    }

    function checks(values, options, onChange, name) {
        return el('span', { class: 'rule-checks' }, options.map(function (o) {
            var box = el('input', { type: 'checkbox', value: o.key, checked: values.indexOf(o.key) >= 0, 'data-field': name, onchange: function (event) {
                var at = values.indexOf(o.key);
                if (event.target.checked && at < 0) {
                    values.push(o.key);
                }
                if (!event.target.checked && at >= 0) {
                    values.splice(at, 1);
                }
                onChange(values);
                changed(false);
            } });
            return el('label', {}, [box, ' ' + o.label]);
        }));
    }

    function scoreRange(rfm, key) {
        var range = rfm[key] || [1, 5];
        var scores = [1, 2, 3, 4, 5].map(function (n) { return { key: n, label: String(n) }; });
        return el('span', { class: 'rule-range' }, [key.toUpperCase() + ' ',
            select(range[0], scores, function (v) { rfm[key] = [Number(v), range[1]]; }),
            '–',
            select(range[1], scores, function (v) { rfm[key] = [range[0], Number(v)]; })]);
    }

    // ------------------------------------------------------------ funnels

    var MAX_FUNNEL_STEPS = 10;

    function format(text, values) {
        return String(text).replace(/\{(\d+)\}/g, function (all, i) { return values[Number(i)]; });
    }

    function stepName(steps, k) {
        return format(L['funnel.stepName'], [k, steps[k - 1] && steps[k - 1].event ? steps[k - 1].event : '?']);
    }

    /** What the condition selects, in words: the drop-off after step k, converted, or step k or further. */
    function funnelSummary(rule) {
        var steps = rule.funnel;
        var reached = rule.reached === undefined ? steps.length : rule.reached;
        if (reached >= steps.length) {
            return format(L['funnel.converted'], [steps.length]);
        }
        if (rule.exactly) {
            return format(L['funnel.dropOff'], [stepName(steps, reached), stepName(steps, reached + 1)]);
        }
        return format(L['funnel.atLeast'], [stepName(steps, reached)]);
    }

    function funnelEditor(rule, path) {
        var steps = rule.funnel;
        var items = steps.map(function (step, i) {
            return el('li', { class: 'rule-funnel-step', 'data-path': path + '.funnel[' + i + ']' }, [
                el('span', { class: 'rule-funnel-number', text: (i + 1) + '.' }),
                eventInput(step, 'event', L.event),
                steps.length > 2 ? el('button', { type: 'button', class: 'link', text: '×', title: L.remove, 'aria-label': L.remove, 'data-remove-step': true,
                    onclick: function () {
                        steps.splice(i, 1);
                        if (rule.reached !== undefined && rule.reached > steps.length) {
                            rule.reached = steps.length;
                        }
                        changed(true);
                    } }) : null,
                filtersEditor(step, path + '.funnel[' + i + ']')]);
        });
        var reached = rule.reached === undefined ? steps.length : rule.reached;
        var choices = steps.map(function (step, i) { return { key: i + 1, label: stepName(steps, i + 1) }; });
        return [
            el('ol', { class: 'rule-funnel-steps', 'data-funnel-steps': true }, items),
            steps.length < MAX_FUNNEL_STEPS ? el('div', { class: 'rule-funnel-add' }, [el('button', { type: 'button', class: 'link',
                text: '+ ' + L['funnel.addStep'], 'data-add-step': true, onclick: function () {
                    steps.push({ event: steps[steps.length - 1].event });
                    changed(true);
                } })]) : null,
            el('div', { class: 'rule-funnel-reach' }, [
                select(rule.exactly ? 'exactly' : 'atLeast', [{ key: 'exactly', label: L['funnel.reachedExactly'] }, { key: 'atLeast', label: L['funnel.reachedAtLeast'] }],
                    function (v) {
                        if (v === 'exactly') {
                            rule.exactly = true;
                        }
                        else {
                            delete rule.exactly;
                        }
                    }, { 'data-field': 'mode', 'aria-label': L['funnel.reachedExactly'] }),
                select(reached, choices, function (v) { rule.reached = Number(v); }, { 'data-field': 'reached', 'aria-label': L['funnel.step'] })]),
            el('div', { class: 'rule-funnel-window' }, withinEditor(rule).concat([el('span', { text: L['funnel.firstStep'] })], windowEditor(rule))),
            el('p', { class: 'hint rule-funnel-summary', 'data-funnel-summary': true, text: funnelSummary(rule) })];
    }

    function leafEditor(rule, kind, path) {
        switch (kind) {
            case 'trait':
                return traitEditor(rule);
            case 'did':
                return [eventInput(rule, 'did', L.event)].concat(countEditor(rule), windowEditor(rule), [filtersEditor(rule, path)]);
            case 'didNot':
                return [eventInput(rule, 'didNot', L.event)].concat(windowEditor(rule), [filtersEditor(rule, path)]);
            case 'sequence':
                // each step edits its property filters as a did condition does
                return [0, 1].map(function (i) {
                    var at = path + '.sequence[' + i + ']';
                    return el('span', { class: 'rule-step', 'data-path': at }, [i ? el('span', { text: L.then }) : null,
                        eventInput(rule.sequence[i], 'event', L.event), filtersEditor(rule.sequence[i], at)]);
                }).concat(withinEditor(rule), windowEditor(rule));
            case 'funnel':
                return funnelEditor(rule, path);
            case 'rfm':
                var rfm = rule.rfm;
                rfm.segments = rfm.segments || [];
                return [checks(rfm.segments, O.rfm, function (v) { rfm.segments = v; }, 'rfm'),
                    scoreRange(rfm, 'r'), scoreRange(rfm, 'f'), scoreRange(rfm, 'm'),
                    el('span', { text: L.windowDays }), number(rfm.windowDays || 90, function (v) { rfm.windowDays = v; }, { min: 1 })];
            case 'stage':
                return [checks(rule.stage, O.stages, function (v) { rule.stage = v; }, 'stage')];
            case 'firstTouch':
            case 'lastTouch':
                return [input(list(rule[kind]), function (v) { rule[kind] = split(v); },
                    { list: datalist('rule-channels', O.channels), placeholder: L.channels, 'aria-label': L.channels, 'data-field': 'channels', class: 'wide' })];
            case 'tag':
            case 'segment':
                var options = (kind === 'tag' ? O.tags : O.segments).map(function (o) { return { key: o.id, label: o.name }; });
                if (!options.length) {
                    return [el('span', { class: 'hint', text: kind === 'tag' ? L.noTags : L.noSegments })];
                }
                return [select(rule[kind], options, function (v) { rule[kind] = Number(v); }, { 'data-field': kind })];
            default:
                return [];
        }
    }

    // ------------------------------------------------------------ rendering

    function notBox(m) {
        return el('label', { class: 'rule-not' }, [el('input', { type: 'checkbox', checked: m.not, 'data-field': 'not', onchange: function (event) {
            m.not = event.target.checked;
            changed(true);
        } }), ' ' + L.not]);
    }

    function removeButton(parent, index) {
        return el('button', { type: 'button', class: 'link remove', text: '×', title: L.remove, 'aria-label': L.remove, 'data-remove': true,
            onclick: function () { parent.items.splice(index, 1); changed(true); } });
    }

    function renderLeaf(m, path, parent, index) {
        var kind = kindOf(m.rule);
        var inner = m.not ? path + '.not' : path;
        var kinds = KINDS.map(function (k) { return { key: k, label: L['kind.' + k] || k }; });
        var head = [notBox(m), select(kind, kinds, function (v) { m.rule = defaults(v); render(); }, { 'data-field': 'kind', 'aria-label': 'kind' })];
        return el('div', { class: 'rule-condition', 'data-path': path, 'data-kind': kind },
            head.concat(leafEditor(m.rule, kind, inner), [removeButton(parent, index), el('div', { class: 'rule-error', 'data-rule-error': true })]));
    }

    function renderGroup(m, path, parent, index) {
        var inner = (m.not ? path + '.not' : path) + '.' + m.group;
        var children = m.items.map(function (child, i) {
            var childPath = inner + '[' + i + ']';
            return child.group ? renderGroup(child, childPath, m, i) : renderLeaf(child, childPath, m, i);
        });
        if (!children.length) {
            children.push(el('p', { class: 'hint', text: L.emptyGroup }));
        }
        var head = [notBox(m), select(m.group, [{ key: 'all', label: L.all }, { key: 'any', label: L.any }],
            function (v) { m.group = v; }, { 'data-field': 'group' })];
        if (parent) {
            head.push(removeButton(parent, index));
        }
        var depth = path.split('[').length;
        var actions = [el('button', { type: 'button', class: 'link', text: '+ ' + L.addCondition, 'data-add-condition': true, onclick: function () {
            m.items.push({ not: false, rule: defaults('trait') });
            changed(true);
        } })];
        if (depth < 4) {
            actions.push(el('button', { type: 'button', class: 'link', text: '+ ' + L.addGroup, 'data-add-group': true, onclick: function () {
                m.items.push({ group: m.group === 'all' ? 'any' : 'all', not: false, items: [{ not: false, rule: defaults('trait') }] });
                changed(true);
            } }));
        }
        return el('div', { class: 'rule-group', 'data-path': path, 'data-group': m.group }, [
            el('div', { class: 'rule-group-head' }, head),
            el('div', { class: 'rule-error', 'data-rule-error': true }),
            el('div', { class: 'rule-items' }, children),
            el('div', { class: 'rule-actions' }, actions)]);
    }

    function render() {
        var focused = document.activeElement;
        var focusPath = focused && builder.contains(focused) ? focused.closest('[data-path]').getAttribute('data-path') : null;
        var focusField = focused && focused.getAttribute ? focused.getAttribute('data-field') : null;
        builder.replaceChildren(renderGroup(model, 'rule', null, 0));
        if (focusPath && focusField) {
            var again = builder.querySelector('[data-path="' + focusPath + '"] [data-field="' + focusField + '"]');
            if (again) {
                again.focus();
            }
        }
    }

    /** Writes the rule field and asks for a new count; rebuilds the builder when its shape changed. */
    function changed(shape) {
        field.value = JSON.stringify(toJson(model), null, 2);
        if (shape) {
            render();
        }
        if (counter) {
            counter.dispatchEvent(new CustomEvent('rule-changed'));
        }
    }

    function load() {
        var json;
        try {
            json = JSON.parse(field.value || '{"all": []}');
        }
        catch (e) {
            return false;
        }
        model = fromJson(json, false);
        if (!model.group) {
            model = { group: 'all', not: false, items: [model] };
        }
        render();
        return true;
    }

    // ------------------------------------------------------------ errors at their condition

    function markError(path, message) {
        builder.querySelectorAll('.invalid').forEach(function (node) { node.classList.remove('invalid'); });
        builder.querySelectorAll('[data-rule-error]').forEach(function (node) { node.textContent = ''; });
        if (!path || path.indexOf('rule') !== 0) {
            return;
        }
        var best = null;
        builder.querySelectorAll('[data-path]').forEach(function (node) {
            var p = node.getAttribute('data-path');
            var boundary = path.charAt(p.length);
            if (path.indexOf(p) === 0 && (boundary === '' || boundary === '.' || boundary === '[') && (!best || p.length > best.getAttribute('data-path').length)) {
                best = node;
            }
        });
        if (best) {
            var target = best.closest('.rule-condition, .rule-group') || best;
            target.classList.add('invalid');
            var slot = target.querySelector('[data-rule-error]');
            if (slot) {
                slot.textContent = message;
            }
        }
    }

    document.addEventListener('DOMContentLoaded', function () {
        builder = document.getElementById('rule-builder');
        field = document.getElementById('rule');
        counter = document.getElementById('live-count');
        if (!builder || !field) {
            return;
        }
        L = JSON.parse(builder.dataset.labels);
        O = JSON.parse(builder.dataset.options);
        load();
        field.addEventListener('change', function () {
            if (load() && counter) {
                counter.dispatchEvent(new CustomEvent('rule-changed'));
            }
        });
        document.body.addEventListener('htmx:afterSwap', function (event) {
            if (event.detail.target === counter) {
                var error = counter.querySelector('[data-error-path]');
                markError(error ? error.getAttribute('data-error-path') : null, error ? error.textContent : '');
            }
        });
        var formError = document.querySelector('[data-form-error]');
        if (formError) {
            markError(formError.getAttribute('data-error-path'), formError.textContent);
        }
    });
})();
