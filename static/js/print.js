// The print button on the letter page (no inline script: the CSP forbids it).
document.addEventListener("DOMContentLoaded", function () {
  var b = document.getElementById("print-letter");
  if (b) b.addEventListener("click", function () { window.print(); });
});
