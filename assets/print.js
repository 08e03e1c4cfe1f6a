/* Printing a page: the page's address in its print-only header, and every chart redrawn to
   fit the paper's width (plotly draws at the screen's width, so a wide chart was cut at the
   right, or Chromium shrank the whole page to fit it). The browser fires beforeprint on Ctrl+P before it lays the page out for paper;
   afterprint gives the charts back their screen size. */
(function () {
    "use strict";
    // A4 landscape, 10 mm margins (print.css): 277 mm at 96 CSS px per inch, less the
    // container's padding.
    var PRINT_WIDTH = 1000;

    function charts() {
        return Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot"));
    }

    window.addEventListener("beforeprint", function () {
        var address = document.getElementById("print-address");
        if (address) {
            address.textContent = window.location.href;
        }
        if (!window.Plotly) {
            return;
        }
        // On paper every chart takes the whole width (print.css gives its column the row).
        charts().forEach(function (gd) {
            var width = gd._fullLayout && gd._fullLayout.width;
            if (width && width !== PRINT_WIDTH) {
                gd.dataset.screenWidth = width;
                window.Plotly.relayout(gd, {width: PRINT_WIDTH});
            }
        });
    });

    window.addEventListener("afterprint", function () {
        if (!window.Plotly) {
            return;
        }
        charts().forEach(function (gd) {
            if (gd.dataset.screenWidth) {
                delete gd.dataset.screenWidth;
                window.Plotly.relayout(gd, {width: null, autosize: true});
            }
        });
    });
}());
