// The import flow's only script: show upload progress while htmx sends the files.
// Loaded by src with the CSP nonce; no inline handlers. Pages work without it.
(function () {
  "use strict";

  function progressOf(form) {
    var box = form && form.querySelector(".imp-progress");
    return box ? { bar: box.querySelector("progress"), label: box.querySelector("[data-progress-label]") } : null;
  }

  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest ? event.target.closest("#import-form") : null;
    var parts = progressOf(form);
    if (!parts || !parts.bar || !event.detail.lengthComputable || !event.detail.total) return;
    var pct = Math.round((event.detail.loaded / event.detail.total) * 100);
    parts.bar.value = pct;
    if (parts.label) {
      parts.label.textContent = pct < 100 ? "正在上传… " + pct + "%" : "上传完成，正在解析…";
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var parts = progressOf(event.target.closest ? event.target.closest("#import-form") : null);
    if (parts && parts.bar) {
      parts.bar.value = 0;
      if (parts.label) parts.label.textContent = "正在上传并解析…";
    }
  });
})();
