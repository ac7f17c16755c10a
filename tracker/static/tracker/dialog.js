/* The action dialog. htmx loads a form into #dialog-body (or the server retargets one there);
   this opens the <dialog> as a modal, focuses the first field, and closes it when the server
   answers a successful action with HX-Trigger "closeDialog". No inline handlers (CSP). */
(function () {
  "use strict";

  function focusFirstField(dialog) {
    var field = dialog.querySelector("[aria-invalid=true]") ||
      dialog.querySelector("#dialog-body textarea, #dialog-body select, #dialog-body input:not([type=hidden]), #dialog-body button[type=submit]");
    if (field) field.focus();
  }

  // htmx:load fires on each piece of new content, also when a form replaced itself (outerHTML).
  document.addEventListener("htmx:load", function (event) {
    var dialog = event.target.closest && event.target.closest("dialog.action-dialog");
    if (!dialog || !event.target.matches("form, #dialog-body > *")) return;
    if (!dialog.open) dialog.showModal();
    focusFirstField(dialog);
  });

  document.addEventListener("closeDialog", function () {
    document.querySelectorAll("dialog.action-dialog[open]").forEach(function (dialog) {
      dialog.close();
    });
  });

  // A closed dialog keeps no stale form: the next action loads its own.
  document.addEventListener("close", function (event) {
    if (event.target.matches && event.target.matches("dialog.action-dialog")) {
      var body = event.target.querySelector("#dialog-body");
      if (body) body.replaceChildren();
    }
  }, true);

  // A light click on the backdrop closes the dialog, as Escape does.
  document.addEventListener("click", function (event) {
    if (event.target.matches && event.target.matches("dialog.action-dialog[open]")) {
      var box = event.target.getBoundingClientRect();
      var inside = event.clientX >= box.left && event.clientX <= box.right &&
        event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) event.target.close();
    }
  });

  document.addEventListener("showMessage", function (event) {
    var box = document.getElementById("messages");
    if (!box || !event.detail || !event.detail.text) return;
    var line = document.createElement("p");
    line.className = "msg msg-success";
    line.textContent = event.detail.text;
    box.appendChild(line);
    window.setTimeout(function () { line.remove(); }, 6000);
  });
})();
