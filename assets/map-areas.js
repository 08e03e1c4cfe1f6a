/* The participation map's hover and click: the area under the mouse, exactly.

   The map draws its municipalities as one filled trace per colour class (a trace per
   municipality made most of its drawing time, issue 22), and plotly names a hovered fill by
   its trace only. So plotly's own hover is off on that map (hovermode false) and this script
   finds the area under the mouse itself (dashboard/figures.py, _area_traces): each class
   trace's `meta.areas` lists its areas as [point, start, end], the area's rings being
   x[start:end] / y[start:end] with NaN between rings, and the trace whose `meta` is "areas"
   has one point per area (not drawn), with its hover text and its code as customdata. On a
   mouse move the point of the area under it gets plotly's hover label (Plotly.Fx.hover); on a
   click it is sent as plotly's click, which dcc.Graph passes to Dash as clickData with the
   point's customdata, as a click on a point of any chart.
   Served from assets/ like the other scripts, so the Content-Security-Policy allows it. */
(function () {
    "use strict";

    function areasOf(plot) {
        var data = plot._fullData;
        if (!data || !plot._fullLayout || plot._fullLayout.hovermode !== false) {
            return null;
        }
        var points = null;
        var classes = [];
        for (var i = 0; i < data.length; i++) {
            var meta = data[i].meta;
            if (meta === "areas") {
                points = data[i].index;
            } else if (meta && meta.areas && data[i].visible === true) {
                classes.push(data[i]);   /* not a class hidden by a click on its legend */
            }
        }
        return points === null ? null : {points: points, classes: classes};
    }

    /* Even-odd over all of an area's rings (a hole's ring takes its inside out again). */
    function inside(xs, ys, start, end, x, y) {
        var odd = false;
        for (var i = start; i < end - 1; i++) {
            var x0 = xs[i], y0 = ys[i], x1 = xs[i + 1], y1 = ys[i + 1];
            if (x0 !== x0 || x1 !== x1) {
                continue;   /* NaN: the gap between two rings */
            }
            if ((y0 > y) !== (y1 > y) && x < x0 + (y - y0) * (x1 - x0) / (y1 - y0)) {
                odd = !odd;
            }
        }
        return odd;
    }

    /* The index of the point of the area under the event, or -1. */
    function under(plot, areas, evt) {
        var layout = plot._fullLayout, xaxis = layout.xaxis, yaxis = layout.yaxis;
        var box = plot.getBoundingClientRect();
        var x = xaxis.p2l(evt.clientX - box.left - xaxis._offset);
        var y = yaxis.p2l(evt.clientY - box.top - yaxis._offset);
        for (var c = 0; c < areas.classes.length; c++) {
            var trace = areas.classes[c];
            var spans = trace.meta.areas;
            for (var s = 0; s < spans.length; s++) {
                if (inside(trace.x, trace.y, spans[s][1], spans[s][2], x, y)) {
                    return spans[s][0];
                }
            }
        }
        return -1;
    }

    function target(evt) {
        var plot = evt.target && evt.target.closest ? evt.target.closest(".js-plotly-plot")
            : null;
        var areas = plot && areasOf(plot);
        return areas ? {plot: plot, areas: areas} : null;
    }

    document.addEventListener("mousemove", function (evt) {
        var found = target(evt);
        if (!found || !window.Plotly) {
            return;
        }
        var index = under(found.plot, found.areas, evt);
        if (index < 0) {
            window.Plotly.Fx.unhover(found.plot);
            return;
        }
        var points = [{curveNumber: found.areas.points, pointNumber: index}];
        points.hovermode = "closest";   /* the layout's is off: plotly's own hover */
        window.Plotly.Fx.hover(found.plot, points, "xy");
    });

    document.addEventListener("click", function (evt) {
        var found = target(evt);
        if (!found) {
            return;
        }
        var index = under(found.plot, found.areas, evt);
        if (index < 0) {
            return;
        }
        var curve = found.areas.points;
        var trace = found.plot._fullData[curve];
        found.plot.emit("plotly_click", {event: evt, points: [{
            curveNumber: curve, pointNumber: index, pointIndex: index,
            x: trace.x[index], y: trace.y[index], customdata: trace.customdata[index],
            data: found.plot.data[curve], fullData: trace,
        }]});
    });
})();
