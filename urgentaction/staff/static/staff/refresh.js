/* The dashboard asks for itself again every data-refresh-seconds while it is open and
   in view, and swaps in the new numbers; without JavaScript its Refresh link does the
   same. A button stops and restarts it (WCAG 2.2.2). Open tables stay open. */
(function () {
  "use strict";
  var region = document.querySelector("[data-refresh-seconds]");
  if (!region || !window.fetch || !window.DOMParser) return;
  var seconds = parseInt(region.getAttribute("data-refresh-seconds"), 10) || 30;
  var words = {
    stop: region.getAttribute("data-label-stop"),
    start: region.getAttribute("data-label-start"),
    failed: region.getAttribute("data-label-failed")
  };
  var timer = null;
  var status = region.querySelector("[data-refresh-status]");
  var button = document.createElement("button");
  button.type = "button";
  button.className = "staff-refresh-toggle";
  status.parentNode.appendChild(button);

  function label() {
    button.textContent = timer ? words.stop : words.start;
  }

  function openDetails(root) {
    return Array.prototype.map.call(root.querySelectorAll("details[open]"), function (el) {
      return el.closest("section") && el.closest("section").id;
    });
  }

  function refresh() {
    if (document.visibilityState !== "visible") return;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var open = openDetails(region);
        var focused = document.activeElement && document.activeElement.id;
        [".staff-facts", ".staff-charts", "[aria-labelledby=targets-title]"].forEach(function (selector) {
          var now = fresh.querySelector(selector);
          var then = region.querySelector(selector);
          if (now && then) then.replaceWith(now);
        });
        open.forEach(function (id) {
          var details = id && document.querySelector("#" + id + " details");
          if (details) details.open = true;
        });
        var newStatus = fresh.querySelector("[data-refresh-status]");
        if (newStatus) status.textContent = newStatus.textContent;
        if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
      })
      .catch(function () {
        status.textContent = words.failed;
      });
  }

  function start() {
    timer = window.setInterval(refresh, seconds * 1000);
    label();
  }

  function stop() {
    window.clearInterval(timer);
    timer = null;
    label();
  }

  button.addEventListener("click", function () {
    if (timer) stop(); else start();
  });
  start();
})();
