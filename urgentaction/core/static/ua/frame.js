// Inside another site's frame (actions/embed/base.html): tell the page around it how tall
// this page is, so that embed.js there sizes the frame to fit, and to bring the frame into
// view when this page has news (errors to fix, the thank-you page). Only the sites staff
// allowed to show the action are told; the browser drops a message to any other.
(function () {
  "use strict";
  if (window.parent === window) return;
  var origins = (document.body.getAttribute("data-frame-origins") || "").split(" ").filter(Boolean);
  if (!origins.length) return;
  var news = document.body.hasAttribute("data-frame-scroll") ||
    document.querySelector("[data-error-summary]") !== null;
  var told = 0;

  function tell(scroll) {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === told && !scroll) return;
    told = height;
    origins.forEach(function (origin) {
      window.parent.postMessage(
        { type: "urgent-action:frame", height: height, title: document.title, scroll: scroll },
        origin
      );
    });
  }

  tell(news);
  if (window.ResizeObserver) {
    new ResizeObserver(function () { tell(false); }).observe(document.documentElement);
  } else {
    window.addEventListener("resize", function () { tell(false); });
  }
})();
