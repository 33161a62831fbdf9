// Unit boxes with suggestions: an <input data-unit-suggest="URL"> gets, as one types, the
// units in scope whose name has the words typed (URL?q=… answers {"results": [{"value",
// "name", "current"}]}), as options of a listbox below it: a combobox of autocomplete.js
// (arrow keys, Enter chooses and never sends the form, Escape closes). The page's <datalist>
// (list="…") is what the box falls back to if this file does not run; here it is replaced.
// Typing does not refresh the filter form on each key: the form hears the box only when its
// value is settled (a suggestion picked, or the box left: a "change"). A box with
// data-suggest-only (in an edit form) only suggests: the form is sent by its own button.
(function () {
  "use strict";
  var timers = new WeakMap();
  var lastAsked = new WeakMap();

  function listboxOf(input) {
    return document.getElementById(input.getAttribute("aria-controls") || "");
  }

  function upgrade(input, index) {
    if (input.getAttribute("role") === "combobox") { return; }
    var id = (input.id || "unit-suggest-" + index) + "-listbox";
    var holder = document.createElement("div");
    holder.className = "position-relative";
    var listbox = document.createElement("div");
    listbox.className = "list-group position-absolute w-100 shadow-sm z-suggest suggest-list";
    listbox.id = id;
    listbox.hidden = true;
    listbox.setAttribute("role", "listbox");
    holder.appendChild(listbox);
    input.insertAdjacentElement("afterend", holder);
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
  }

  function fill(input, results) {
    var listbox = listboxOf(input);
    if (!listbox) { return; }
    listbox.replaceChildren();
    results.forEach(function (unit) {
      var option = document.createElement("button");
      option.type = "button";
      option.tabIndex = -1;
      option.className = "list-group-item list-group-item-action py-1 small";
      option.setAttribute("role", "option");
      option.dataset.unitValue = unit.value;
      option.textContent = unit.current ? unit.value : unit.value + " (" + input.dataset.abolished + ")";
      listbox.appendChild(option);
    });
    window.canboCombobox.refresh(input);
  }

  function ask(input) {
    var text = input.value.trim();
    if (text.length < 2 || lastAsked.get(input) === text) { return; }
    lastAsked.set(input, text);
    var url = input.dataset.unitSuggest + "?q=" + encodeURIComponent(text);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === text) { fill(input, data.results || []); } })
      .catch(function () { /* no suggestions: the box still takes a code or a name */ });
  }

  document.addEventListener("input", function (event) {
    var input = event.target.closest && event.target.closest("input[data-unit-suggest]");
    if (!input) { return; }
    // Not a filter change yet: keep the form's live refresh (htmx, on "input") out of it.
    event.stopPropagation();
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { ask(input); }, 250));
  }, true);

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-unit-value]");
    var listbox = option && option.closest("[role=listbox]");
    var input = listbox && document.querySelector(
      'input[data-unit-suggest][aria-controls="' + CSS.escape(listbox.id) + '"]');
    if (!input) { return; }
    input.value = option.dataset.unitValue;
    lastAsked.set(input, input.value.split(" · ")[0]);
    window.canboCombobox.close(input);
    if (input.form && !input.hasAttribute("data-suggest-only")) { input.form.requestSubmit(); }
  });

  document.addEventListener("change", function (event) {
    var input = event.target.closest && event.target.closest("input[data-unit-suggest]");
    if (input && input.form && !input.hasAttribute("data-suggest-only")) { input.form.requestSubmit(); }
  });

  Array.prototype.forEach.call(document.querySelectorAll("input[data-unit-suggest]"), upgrade);
})();
