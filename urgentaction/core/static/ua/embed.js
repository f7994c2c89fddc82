// Shows an urgent action inside a partner's page. The partner pastes, where it should go:
//   <script src="https://act.example.org/static/ua/embed.js" data-action="free-them" async></script>
// (data-language="ko" for the page in Korean). This adds an iframe of the action's embed
// page from the site that served this file, and fits the frame to the page inside it,
// believing only messages from that site and that frame. The site shows the action only
// in the sites staff allowed for it (frame-ancestors); it sets no cookie.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL || !window.postMessage) return;
  var slug = script.getAttribute("data-action") || "";
  var language = script.getAttribute("data-language") || "";
  if (!/^[-\w]+$/.test(slug) || (language && !/^[a-z]{2,3}(-[a-z0-9]+)?$/.test(language))) return;
  var site = new URL(script.src, document.baseURI).origin;

  var frame = document.createElement("iframe");
  frame.src = site + (language ? "/" + language : "") + "/embed/actions/" + slug +
    "/?source=" + encodeURIComponent("embed:" + location.host);
  // Until the page inside says its own title.
  frame.title = script.getAttribute("data-title") || "Urgent action: write a letter";
  // The copy and share buttons of the thank-you page.
  frame.setAttribute("allow", "clipboard-write; web-share");
  frame.style.display = "block";
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.height = "48rem";
  script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener("message", function (event) {
    if (event.origin !== site || event.source !== frame.contentWindow) return;
    var news = event.data;
    if (!news || news.type !== "urgent-action:frame") return;
    var height = Number(news.height);
    if (height > 0 && height < 100000) frame.style.height = Math.ceil(height) + "px";
    if (typeof news.title === "string" && news.title) frame.title = news.title.slice(0, 300);
    if (news.scroll === true) frame.scrollIntoView({ block: "start" });
  });
})();
