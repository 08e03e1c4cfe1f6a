'use strict';
// plotly.js with only the trace types dashboard/figures.py draws: evaluating the full
// 4,8 MB bundle took 1,2 s of a first visit on a 2-core machine, this one 0,3 s.
// No map trace types: the maps are scatter shapes (dashboard/denmark.py), so no MapLibre.
// The version must be the one plotly.py ships (tests/test_plotly_bundle.py checks both).
// Rebuild: cd tools/plotly-bundle && npm ci && npm run build
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
]);

module.exports = Plotly;
