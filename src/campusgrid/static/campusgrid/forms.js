// Form pages, phone first: bring the error summary into view (it links to each field),
// and check photos before they are uploaded (the server checks again). No inline
// script and no HTML built from data: messages are set as text.
(function () {
  "use strict";

  function showSummary(root) {
    var summary = (root || document).querySelector("[data-form-errors]");
    if (!summary) return;
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }

  // A summary link goes to its field; a field drawn with its own id (radio buttons,
  // check boxes) is found by its name.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-form-errors] a[data-field]");
    if (!link) return;
    var target =
      document.getElementById(link.getAttribute("href").slice(1)) ||
      document.querySelector('[name="' + CSS.escape(link.getAttribute("data-field")) + '"]');
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  });

  function megabytes(bytes) {
    return Math.round(bytes / (1024 * 1024)) + "MB";
  }

  function problemOf(file, maxBytes, types) {
    if (types.length && types.indexOf(file.type) < 0) {
      return "“" + file.name + "”不是支持的图片格式（支持 JPG、PNG、GIF、WEBP）";
    }
    if (maxBytes && file.size > maxBytes) {
      return "照片“" + file.name + "”超过" + megabytes(maxBytes) + "，请换一张或压缩后再上传";
    }
    return "";
  }

  function feedbackFor(input) {
    var next = input.nextElementSibling;
    if (next && next.hasAttribute("data-file-error")) return next;
    var box = document.createElement("div");
    box.className = "invalid-feedback d-block";
    box.setAttribute("data-file-error", "");
    box.setAttribute("role", "alert");
    input.insertAdjacentElement("afterend", box);
    return box;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
    var types = (input.getAttribute("data-types") || "").split(",").filter(Boolean);
    var problems = [];
    Array.prototype.forEach.call(input.files || [], function (file) {
      var problem = problemOf(file, maxBytes, types);
      if (problem) problems.push(problem);
    });
    var box = feedbackFor(input);
    if (problems.length) {
      box.textContent = problems.join("；");
      input.classList.add("is-invalid");
      input.value = ""; // nothing too big is sent; the rest of the form is kept
    } else {
      box.textContent = "";
      input.classList.remove("is-invalid");
    }
  });

  showSummary();
  document.addEventListener("htmx:afterSwap", function (event) {
    showSummary(event.target);
  });
})();
