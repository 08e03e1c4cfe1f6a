/* A tall chart's column headings held in sight as the page scrolls (charts.Chart.sticky_heads:
   the municipality x session matrix). The page draws the figure without its x axis's labels
   (figures.heads_in_strip) and a sticky strip above it (dashboard/components.py graph,
   assets/a11y.css); this writes the headings into the strip, each over its column's centre
   as plotly lays the axis out, again after every redraw (a filter, a resize, printing), and
   moves them with the chart's box when that scrolls sideways (a phone). The strip sits
   outside the box because a sticky element inside a scrolling box sticks to the box. */
(function () {
    "use strict";
    // After these the axis may have moved: a new figure, a new size, a relayout.
    var REDRAWN = ["plotly_afterplot", "plotly_react", "plotly_relayout"];

    function boxOf(strip) {
        return strip.nextElementSibling;   // the chart's box ([role=figure])
    }

    function plotOf(strip) {
        var box = boxOf(strip);
        return box && box.querySelector(".js-plotly-plot");
    }

    // Keep the headings over their columns when the box scrolls sideways.
    function follow(strip) {
        var row = strip.firstElementChild;
        if (row) {
            row.style.transform = "translateX(" + -boxOf(strip).scrollLeft + "px)";
        }
    }

    function draw(strip, gd) {
        if (!strip.offsetParent) {   // not shown (the chart as a table): measured once shown
            strip.dataset.stale = "1";
            return;
        }
        delete strip.dataset.stale;
        var axis = gd._fullLayout && gd._fullLayout.xaxis;
        var labels = (axis && axis.visible !== false && axis._categories) || [];
        var row = document.createElement("div");
        row.className = "column-heads-row";
        var box = boxOf(strip);
        // The plot's left edge within the box's scrolled content.
        var left = gd.getBoundingClientRect().left - box.getBoundingClientRect().left
            + box.scrollLeft;
        labels.forEach(function (label, i) {
            var head = document.createElement("div");
            head.className = "column-head";
            head.style.left = (left + axis._offset + axis.l2p(i)) + "px";
            var text = document.createElement("span");
            text.textContent = label;
            head.appendChild(text);
            row.appendChild(head);
        });
        strip.replaceChildren(row);
        // As tall as the highest heading reaches above the strip's bottom edge.
        var bottom = strip.getBoundingClientRect().bottom;
        var reach = 0;
        row.querySelectorAll(".column-head > span").forEach(function (text) {
            reach = Math.max(reach, bottom - text.getBoundingClientRect().top);
        });
        strip.style.height = labels.length ? Math.ceil(reach + 4) + "px" : "0";
        follow(strip);
    }

    function watch(strip) {
        var gd = plotOf(strip);
        if (!gd || typeof gd.on !== "function" || gd.columnHeads === strip) {
            return;
        }
        gd.columnHeads = strip;   // once per plot and strip: dcc.Graph keeps its plot
        // One drawing a frame, after the browser's own layout: plotly fires several of these
        // for one redraw, and measuring the headings inside each forced a layout of the
        // page while it was still being drawn (benchmarks/interaction.py: some 60-100 ms
        // of Kommuner's switch on the 1M database).
        var pending = false;
        var later = function () {
            if (!pending) {
                pending = true;
                window.requestAnimationFrame(function () {
                    pending = false;
                    draw(strip, gd);
                });
            }
        };
        REDRAWN.forEach(function (name) {
            gd.on(name, later);
        });
        if (!strip.dataset.follows) {
            strip.dataset.follows = "1";
            boxOf(strip).addEventListener("scroll", function () { follow(strip); },
                                          {passive: true});
        }
        if (gd._fullLayout) {
            draw(strip, gd);
        }
    }

    new MutationObserver(function () {
        document.querySelectorAll(".column-heads").forEach(function (strip) {
            watch(strip);
            var gd = plotOf(strip);
            if (strip.dataset.stale && strip.offsetParent && gd && gd._fullLayout) {
                draw(strip, gd);
            }
        });
    }).observe(document.documentElement, {childList: true, subtree: true,
                                          attributes: true, attributeFilter: ["hidden"]});
}());
