// Charts of the lifecycle page, drawn with ECharts from the data serialised into each chart element:
// a stacked area of persons per stage per day, and a sankey of the flows between two days.
(function () {
    'use strict';

    var COLOURS = { 'new': '#2563eb', active: '#16a34a', at_risk: '#f59e0b', dormant: '#7c3aed', churned: '#dc2626', reactivated: '#0891b2',
        appeared: '#94a3b8' };

    function area(chart, data) {
        chart.setOption({
            tooltip: { trigger: 'axis' },
            legend: { top: 0 },
            grid: { left: 60, right: 24, top: 40, bottom: 30, containLabel: true },
            xAxis: { type: 'category', boundaryGap: false, data: data.days },
            yAxis: { type: 'value' },
            series: data.series.map(function (s) {
                return { name: s.name, type: 'line', stack: 'stages', areaStyle: {}, showSymbol: false, data: s.data,
                    itemStyle: { color: COLOURS[s.key] }, lineStyle: { width: 1 } };
            })
        });
    }

    function sankey(chart, data) {
        chart.setOption({
            tooltip: { trigger: 'item' },
            series: [{
                type: 'sankey', left: 20, right: 160, top: 10, bottom: 10, nodeGap: 12, emphasis: { focus: 'adjacency' },
                data: data.nodes.map(function (node) { return { name: node.name, itemStyle: { color: COLOURS[node.key] } }; }),
                links: data.flows, lineStyle: { color: 'gradient', curveness: 0.5, opacity: 0.4 }
            }]
        });
    }

    var KINDS = { area: area, sankey: sankey };

    document.addEventListener('DOMContentLoaded', function () {
        if (!window.echarts) {
            return;
        }
        document.querySelectorAll('[data-lifecycle-chart]').forEach(function (element) {
            var chart = echarts.init(element);
            chart.on('finished', function () { element.dataset.rendered = 'true'; });
            KINDS[element.dataset.lifecycleChart](chart, JSON.parse(element.dataset.chart));
            window.addEventListener('resize', function () { chart.resize(); });
        });
    });
})();
