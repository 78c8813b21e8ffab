/* CampusGrid: behaviour shared by every page. Loaded by base.html after htmx.
 *
 * Under the Content-Security-Policy no inline script or on*="" attribute runs, so
 * pages declare behaviour with data-* attributes and this file listens for it:
 *   data-confirm="…"    on a submit button or form: ask before submitting
 *   data-busy-text="…"  on a submit button: disable it and show the text once submitted
 * Never build HTML from strings here: textContent, createElement, classList only.
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter || null;
    var question = (button && button.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (button && button.dataset.busyText) {
      // After the submission has started, so that the button's click still submits.
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = button.dataset.busyText;
      }, 0);
    }
  });
})();
