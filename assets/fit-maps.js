/* The maps, in the browser: fit all of Denmark into a narrow map (a phone) — a figure's map
   zoom is one number, chosen for a desktop panel, so where the panel is narrower, zoom out
   until the country fits — and give each map's canvas a name of its own (MapLibre calls
   every one "Map", which screen readers cannot tell apart).
   Served from assets/ like the CSS, so the Content-Security-Policy allows it ('self'). */
(function () {
    var DENMARK_DEGREES = 7.6;            /* 8.0°E to 15.2°E (Bornholm), and a margin */
    var PIXELS_PER_DEGREE_AT_ZOOM_0 = 512 / 360;

    function fit(plot) {
        var layout = plot._fullLayout;
        if (!layout || !layout.map || !window.Plotly) {
            return;
        }
        var subplot = layout.map._subplot;
        var map = subplot && subplot.map;
        if (map && !map.isStyleLoaded()) {   /* MapLibre refuses changes before that */
            map.once("idle", function () { fit(plot); });
            return;
        }
        var width = plot.getBoundingClientRect().width;
        var wanted = Math.log2(width / (DENMARK_DEGREES * PIXELS_PER_DEGREE_AT_ZOOM_0));
        var zoom = Math.min(plot.layout.map && plot.layout.map.zoom || 99, wanted);
        if (Math.abs(layout.map.zoom - zoom) > 0.05) {
            window.Plotly.relayout(plot, {"map.zoom": Math.round(zoom * 100) / 100});
        }
    }

    function name(plot) {
        var figure = plot.closest("[role=figure]");
        var title = figure && document.getElementById(
            (figure.getAttribute("aria-labelledby") || "").split(" ").pop());
        var text = title && title.textContent.trim();
        plot.querySelectorAll("canvas.maplibregl-canvas").forEach(function (canvas) {
            if (text && canvas.getAttribute("aria-label") !== text) {
                canvas.setAttribute("aria-label", text);
            }
        });
    }

    function watch(plot) {
        if (plot.dataset.fitMaps) {
            return;
        }
        plot.dataset.fitMaps = "1";
        plot.on("plotly_afterplot", function () { fit(plot); name(plot); });
        fit(plot);
        name(plot);
    }

    new MutationObserver(function () {
        document.querySelectorAll(".js-plotly-plot").forEach(function (plot) {
            if (plot.on && plot._fullLayout && plot._fullLayout.map) {
                watch(plot);
            }
        });
    }).observe(document.documentElement, {childList: true, subtree: true});
})();
