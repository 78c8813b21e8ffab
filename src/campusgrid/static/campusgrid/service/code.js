// The attendance code page: count down the seconds until the code changes. The code and its
// QR image themselves are refreshed by htmx polling (hx-trigger="every 5s"); this only
// updates a number, and never builds HTML.
(function () {
  "use strict";
  function tick() {
    var el = document.getElementById("code-seconds");
    if (!el) return;
    var left = parseInt(el.dataset.left, 10);
    if (isNaN(left)) return;
    left = left > 1 ? left - 1 : 0;
    el.dataset.left = String(left);
    el.textContent = String(left);
  }
  window.setInterval(tick, 1000);
})();
