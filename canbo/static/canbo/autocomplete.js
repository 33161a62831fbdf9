// Boxes with suggestions, one keyboard for all of them (loaded on every page, after htmx).
//
// 1. Any <input role="combobox" aria-controls="ID">: its suggestions are the [role=option]
//    elements inside #ID. ArrowDown / ArrowUp move through them (aria-activedescendant),
//    Enter chooses the highlighted one by clicking it (or the only one) and never sends the
//    form, Escape closes them; leaving the box closes them too. Whoever fills #ID handles the
//    click (pick.js for areas and people, unit-suggest.js for filter boxes, 2. below) and
//    calls canboCombobox.refresh(input) once it has filled it (htmx swaps are seen here).
// 2. The unit picker of forms (organizations/widgets.py): a hidden input carries the unit's
//    pk, the text box shows "CODE · Name". Here the box becomes a combobox: it loses its name
//    (only the pk is sent), asks data-unit-picker's URL for suggestions (an HTML fragment of
//    options) as one types, and a chosen option sets the pk. Typing clears the pk until a
//    unit is chosen; leaving the box unchosen takes the only suggestion, else puts the last
//    chosen unit back.
(function () {
  "use strict";

  function popupOf(input) {
    return document.getElementById(input.getAttribute("aria-controls") || "");
  }

  function optionsOf(input) {
    var popup = popupOf(input);
    return popup ? Array.prototype.slice.call(popup.querySelectorAll('[role="option"]')) : [];
  }

  function isOpen(input) {
    var popup = popupOf(input);
    return Boolean(popup && !popup.hidden && popup.children.length);
  }

  function activeOf(input) {
    var id = input.getAttribute("aria-activedescendant");
    return id ? document.getElementById(id) : null;
  }

  function highlight(input, option) {
    optionsOf(input).forEach(function (each) {
      var on = each === option;
      each.classList.toggle("active", on);
      each.setAttribute("aria-selected", on ? "true" : "false");
    });
    if (option) {
      if (!option.id) { option.id = input.id + "-option-" + optionsOf(input).indexOf(option); }
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close(input) {
    var popup = popupOf(input);
    if (popup) { popup.hidden = true; }
    input.setAttribute("aria-expanded", "false");
    highlight(input, null);
  }

  function open(input) {
    var popup = popupOf(input);
    if (!popup || !popup.children.length) { close(input); return; }
    popup.hidden = false;
    input.setAttribute("aria-expanded", optionsOf(input).length ? "true" : "false");
  }

  // After the suggestions changed: nothing highlighted; shown if the box still has the focus.
  function refresh(input) {
    highlight(input, null);
    if (document.activeElement === input) { open(input); } else { close(input); }
  }

  function move(input, step) {
    var options = optionsOf(input);
    if (!options.length) { return; }
    open(input);
    var index = options.indexOf(activeOf(input));
    if (index < 0) {
      index = step > 0 ? 0 : options.length - 1;
    } else {
      index = (index + step + options.length) % options.length;
    }
    highlight(input, options[index]);
  }

  function combobox(target) {
    return target && target.matches && target.matches('input[role="combobox"]') ? target : null;
  }

  document.addEventListener("keydown", function (event) {
    var input = combobox(event.target);
    if (!input || event.isComposing) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!optionsOf(input).length) {
        // Nothing to move through: ask for suggestions (the unit picker lists its first units).
        input.dispatchEvent(new CustomEvent("combobox:browse", { bubbles: true }));
        return;
      }
      move(input, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      event.preventDefault(); // a box with suggestions never sends its form
      if (!isOpen(input)) { return; }
      var options = optionsOf(input);
      var chosen = activeOf(input) || (options.length === 1 ? options[0] : null);
      if (chosen && options.indexOf(chosen) >= 0) { chosen.click(); }
    } else if (event.key === "Escape" && isOpen(input)) {
      event.preventDefault();
      close(input);
    }
  });

  // The combobox whose suggestions hold `element`, if any.
  function ownerOf(element) {
    for (var node = element.parentElement; node; node = node.parentElement) {
      if (node.id) {
        var input = document.querySelector(
          'input[role="combobox"][aria-controls="' + CSS.escape(node.id) + '"]');
        if (input) { return input; }
      }
    }
    return null;
  }

  // Pressing an option keeps the focus in the box, so the click that follows chooses it
  // (rather than the box closing its suggestions first).
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest('[role="option"]');
    if (option && ownerOf(option)) { event.preventDefault(); }
  });

  document.addEventListener("focusout", function (event) {
    var input = combobox(event.target);
    if (input) { close(input); }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.id) { return; }
    var input = document.querySelector('input[role="combobox"][aria-controls="' + target.id + '"]');
    if (input) { refresh(input); }
  });

  window.canboCombobox = { close: close, open: open, refresh: refresh, options: optionsOf };

  // --- The unit picker ------------------------------------------------------------------

  var MIN_TYPED = 2;
  var asked = new WeakMap();
  var timers = new WeakMap();

  function partsOf(element) {
    var root = element.closest && element.closest("[data-unit-picker]");
    if (!root) { return null; }
    return {
      root: root,
      box: root.querySelector("[data-unit-picker-box]"),
      value: root.querySelector("[data-unit-picker-value]"),
    };
  }

  function upgrade(root) {
    var parts = partsOf(root);
    if (!parts || parts.box.getAttribute("role") === "combobox") { return; }
    parts.box.removeAttribute("name"); // the hidden input carries the chosen unit
    parts.box.setAttribute("role", "combobox");
    parts.box.setAttribute("aria-autocomplete", "list");
    parts.box.setAttribute("aria-expanded", "false");
    parts.box.setAttribute("aria-controls", parts.box.dataset.listbox);
    root.dataset.chosenValue = parts.value.value;
    root.dataset.chosenText = parts.value.value ? parts.box.value : "";
  }

  function ask(parts, text) {
    var turn = (asked.get(parts.root) || 0) + 1;
    asked.set(parts.root, turn);
    var url = parts.root.dataset.unitPicker + "&q=" + encodeURIComponent(text);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (asked.get(parts.root) !== turn) { return; } // an older answer
        document.getElementById(parts.box.dataset.listbox).innerHTML = html;
        refresh(parts.box);
      })
      .catch(function () { /* no suggestions: the box keeps the last chosen unit */ });
  }

  function choose(parts, option) {
    parts.value.value = option.dataset.value;
    parts.box.value = option.dataset.label;
    parts.root.dataset.chosenValue = option.dataset.value;
    parts.root.dataset.chosenText = option.dataset.label;
    close(parts.box);
    parts.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function settle(parts) {
    // Left without choosing: the only suggestion if there is one, else the last choice.
    if (parts.value.value || !parts.box.value.trim()) { return; }
    var options = optionsOf(parts.box);
    if (options.length === 1) { choose(parts, options[0]); return; }
    parts.value.value = parts.root.dataset.chosenValue || "";
    parts.box.value = parts.root.dataset.chosenText || "";
  }

  document.addEventListener("input", function (event) {
    var parts = partsOf(event.target);
    if (!parts || event.target !== parts.box) { return; }
    parts.value.value = ""; // nothing chosen until a suggestion is
    var text = parts.box.value.trim();
    clearTimeout(timers.get(parts.root));
    if (text.length < MIN_TYPED) {
      asked.set(parts.root, (asked.get(parts.root) || 0) + 1);
      document.getElementById(parts.box.dataset.listbox).replaceChildren();
      close(parts.box);
      return;
    }
    timers.set(parts.root, setTimeout(function () { ask(parts, text); }, 200));
  });

  document.addEventListener("combobox:browse", function (event) {
    var parts = partsOf(event.target);
    if (parts && event.target === parts.box) { ask(parts, parts.box.value.trim()); }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest('[data-unit-picker] [role="option"]');
    var parts = option && partsOf(option);
    if (parts) { choose(parts, option); }
  });

  document.addEventListener("focusout", function (event) {
    var parts = partsOf(event.target);
    if (parts && event.target === parts.box) { settle(parts); }
  });

  function upgradeAll(scope) {
    var roots = scope.querySelectorAll ? scope.querySelectorAll("[data-unit-picker]") : [];
    Array.prototype.forEach.call(roots, upgrade);
    if (scope.matches && scope.matches("[data-unit-picker]")) { upgrade(scope); }
  }

  upgradeAll(document);
  document.addEventListener("htmx:load", function (event) { upgradeAll(event.target); });
})();
