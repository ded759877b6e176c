// The letter page (templates/_letter_samples.html): the sender's name goes into the sample
// letters as it is typed; each letter can be copied (clipboard API, else the text is selected
// with a hint) or printed alone (static/css/letter.css). Without this file the letters show a
// visible placeholder and the page still works. No inline script: the CSP forbids it.
(function () {
  "use strict";

  function init() {
    var input = document.getElementById("letter-sender-name");
    var status = document.querySelector(".letter-status");
    var messages = document.getElementById("letter-messages");
    if (!input) return;

    function fill() {
      var name = input.value.trim();
      document.querySelectorAll(".letter-sender").forEach(function (span) {
        span.textContent = name || span.getAttribute("data-placeholder");
        span.classList.toggle("is-placeholder", !name);
      });
    }
    input.addEventListener("input", fill);
    fill();

    function say(key) {
      if (status && messages) status.textContent = messages.getAttribute(key) || "";
    }

    function letterText(el) {
      return Array.prototype.map.call(el.querySelectorAll("p"), function (p) {
        return p.innerText.trim();
      }).join("\n\n");
    }

    function selectText(el) {
      var range = document.createRange();
      range.selectNodeContents(el);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }

    document.querySelectorAll(".letter-copy").forEach(function (button) {
      var letter = document.getElementById(button.getAttribute("data-letter"));
      if (!letter) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = letterText(letter);
        var failed = function () { selectText(letter); say("data-copy-failed"); };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { say("data-copied"); }, failed);
        } else {
          failed();
        }
      });
    });

    document.querySelectorAll(".letter-print").forEach(function (button) {
      var letter = document.getElementById(button.getAttribute("data-letter"));
      if (!letter || typeof window.print !== "function") return;
      button.hidden = false;
      button.addEventListener("click", function () {
        document.body.classList.add("printing-letter");
        letter.classList.add("print-this");
        window.print();
      });
    });
    window.addEventListener("afterprint", function () {
      document.body.classList.remove("printing-letter");
      document.querySelectorAll(".print-this").forEach(function (el) { el.classList.remove("print-this"); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
