// Person and area boxes (htmx suggestions into the box named by hx-target, a .person-suggest
// or .area-suggest): each box is a combobox of autocomplete.js, so the arrow keys move
// through its suggestions, Enter chooses one and never sends the form, Escape closes them.
// Picking a suggestion (a person by ID number, an area by code) fills the box it was offered
// for, then closes the suggestions. Buttons name their box in data-person-pick or
// data-area-pick, and carry the value in data-value.
(function () {
  "use strict";
  var POPUPS = ".person-suggest, .area-suggest";

  function mark(scope) {
    var inputs = scope.querySelectorAll ? scope.querySelectorAll("input[hx-target]") : [];
    Array.prototype.forEach.call(inputs, function (input) {
      var id = (input.getAttribute("hx-target") || "").replace(/^#/, "");
      var popup = id && document.getElementById(id);
      if (!popup || !popup.matches(POPUPS) || input.getAttribute("role") === "combobox") { return; }
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-expanded", "false");
      input.setAttribute("aria-controls", id);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-person-pick], [data-area-pick]");
    if (!button) { return; }
    var input = document.querySelector(button.dataset.personPick || button.dataset.areaPick);
    if (input) { input.value = button.dataset.value; input.focus(); }
    var box = button.closest(POPUPS);
    if (box) { box.innerHTML = ""; }
    if (input && window.canboCombobox) { window.canboCombobox.close(input); }
  });

  mark(document);
  document.addEventListener("htmx:load", function (event) {
    mark(event.target.parentElement || event.target);
  });
})();
