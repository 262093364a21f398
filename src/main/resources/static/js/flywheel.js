// Console behaviour shared by every page: CSRF for htmx, the project switcher and ECharts charts.
(function () {
    'use strict';

    function csrf() {
        var token = document.querySelector('meta[name="_csrf"]');
        var header = document.querySelector('meta[name="_csrf_header"]');
        return token && header ? { header: header.content, token: token.content } : null;
    }

    document.addEventListener('htmx:configRequest', function (event) {
        var c = csrf();
        if (c) {
            event.detail.headers[c.header] = c.token;
        }
    });

    function activityChart(element) {
        var data = JSON.parse(element.dataset.chart);
        var chart = echarts.init(element);
        chart.setOption({
            tooltip: { trigger: 'axis' },
            legend: { data: [element.dataset.eventsLabel, element.dataset.personsLabel] },
            grid: { left: 60, right: 60, top: 40, bottom: 30 },
            xAxis: { type: 'category', data: data.days },
            yAxis: [{ type: 'value', name: element.dataset.eventsLabel }, { type: 'value', name: element.dataset.personsLabel }],
            series: [
                { name: element.dataset.eventsLabel, type: 'bar', data: data.events, itemStyle: { color: '#93c5fd' } },
                { name: element.dataset.personsLabel, type: 'line', yAxisIndex: 1, smooth: true, data: data.persons, itemStyle: { color: '#2563eb' } }
            ]
        });
        window.addEventListener('resize', function () { chart.resize(); });
        element.dataset.rendered = 'true';
    }

    // ------------------------------------------------------------ report charts

    var PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569', '#9ca3af'];

    function number(value) {
        return value == null ? '–' : Number(value).toLocaleString(undefined, { maximumFractionDigits: 2 });
    }

    // One series per breakdown group; a previous-period series is dashed in the colour of the series it compares with.
    function trendChart(chart, data) {
        var bar = data.type === 'bar';
        var colours = [];
        var groups = 0;
        data.series.forEach(function (s, i) {
            colours[i] = s.previousOf >= 0 ? colours[s.previousOf] : PALETTE[groups++ % PALETTE.length];
        });
        chart.setOption({
            tooltip: { trigger: 'axis', valueFormatter: number },
            legend: { type: 'scroll', top: 0 },
            grid: { left: 60, right: 24, top: 40, bottom: 30, containLabel: true },
            xAxis: { type: 'category', data: data.buckets, boundaryGap: bar },
            yAxis: { type: 'value', name: data.measure },
            series: data.series.map(function (s, i) {
                var previous = s.previousOf >= 0;
                var colour = colours[i];
                return {
                    name: s.name, type: bar ? 'bar' : 'line', data: s.data, showSymbol: data.buckets.length <= 45,
                    itemStyle: { color: colour, opacity: previous ? 0.5 : 1 },
                    lineStyle: { color: colour, type: previous ? 'dashed' : 'solid', width: previous ? 1.5 : 2 }
                };
            })
        });
    }

    // Bars per step, each labelled with its persons and the share of step 1 that reached it.
    function funnelChart(chart, data) {
        chart.setOption({
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: number },
            grid: { left: 60, right: 24, top: 40, bottom: 30, containLabel: true },
            xAxis: { type: 'category', data: data.steps, axisLabel: { interval: 0, width: 140, overflow: 'truncate' } },
            yAxis: { type: 'value', name: data.name },
            series: [{
                name: data.name, type: 'bar', data: data.counts, barMaxWidth: 90, itemStyle: { color: '#2563eb' },
                label: {
                    show: true, position: 'top', color: '#1f2937', lineHeight: 16, align: 'center',
                    formatter: function (p) { return number(p.value) + '\n' + data.rates[p.dataIndex] + '%'; }
                }
            }]
        });
    }

    // The average retention curve under the cohort table.
    function retentionChart(chart, data) {
        chart.setOption({
            tooltip: { trigger: 'axis', valueFormatter: function (v) { return v + '%'; } },
            grid: { left: 60, right: 24, top: 30, bottom: 30, containLabel: true },
            xAxis: { type: 'category', data: data.periods },
            yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
            series: [{ name: data.name, type: 'line', data: data.average, areaStyle: { opacity: 0.15 }, itemStyle: { color: '#2563eb' } }]
        });
    }

    var REPORT_CHARTS = { trend: trendChart, funnel: funnelChart, retention: retentionChart };

    function reportChart(element) {
        var draw = REPORT_CHARTS[element.dataset.reportChart];
        if (!draw) {
            return;
        }
        var chart = echarts.init(element);
        // marked drawn once the first rendering (with its animation) is complete
        chart.on('finished', function () { element.dataset.rendered = 'true'; });
        draw(chart, JSON.parse(element.dataset.chart));
        window.addEventListener('resize', function () { chart.resize(); });
    }

    document.addEventListener('DOMContentLoaded', function () {
        var switcher = document.querySelector('[data-switcher]');
        if (switcher) {
            switcher.addEventListener('change', function () {
                if (switcher.value) {
                    window.location.href = switcher.value;
                }
            });
        }
        var activity = document.getElementById('activity-chart');
        if (activity && window.echarts) {
            activityChart(activity);
        }
        if (window.echarts) {
            document.querySelectorAll('[data-report-chart]').forEach(reportChart);
        }
    });
})();
