/* Every chart: events that land on a hover label reach plotly.js as a copy it may change.

   plotly.js passes a mousemove or click on its hover layer on to the plot by assigning
   `evt.target = gd._fullLayout._lasthover` (src/plots/cartesian/graph_interact.js, still so in
   plotly.js 4.1.1 and upstream). A browser's Event has only a getter for `target`, so in
   plotly's strict-mode code that assignment throws "Cannot set property target of #<Event>
   which has only a getter": the JavaScript error seen on Geografi (issue 16). A pointer seldom
   lands on a label (they take no pointer events), but an event sent to one does: assistive
   technology, test and probe tools. Its mousedown handler also fails before the first hover
   (`_lasthover` is still undefined).

   The bundle in assets/vendor is plotly's own build, so the fix is here: at the chart, in the
   capture phase, before the event reaches the hover layer, stop it and call plotly's handler
   with a plain copy of the event, whose `target` it may set (plotly's drag element does the
   same for a click), and only once the chart has been hovered.
   Served from assets/ like the CSS, so the Content-Security-Policy allows it ('self'). */
(function () {
    var FORWARDED = ["mousemove", "click", "mousedown"];

    function copyOf(evt) {
        var copy = {};
        for (var key in evt) {   /* the Event's own and inherited properties */
            var value = evt[key];
            copy[key] = typeof value === "function" ? value.bind(evt) : value;
        }
        return copy;
    }

    function forward(plot, evt) {
        var layout = plot._fullLayout;
        var layer = layout && layout._hoverlayer && layout._hoverlayer.node();
        if (!layer || !layer.contains(evt.target)) {
            return;
        }
        evt.stopPropagation();   /* plotly's handler on the layer gets the copy instead */
        var handler = layer["on" + evt.type];
        if (handler && layout._lasthover) {
            handler.call(layer, copyOf(evt));
        }
    }

    function guard(plot) {
        if (plot.dataset.hoverLayer) {
            return;
        }
        plot.dataset.hoverLayer = "1";
        FORWARDED.forEach(function (type) {
            plot.addEventListener(type, function (evt) { forward(plot, evt); }, true);
        });
    }

    new MutationObserver(function () {
        document.querySelectorAll(".js-plotly-plot").forEach(guard);
    }).observe(document.documentElement, {childList: true, subtree: true});
})();
