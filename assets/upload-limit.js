// The Data page's upload limit, said on the page on either side.
// In the browser: dcc.Upload drops a file over its max_size without a word (it passes no
// rejection on), so the file's size is checked here as it is chosen or dropped. On the server:
// a request over the limit gets 413, which Dash's renderer only logs; its message is shown.
// The limit and the text come from the page (#data-upload-limit's data-max-bytes and
// data-too-large, from dashboard/i18n.py); the message box is #data-upload-refused.
(function () {
    "use strict";

    function say(text) {
        var box = document.getElementById("data-upload-refused");
        if (!box) {
            return;
        }
        box.textContent = text;   // text, never markup: the file name is the user's
        box.hidden = !text;
    }

    function check(event, files) {
        var limit = event.target.closest && event.target.closest("#data-upload-limit");
        if (!limit || !files) {
            return;
        }
        var max = Number(limit.dataset.maxBytes);
        var big = Array.prototype.find.call(files, function (file) { return file.size > max; });
        say(big ? limit.dataset.tooLarge.replace("{file}", big.name) : "");
    }

    // Capture: seen before the drop zone handles (and silently drops) the file.
    document.addEventListener("change", function (event) {
        check(event, event.target.files);
    }, true);
    document.addEventListener("drop", function (event) {
        check(event, event.dataTransfer && event.dataTransfer.files);
    }, true);

    var send = window.fetch;
    window.fetch = function () {
        return send.apply(this, arguments).then(function (response) {
            if (response.status === 413) {
                response.clone().json().then(function (body) { say(body.error || ""); },
                                             function () { say(response.statusText); });
            }
            return response;
        });
    };
}());
