// Picking a suggestion (a person by ID number, an area by code) fills the box it was
// offered for, then closes the suggestions. Buttons name their box in data-person-pick
// or data-area-pick, and carry the value in data-value.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-person-pick], [data-area-pick]");
  if (!button) { return; }
  var input = document.querySelector(button.dataset.personPick || button.dataset.areaPick);
  if (input) { input.value = button.dataset.value; input.focus(); }
  var box = button.closest(".person-suggest, .area-suggest");
  if (box) { box.innerHTML = ""; }
});
