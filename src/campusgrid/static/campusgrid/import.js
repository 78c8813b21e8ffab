/* Roster and staff import (grid/import.html): the upload goes through htmx, which
 * swaps the page's <main> for the server's preview; this file shows its progress.
 * Without JavaScript the form posts as a plain form. */
(function () {
  "use strict";

  function part(id) { return document.getElementById(id); }

  function showProgress(loaded, total) {
    var bar = document.querySelector("#upload-progress .progress-bar");
    if (!bar || !total) return;
    var percent = Math.round((loaded * 100) / total);
    bar.style.width = percent + "%"; // CSSOM, allowed by the style-src policy
    bar.textContent = percent + "%";
  }

  function failed(message) {
    var status = part("upload-status");
    if (status) {
      status.textContent = message;
      status.classList.remove("text-muted");
      status.classList.add("text-danger");
    }
    var progress = part("upload-progress");
    if (progress) progress.classList.add("d-none");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.target.id !== "import-form") return;
    part("upload-progress").classList.remove("d-none");
    part("upload-status").classList.remove("d-none");
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    if (event.target.id !== "import-form") return;
    showProgress(event.detail.loaded, event.detail.total);
  });
  document.addEventListener("htmx:responseError", function (event) {
    if (event.target.id !== "import-form") return;
    var status = event.detail.xhr.status;
    failed(status === 413 || status === 400 ? "上传失败：文件过大或格式不被接受，请检查后重试。" : "上传失败（服务器错误 " + status + "），请稍后重试。");
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (event.target.id !== "import-form") return;
    failed("上传失败，请检查网络后重试。");
  });
})();
