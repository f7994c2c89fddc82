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

  // The widget is not shown (a box to tick would read as one more thing to do): a line
  // beside it says how far the check has got, and its icon shows the same.
  widgets.forEach(function (widget) {
    var status = widget.parentElement.querySelector("[data-pow-status]");
    if (!status) return;
    var words = status.querySelector("[data-pow-words]");
    widget.addEventListener("statechange", function (change) {
      var state = change.detail.state;
      var text = status.getAttribute("data-" + state);
      if (!text) return;
      status.setAttribute("data-pow-status", state);
      if (words.textContent !== text) words.textContent = text;
    });
  });

  // A send waits for the work in hand; it goes as soon as the work is done or has
  // stopped (failed, expired, reset), or after WAIT_MS at most. Without a proof the
  // letter still goes, and waits for its writer to confirm it by email.
  var WAIT_MS = 20000;
  widgets.forEach(function (widget) {
    var form = widget.closest("form");
    if (!form) return;
    var waiting = null;
    var released = false;
    function go() {
      if (!waiting) return;
      clearTimeout(waiting.timer);
      widget.removeEventListener("statechange", waiting.listener);
      var submitter = waiting.submitter;
      waiting = null;
      released = true;
      form.requestSubmit(submitter);
    }
    form.addEventListener("submit", function (event) {
      var state = widget.getState();
      if (released || state === "verified" || state === "error") {
        released = false;
        return;
      }
      // Before the double-click guard and the widget's own handler see this send.
      event.preventDefault();
      event.stopImmediatePropagation();
      if (waiting) return;
      waiting = {
        submitter: event.submitter,
        timer: setTimeout(go, WAIT_MS),
        listener: function (change) {
          if (change.detail.state !== "verifying") go();
        },
      };
      widget.addEventListener("statechange", waiting.listener);
      if (state !== "verifying") widget.verify();
    }, true);
  });
})();
