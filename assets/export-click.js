// Which chart or table export was clicked, for dashboard/downloads.py: a clientside callback
// (no request) between the export menus and the server's download callback. The same for
// Overblik's report buttons and a click on its sessions' bars (dashboard/pages/overview.py).
// Dash calls a callback whose inputs are in a newly shown page even when it asks not to be
// called at first (prevent_initial_call only holds for outputs shown with their inputs), and
// the download lands in the shell: every page switch sent two download requests that only
// answered "nothing", a round trip after the page's own. Here a page's menus appearing
// (n_clicks empty) is no update, and only a click reaches the server.
(function () {
    "use strict";
    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        borgmester: Object.assign({}, (window.dash_clientside || {}).borgmester, {
            exportClicked: function () {
                var clientside = window.dash_clientside;
                var hit = (clientside.callback_context.triggered || []).find(function (t) {
                    return t.value;   // n_clicks: a click, not a menu appearing
                });
                if (!hit) {
                    return clientside.no_update;
                }
                var id = hit.prop_id.slice(0, hit.prop_id.lastIndexOf("."));
                // The time makes a second click on the same item a change of the store. A
                // dict id comes as its JSON; `value`: what was clicked (a chart's clickData).
                return {id: id.charAt(0) === "{" ? JSON.parse(id) : id, value: hit.value,
                        at: Date.now()};
            }
        })
    });
}());
