// A data table as one component (dashboard/html_table.py, HtmlTable): the server writes the
// whole <table>, every value escaped, and this puts it into its box at once, instead of a
// React component per cell (issue 22). Dash finds the component as window[namespace][type].
// A link in the table moves inside the app as dcc.Link does: the address pushed into the
// history, then the event dcc.Location listens for, so the page changes without a reload; a
// click with a modifier key (a new tab or window) is the browser's own.
(function () {
    "use strict";

    function followInApp(event) {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.shiftKey ||
                event.altKey || event.ctrlKey) {
            return;
        }
        var link = event.target.closest ? event.target.closest("a[href]") : null;
        if (!link || !event.currentTarget.contains(link) ||
                (link.target && link.target !== "_self") ||
                link.origin !== window.location.origin) {
            return;
        }
        event.preventDefault();
        window.history.pushState({}, "", link.pathname + link.search + link.hash);
        window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
        window.scrollTo(0, 0);
    }

    function HtmlTable(props) {
        return window.React.createElement("div", {
            id: props.id,
            className: props.className,
            style: props.style,
            tabIndex: props.tabIndex,
            onClick: followInApp,
            dangerouslySetInnerHTML: {__html: props.html || ""}
        });
    }

    window.dashboard = Object.assign({}, window.dashboard, {HtmlTable: HtmlTable});
}());
