/* Tonight's night check of a room (ledgers/night_check.html): one tap per student.
 * The late-return time shows only for 晚归; the button says "全部在寝" until someone
 * is marked absent or late. Delegated, so it keeps working after htmx swaps the card. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches("#night-check-card input[type=radio]")) return;
    var item = input.closest("li");
    var time = item.querySelector(".late-time");
    if (time) {
      time.hidden = input.value !== "late";
      if (!time.hidden && !time.value) {
        time.value = new Date().toTimeString().slice(0, 5);
      }
    }
    var card = document.getElementById("night-check-card");
    var button = document.getElementById("night-submit");
    if (button && card.querySelector("input[value=absent]:checked, input[value=late]:checked")) {
      button.textContent = "提交查寝";
    }
  });
})();
