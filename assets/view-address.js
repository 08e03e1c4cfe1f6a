// The view in the address, the browser's part (dashboard/filter_bar.py): clientside callbacks,
// so neither costs a request.
// - pageControlChanged: a page's own controls in the address (VAT, "Vis som tabel", the
//   session) reach the bar's `sync` only when a reader changes one. Dash calls a callback
//   whose inputs are in a page being shown or taken away even when it asks not to be called
//   at first; a new set of controls is remembered, not sent.
// - applyAddress: after a back/forward, a link or "Nulstil filtre", the controls take the
//   view `sync` read from the address, each only where it differs (a control set to the
//   value it has would still call the callbacks that read it), a page's own controls only
//   on the page the view was read for. Set with set_props, outside
//   the callback graph: Dash holds back any callback a running one could reach.
(function () {
    "use strict";

    function key(id) {
        return JSON.stringify(id);
    }

    // Lists compared as sets: ticks come in the order they were clicked.
    function same(a, b) {
        var norm = function (v) {
            return Array.isArray(v) ? v.slice().sort() : v;
        };
        return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        borgmester: Object.assign({}, (window.dash_clientside || {}).borgmester, {
            pageControlChanged: function (controls, tables, choices, controlIds, tableIds,
                                          choiceIds, seen) {
                var noUpdate = window.dash_clientside.no_update;
                var now = {};
                [[controlIds, controls], [tableIds, tables], [choiceIds, choices]].forEach(
                    function (pair) {
                        pair[0].forEach(function (id, i) {
                            now[key(id)] = pair[1][i];
                        });
                    });
                var keys = Object.keys(now).sort();
                if (!seen || keys.join("|") !== Object.keys(seen).sort().join("|")) {
                    return [now, noUpdate];   // a page's controls shown or taken away
                }
                var changed = keys.some(function (k) {
                    return !same(now[k], seen[k]);
                });
                return changed ? [now, now] : [noUpdate, noUpdate];
            },

            // "Vis som tabel" (dashboard/chart_tables.py): the graph or the table shown, and
            // the table asked for only while it is shown.
            tableAsked: function (asTable, programme, search, options, asked, switchId) {
                var noUpdate = window.dash_clientside.no_update;
                var triggered = window.dash_clientside.callback_context.triggered || [];
                // Dash names a dict id by its JSON with the keys sorted.
                var sorted = {};
                Object.keys(switchId).sort().forEach(function (k) {
                    sorted[k] = switchId[k];
                });
                var bySwitch = triggered.some(function (t) {
                    return t.prop_id === JSON.stringify(sorted) + ".value";
                });
                if (!asTable) {
                    return bySwitch ? [false, true, noUpdate] : [noUpdate, noUpdate, noUpdate];
                }
                // A count, so asking again with the same view is still a change.
                return [true, false, {n: ((asked || {}).n || 0) + 1}];
            },

            // The page's controls in dashboard/filter_bar.py's PAGE_CONTROLS order, as
            // pageControlChanged takes them: their values, then their ids.
            applyAddress: function (view, programme, regions, formats, audiences, years,
                                    yearOptions, controls, tables, choices, controlIds,
                                    tableIds, choiceIds, choiceOptions, defaults, defaultIds,
                                    seen, pagePaths) {
                var set = window.dash_clientside.set_props;
                if (!view) {
                    return;
                }
                // The page shown is the one the view was read for, not the page a switch is
                // taking away (its layout still here when the view arrives before the new
                // page's): the new page's layout draws itself from the address.
                var shown = (pagePaths || [])[0];
                var onItsPage = !shown || shown.path === view.path;
                // A page's control set here is the address's, not a reader's change: seen
                // first, so pageControlChanged does not send it back to be written (a new
                // history entry would end the way forward).
                var pageSet = [];
                var put = function (id, target, current) {
                    if (target !== undefined && target !== null && !same(target, current)) {
                        if (typeof id === "object") {
                            pageSet.push([id, target]);
                        } else {
                            set(id, {value: target});
                        }
                    }
                };
                if (view.year_options && !same(view.year_options, yearOptions)) {
                    set(view.ids.years, {options: view.year_options});
                }
                var bar = view.controls || {};
                put(view.ids.programme, view.programme, programme);
                put(view.ids.regions, bar.regions, regions);
                put(view.ids.formats, bar.formats, formats);
                put(view.ids.audiences, bar.audiences, audiences);
                put(view.ids.years, bar.years, years);
                if (!onItsPage) {
                    return;
                }
                controlIds.forEach(function (id, i) {
                    put(id, (view.page || {})[id.name], controls[i]);
                });
                tableIds.forEach(function (id, i) {
                    var on = (view.tables || []).indexOf(id.chart) >= 0;
                    if (on !== !!tables[i]) {
                        pageSet.push([id, on]);
                    }
                });
                // A choice the address names when the page offers it, else the page's default.
                // A choice the view does not mention at all was not on the page when `sync`
                // read the address (its request can go before the page's layout arrives): the
                // layout drew it from the address already, so it is left as it is.
                var fallback = {};
                defaultIds.forEach(function (id, i) {
                    fallback[id.name] = defaults[i];
                });
                var read = view.choices || {};
                choiceIds.forEach(function (id, i) {
                    if (!Object.prototype.hasOwnProperty.call(read, id.name)) {
                        return;
                    }
                    var named = read[id.name];
                    var offered = (choiceOptions[i] || []).some(function (o) {
                        return o.value === named;
                    });
                    put(id, offered ? named : fallback[id.name], choices[i]);
                });
                if (pageSet.length) {
                    var known = Object.assign({}, seen || {});
                    pageSet.forEach(function (pair) {
                        known[key(pair[0])] = pair[1];
                    });
                    set(view.ids.seen, {data: known});
                    pageSet.forEach(function (pair) {
                        set(pair[0], {value: pair[1]});
                    });
                }
            }
        })
    });
}());
