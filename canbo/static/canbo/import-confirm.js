// One click applies an import once: the buttons are disabled while it runs, and the
// confirm button says so (its data-busy-text).
(function () {
  var confirmForm = document.getElementById("confirm-form");
  if (!confirmForm) { return; }
  confirmForm.addEventListener("submit", function () {
    var button = document.getElementById("confirm-import");
    button.disabled = true;
    button.textContent = button.dataset.busyText;
    var cancel = document.getElementById("cancel-import");
    if (cancel) { cancel.disabled = true; }
  });
})();
