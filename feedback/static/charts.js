// Draws every Plotly figure whose JSON sits in a <script type="application/json" id="X-data">.
(function () {
  document.querySelectorAll('script[type="application/json"][id$="-data"]').forEach(function (node) {
    var target = document.getElementById(node.id.slice(0, -5));
    if (!target || !window.Plotly) return;
    var fig = JSON.parse(node.textContent);
    // No mode bar: its buttons would be focusable inside a role="img" chart (nested-interactive),
    // and the table under each chart carries the same figures for keyboard and screen readers.
    window.Plotly.newPlot(target, fig.data, fig.layout, {responsive: true, displaylogo: false, displayModeBar: false});
  });
})();
