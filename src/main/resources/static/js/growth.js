// Charts of the operations boards (daily board, AARRR, channel quality, RFM), drawn with ECharts
// from the data serialised into each chart element.
(function () {
    'use strict';

    var palette = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

    function draw(element, option) {
        var chart = echarts.init(element);
        option.color = palette;
        chart.setOption(option);
        window.addEventListener('resize', function () { chart.resize(); });
        element.dataset.rendered = 'true';
    }

    var kinds = {
        board: function (element, data) {
            draw(element, {
                tooltip: { trigger: 'axis' },
                legend: { data: [element.dataset.dayLabel, element.dataset.weekLabel] },
                grid: { left: 50, right: 20, top: 36, bottom: 30 },
                xAxis: { type: 'category', data: data.labels.map(label) },
                yAxis: { type: 'value' },
                series: [
                    { name: element.dataset.dayLabel, type: 'bar', data: data.day },
                    { name: element.dataset.weekLabel, type: 'bar', data: data.weekBefore, itemStyle: { color: '#cbd5e1' } }
                ]
            });
        },
        aarrr: function (element, data) {
            var names = element.dataset.labels.split(',');
            draw(element, {
                tooltip: { trigger: 'axis' },
                grid: { left: 110, right: 40, top: 20, bottom: 20 },
                xAxis: { type: 'value' },
                yAxis: { type: 'category', inverse: true, data: names },
                series: [{ type: 'bar', data: data.values, label: { show: true, position: 'right' },
                    itemStyle: { color: function (p) { return palette[p.dataIndex % palette.length]; } } }]
            });
        },
        channels: function (element, data) {
            draw(element, {
                tooltip: { trigger: 'axis' },
                legend: { data: [element.dataset.visitorsLabel, element.dataset.payingLabel, element.dataset.revenueLabel] },
                grid: { left: 60, right: 70, top: 40, bottom: 30 },
                xAxis: { type: 'category', data: data.channels.map(label) },
                yAxis: [{ type: 'value' }, { type: 'value', name: element.dataset.revenueLabel }],
                series: [
                    { name: element.dataset.visitorsLabel, type: 'bar', data: data.visitors },
                    { name: element.dataset.payingLabel, type: 'bar', data: data.paying },
                    { name: element.dataset.revenueLabel, type: 'line', yAxisIndex: 1, data: data.revenue }
                ]
            });
        },
        rfm: function (element, data) {
            var names = element.dataset.names.split(',');
            draw(element, {
                tooltip: { trigger: 'axis' },
                legend: { data: [element.dataset.personsLabel, element.dataset.revenueLabel] },
                grid: { left: 60, right: 70, top: 40, bottom: 60 },
                xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: 20 } },
                yAxis: [{ type: 'value' }, { type: 'value', name: element.dataset.revenueLabel }],
                series: [
                    { name: element.dataset.personsLabel, type: 'bar', data: data.persons },
                    { name: element.dataset.revenueLabel, type: 'line', yAxisIndex: 1, data: data.revenue }
                ]
            });
        }
    };

    function label(value) {
        return value === '$none' ? '—' : value;
    }

    function start() {
        if (!window.echarts) {
            return;
        }
        document.querySelectorAll('[data-growth-chart]').forEach(function (element) {
            var kind = kinds[element.dataset.growthChart];
            if (kind && element.dataset.rendered !== 'true') {
                kind(element, JSON.parse(element.dataset.chart));
            }
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    }
    else {
        start();
    }
})();
