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
    });
})();
