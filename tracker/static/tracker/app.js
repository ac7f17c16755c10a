// 督办: the little JavaScript the whole app shares. Every page works without it.
// (The action dialog has its own script, dialog.js, loaded with templates/tracker/_dialog.html.)
(function () {
  "use strict";

  // htmx does not swap error responses; say so instead of failing silently.
  function toast(text) {
    var box = document.createElement("p");
    box.className = "msg msg-error toast";
    box.setAttribute("role", "alert");
    box.textContent = text;
    document.body.appendChild(box);
    window.setTimeout(function () {
      box.remove();
    }, 6000);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var text = "操作未成功，请刷新页面后重试。";
    if (status === 403) text = "您没有权限进行此操作。";
    if (status === 404) text = "内容不存在或您无权查看。";
    toast(text + "（" + status + "）");
  });

  // A signed-out session answers a fragment request with the login page: go there instead of
  // swapping a login form into the middle of a list.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var loginPath = document.body.getAttribute("data-login-url");
    var url = event.detail.xhr.responseURL;
    if (loginPath && url && new URL(url).pathname === loginPath) {
      event.detail.shouldSwap = false;
      window.location.assign(url);
    }
  });

  // A print button is useless without script: it stays hidden, and the page says to use Ctrl+P.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  document.addEventListener("htmx:sendError", function () {
    toast("网络连接失败，请检查网络后重试。");
  });
})();
