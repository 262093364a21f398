// The size over time of a segment or a tag: a line chart of the element marked data-size-chart, whose
// data-chart holds {"days": [...], "sizes": [...]} and data-label names the series. Shared by the
// segment page and the people list filtered by a tag.
(function () {
    'use strict';

    function sizeChart(element) {
        var data = JSON.parse(element.dataset.chart);
        var chart = echarts.init(element);
        chart.on('finished', function () { element.dataset.rendered = 'true'; });
        chart.setOption({
            tooltip: { trigger: 'axis' },
            grid: { left: 60, right: 24, top: 20, bottom: 30, containLabel: true },
            xAxis: { type: 'category', data: data.days },
            yAxis: { type: 'value', minInterval: 1 },
            series: [{ name: element.dataset.label, type: 'line', smooth: true, areaStyle: { opacity: 0.15 }, data: data.sizes, itemStyle: { color: '#2563eb' } }]
        });
        window.addEventListener('resize', function () { chart.resize(); });
    }

    document.addEventListener('DOMContentLoaded', function () {
        var chart = document.querySelector('[data-size-chart]');
        if (chart && window.echarts) {
            sizeChart(chart);
        }
    });
})();
