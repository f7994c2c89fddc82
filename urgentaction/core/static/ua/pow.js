// The proof-of-work widget (ALTCHA, served from our static files): its worker, its words
// in the page's language, and a send that waits for the work rather than going without it.
// Without this file the forms still work: letters then wait for confirmation by email.
(function () {
  "use strict";
  var widgets = document.querySelectorAll("altcha-widget[data-worker]");
  if (!widgets.length || !window.$altcha) return;
  var first = widgets[0];
  var worker = first.getAttribute("data-worker");
  $altcha.algorithms.set("PBKDF2/SHA-256", function () { return new Worker(worker); });
  $altcha.i18n.set(document.documentElement.lang, JSON.parse(first.getAttribute("data-strings")));

  widgets.forEach(function (widget) {
    var form = widget.closest("form");
    if (!form) return;
    var waiting = false;
    form.addEventListener("submit", function (event) {
      var state = widget.getState();
      if (state === "verified" || state === "error") return;
      // Before the double-click guard and the widget's own handler see this send.
      event.preventDefault();
      event.stopImmediatePropagation();
      if (waiting) return;
      waiting = true;
      widget.addEventListener("statechange", function done(change) {
        var now = change.detail.state;
        if (now !== "verified" && now !== "error") return;
        widget.removeEventListener("statechange", done);
        waiting = false;
        form.requestSubmit(event.submitter);
      });
      if (state !== "verifying") widget.verify();
    }, true);
  });
})();
