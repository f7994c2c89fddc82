/* A button after each box of code to copy (a campaign's code for other sites' pages:
   campaigns/admin.py embed_code) puts the whole code on the clipboard and says so in a
   status message. Without JavaScript the box is read-only text to select and copy. */
(function () {
  "use strict";
  function addButtons() {
    document.querySelectorAll("textarea[data-copy-label]").forEach(addButton);
  }

  function addButton(box) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = box.getAttribute("data-copy-label");
    // Each box's button names its box, as there is one per language.
    var label = box.labels.length ? box.labels[0].textContent : "";
    button.setAttribute("aria-label", button.textContent + " (" + label + ")");
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "copy-code-status";
    button.addEventListener("click", function () {
      box.focus();
      box.select();
      var copied = navigator.clipboard
        ? navigator.clipboard.writeText(box.value)
        : Promise.reject(new Error("no clipboard"));
      copied.then(
        function () { status.textContent = box.getAttribute("data-copied-label"); },
        function () { status.textContent = box.getAttribute("data-select-label"); }
      );
    });
    box.after(button, status);
  }

  // The admin loads a form's scripts in the page's head, before the boxes exist.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addButtons);
  } else {
    addButtons();
  }
})();
