// Small behaviours, no inline scripts (the CSP forbids them): auto-submitting selects, confirmations,
// copy buttons, the tablet menu. htmx sends the CSRF token from <body hx-headers>.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.requestSubmit(); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); event.stopImmediatePropagation(); }
  }, true);
  document.addEventListener("click", function (event) {
    var copy = event.target.closest && event.target.closest("[data-copy]");
    if (copy) {
      var source = document.querySelector(copy.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () { copy.textContent = "Copied"; });
      }
    }
    var toggle = event.target.closest && event.target.closest("[data-toggle]");
    if (toggle) {
      var panel = document.getElementById(toggle.getAttribute("data-toggle"));
      if (panel) { panel.classList.toggle("open"); }
    }
  });
})();
