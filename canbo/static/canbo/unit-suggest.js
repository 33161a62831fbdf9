// Unit boxes with suggestions: an <input data-unit-suggest="URL" list="ID"> gets, as one
// types, the units in scope whose name has the words typed, as options of its <datalist>
// (URL?q=… answers {"results": [{"value", "name", "current"}]}). Typing does not refresh
// the filter form on each key: the form hears the box only when its value is settled
// (a suggestion picked, or the box left: a "change"). A box with data-suggest-only (in an
// edit form) only suggests: the form is sent by its own button.
(function () {
  "use strict";
  var timers = new WeakMap();
  var lastAsked = new WeakMap();

  function fill(input, results) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    list.replaceChildren();
    results.forEach(function (unit) {
      var option = document.createElement("option");
      option.value = unit.value;
      option.label = unit.current ? unit.name : unit.name + " (" + input.dataset.abolished + ")";
      list.appendChild(option);
    });
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
    var list = document.getElementById(input.getAttribute("list"));
    var picked = list && Array.prototype.some.call(list.options, function (option) {
      return option.value === input.value;
    });
    if (picked && input.form && !input.hasAttribute("data-suggest-only")) { input.form.requestSubmit(); return; }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { ask(input); }, 250));
  }, true);

  document.addEventListener("change", function (event) {
    var input = event.target.closest && event.target.closest("input[data-unit-suggest]");
    if (input && input.form && !input.hasAttribute("data-suggest-only")) { input.form.requestSubmit(); }
  });
})();
