// "Xuất Excel" exports the list as it is filtered: a link or a form with data-export-base
// keeps the page's query string, also after the filters changed the results in place
// (htmx pushes the new address into the history; the link or form follows it).
document.addEventListener("htmx:pushedIntoHistory", function (event) {
  var path = (event.detail && event.detail.path) || window.location.href;
  var query = path.indexOf("?") >= 0 ? path.slice(path.indexOf("?")) : "";
  document.querySelectorAll("[data-export-base]").forEach(function (element) {
    var target = element.dataset.exportBase + query;
    element.setAttribute(element.tagName === "FORM" ? "action" : "href", target);
  });
});
