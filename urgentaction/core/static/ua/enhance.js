// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");

  // Move focus to the error summary so screen readers announce it (GOV.UK pattern).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a");
      if (!link) return;
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      event.preventDefault();
      var field = input.closest("fieldset") || input.closest(".field") || input;
      field.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  // The page is the same for everyone (so caches can keep it): the browser gives this
  // form its own token, which makes a resubmit harmless, and says where the visitor came from.
  document.querySelectorAll("form[data-form-token]").forEach(function (form) {
    var token = form.querySelector("input[name=form_token]");
    if (token && !token.value && window.crypto && crypto.randomUUID) {
      token.value = crypto.randomUUID();
    }
    var referrer = form.querySelector("input[name=referrer]");
    if (referrer && !referrer.value && document.referrer.indexOf(location.origin) !== 0) {
      referrer.value = document.referrer.slice(0, 500);
    }
  });

  // Ignore a second click on submit within a few seconds (the server de-duplicates too).
  document.querySelectorAll("form[data-prevent-double-click]").forEach(function (form) {
    var submitting = false;
    form.addEventListener("submit", function (event) {
      if (submitting) {
        event.preventDefault();
        return;
      }
      submitting = true;
      setTimeout(function () { submitting = false; }, 5000);
    });
  });

  // Character count, counted in code points as the server counts them.
  document.querySelectorAll("[data-character-count]").forEach(function (wrapper) {
    var textarea = wrapper.querySelector("textarea");
    var message = wrapper.querySelector(".character-count");
    var limit = parseInt(wrapper.getAttribute("data-maxlength"), 10);
    if (!textarea || !message || !limit) return;
    var formatter = new Intl.NumberFormat(document.documentElement.lang || undefined);
    var timer = null;
    function update() {
      var left = limit - Array.from(textarea.value).length;
      var over = left < 0;
      var count = Math.abs(left);
      var key = (over ? "data-over-" : "data-remaining-") + (count === 1 ? "one" : "other");
      message.textContent = wrapper.getAttribute(key).replace("%s", formatter.format(count));
      message.classList.toggle("character-count--over", over);
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
    update();
  });

  // How much of the letter is the supporter's own words, counted as the server counts
  // them (actions/similarity.py): runs of four words that are not in the suggested letter.
  function wordRuns(text) {
    var words = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || [];
    var runs = new Set();
    for (var i = 0; i + 4 <= words.length; i++) runs.add(words.slice(i, i + 4).join(" "));
    return runs;
  }
  document.querySelectorAll("[data-own-words]").forEach(function (message) {
    var textarea = message.parentElement.querySelector("textarea");
    if (!textarea) return;
    var suggestedText = message.getAttribute("data-suggested");
    var suggested = wordRuns(suggestedText);
    var timer = null;
    function normal(text) { return text.replace(/\r\n?/g, "\n").trim(); }
    function update() {
      // Nothing to say until the supporter has changed something.
      if (normal(textarea.value) === normal(suggestedText)) {
        message.hidden = true;
        return;
      }
      var runs = wordRuns(textarea.value);
      var own = 0;
      runs.forEach(function (run) { if (!suggested.has(run)) own += 1; });
      // In tens, so that a screen reader hears it change now and then, not at every key.
      var percent = runs.size ? Math.round((own / runs.size) * 10) * 10 : 0;
      var needed = parseFloat(message.getAttribute("data-own-words"));
      var few = own < needed * runs.size && message.getAttribute("data-few");
      var text = (few || message.getAttribute("data-message"))
        .replace("%s", percent).replace("%%", "%");
      if (message.textContent !== text) message.textContent = text;
      message.hidden = false;
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
    update();
  });

  // Copy buttons: shown only where the browser can copy.
  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) return;
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.innerText.trim()).then(function () {
          button.textContent = button.getAttribute("data-copied");
          setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
  }

  // The phone's own share menu (reaches apps such as KakaoTalk that have no share link).
  if (navigator.share) {
    document.querySelectorAll("[data-share]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({
          title: button.getAttribute("data-share-title"),
          url: button.getAttribute("data-share-url"),
        }).catch(function () {});
      });
    });
  }
})();
