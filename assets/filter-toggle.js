// "Filtre (n)" on a phone (dashboard/filter_bar.py): each click opens or closes the filter
// bar's controls; n is the number of chips (the filters in force), counted from the chips
// the bar shows. Only the phone layout folds the controls away (assets/a11y.css).
(function () {
    "use strict";
    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        borgmester: Object.assign({}, (window.dash_clientside || {}).borgmester, {
            filterToggle: function (clicks, chips, label) {
                var open = (clicks || 0) % 2 === 1;
                var count = (chips || []).filter(function (chip) {
                    return chip && chip.type === "Badge";
                }).length;
                // The label's parts: the word, " (", the count's span, ")".
                var parts = label.slice();
                var span = Object.assign({}, parts[2]);
                span.props = Object.assign({}, span.props, {children: String(count)});
                parts[2] = span;
                return [open ? "filter-controls open" : "filter-controls",
                        open ? "true" : "false", parts];
            }
        })
    });
}());
