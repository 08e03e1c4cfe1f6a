// Kommuner's picked municipality (dashboard/pages/municipalities.py, mark_picked): the charts
// a filter redraws come back without its mark, so it is drawn again, but only when a
// municipality is picked. Passing every redraw to the server would cost each filter change
// a second round trip even with nothing picked (issue 22). A pick the redrawn view does not
// offer is let go.
(function () {
    "use strict";
    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        borgmester_pick: {
            // [PICK_REDRAWN's data, the list's value]: the mark drawn again when the pick is
            // among the redrawn view's municipalities, else the pick let go ("": no pick).
            redrawn: function (summary, picked, options) {
                var noUpdate = window.dash_clientside.no_update;
                if (picked === undefined || picked === null || picked === "") {
                    return [noUpdate, noUpdate];
                }
                var offered = (options || []).some(function (o) {
                    return String(o.value) === String(picked);
                });
                return offered ? [Date.now(), noUpdate] : [noUpdate, ""];
            }
        }
    });
}());
