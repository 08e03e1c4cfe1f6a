// Kommuner's picked municipality (dashboard/pages/municipalities.py, mark_picked): the charts
// a filter redraws come back without its mark, so it is drawn again, but only when a
// municipality is picked. Passing every redraw to the server would cost each filter change
// a second round trip even with nothing picked (issue 22).
(function () {
    "use strict";
    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        borgmester_pick: {
            redrawn: function (summary, picked) {
                return picked ? Date.now() : window.dash_clientside.no_update;
            }
        }
    });
}());
