/* String.prototype.trim at the browser's speed again for strings with nothing to trim.

   Dash loads @babel/polyfill 7.12 (core-js 2) before everything else, for the
   `regeneratorRuntime` its components need. core-js 2 counts U+180E as white space, which
   Unicode 6.3 (2013) stopped doing, so in every current browser it judges the native trim
   wrong and puts its own in its place: two regular-expression replaces a call. plotly.js trims
   every colour it parses and every class name it sets, thousands of strings a redraw: a tenth
   of the Kommuner filter change's main-thread time went to that trim (a CPU profile in
   Chromium, issue 22).

   Almost none of those strings begins or ends with white space. For them the answer is the
   string itself, found from its two end characters; any other string goes to core-js's trim
   as before, so what trim returns does not change. Served from assets/, after the polyfill. */
(function () {
    "use strict";
    var slow = String.prototype.trim;

    // A character no trim removes: above the ASCII spaces and controls, below U+1680 (the
    // first white space past Latin, Greek and Cyrillic), not the no-break space U+00A0.
    function kept(code) {
        return code > 0x20 && code < 0x1680 && code !== 0xA0;
    }

    function trim() {
        if (this === null || this === undefined) {
            return slow.call(this);   // core-js's TypeError, as before
        }
        var text = String(this);
        var n = text.length;
        if (n > 0 && kept(text.charCodeAt(0)) && kept(text.charCodeAt(n - 1))) {
            return text;
        }
        return slow.call(text);
    }

    // Only in place of core-js's (it passes for native code to Function's toString): the
    // one that takes U+180E for white space.
    if (slow.call("\u180E") === "") {
        Object.defineProperty(String.prototype, "trim", {
            value: trim, writable: true, configurable: true, enumerable: false
        });
    }
}());
