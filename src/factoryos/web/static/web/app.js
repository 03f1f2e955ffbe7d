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
  // Pickers (web/forms.py Picker): a click on a match picks it; Enter picks the first match, or (a barcode scanner
  // types a code and Enter faster than the search answers) the only one once the answer arrives. Typing again
  // forgets the picked row until another is picked.
  function pick(option) {
    var picker = option.closest("[data-picker]");
    var value = picker.querySelector(".picker-value");
    value.value = option.getAttribute("data-pick");
    picker.querySelector(".picker-search").value = option.getAttribute("data-label");
    picker.querySelector(".picker-results").innerHTML = "";
    value.dispatchEvent(new Event("change", { bubbles: true }));
  }
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-pick]");
    if (option) { pick(option); }
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches(".picker-search")) {
      event.target.closest("[data-picker]").querySelector(".picker-value").value = "";
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.target.matches && event.target.matches(".picker-search"))) { return; }
    event.preventDefault();
    var picker = event.target.closest("[data-picker]");
    var first = picker.querySelector("[data-pick]");
    if (first) { pick(first); } else {
      picker.setAttribute("data-pick-one", "");
      event.target.dispatchEvent(new Event("search"));
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var picker = event.target.closest && event.target.closest("[data-picker]");
    if (!picker || !picker.hasAttribute("data-pick-one")) { return; }
    picker.removeAttribute("data-pick-one");
    var options = picker.querySelectorAll("[data-pick]");
    if (options.length === 1) { pick(options[0]); }
  });
  // A form sent by htmx that the server refuses (400 invalid, 409 conflict/read-only, 422) comes back as the same
  // partial with the errors on its fields: show it (htmx 2 swaps only 2xx responses by default).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if ((status === 400 || status === 409 || status === 422) && event.detail.serverResponse) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
