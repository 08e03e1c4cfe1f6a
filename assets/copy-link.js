// "Kopiér link" (dashboard/filter_bar.py): copy the address the reader sees, in the browser.
// The address is the view (dashboard/url_state.py), so it is read when clicked, never sent
// from the server ahead of time (that cost a callback output on every filter change).
// dcc.Clipboard was not used: it renders a <div> (not reachable by keyboard) and renders
// nothing at all where navigator.clipboard is missing (plain http inside KL's network).
(function () {
    "use strict";

    function copyWithSelection(text) {
        // The fallback where the asynchronous clipboard is missing or refused.
        var field = document.createElement("textarea");
        field.value = text;
        field.setAttribute("readonly", "");
        field.style.position = "fixed";
        field.style.opacity = "0";
        document.body.appendChild(field);
        field.select();
        var done = false;
        try {
            done = document.execCommand("copy");
        } catch (error) {
            done = false;
        }
        document.body.removeChild(field);
        return done;
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        borgmester_link: {
            copy: function (clicks, button_id) {
                var clientside = window.dash_clientside;
                if (!clicks) {
                    return clientside.no_update;
                }
                var button = document.getElementById(button_id);
                var text = window.location.href;
                var said = function (ok) {
                    // Back to its own label after a while, as a copy button does.
                    window.setTimeout(function () {
                        clientside.set_props(button_id, {children: button.dataset.label});
                    }, 2500);
                    return button.dataset[ok ? "copied" : "failed"];
                };
                if (navigator.clipboard && window.isSecureContext) {
                    return navigator.clipboard.writeText(text).then(
                        function () { return said(true); },
                        function () { return said(copyWithSelection(text)); });
                }
                return said(copyWithSelection(text));
            }
        }
    });
}());
