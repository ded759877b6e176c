// Print buttons on the letter page and the campaign report (no inline script: the CSP forbids it).
document.addEventListener("DOMContentLoaded", function () {
  ["print-letter", "print-report"].forEach(function (id) {
    var b = document.getElementById(id);
    if (b) b.addEventListener("click", function () { window.print(); });
  });
});
