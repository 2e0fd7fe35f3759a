/* briefgen: filter the case studies index in the page. Without this script the
   form stays hidden and every case study shows. Within a facet any ticked value
   matches; across facets every facet must match. */
(function () {
  "use strict";

  function setUp(form) {
    var cards = Array.prototype.slice.call(document.querySelectorAll("[data-facets]"));
    var count = form.querySelector("[data-bg-count]");
    var none = document.querySelector(".bg-no-match");
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
    var facets = cards.map(function (card) {
      try { return JSON.parse(card.dataset.facets); } catch (error) { return {}; }
    });

    function apply() {
      var wanted = {};
      boxes.forEach(function (box) {
        if (box.checked) (wanted[box.name] = wanted[box.name] || []).push(box.value);
      });
      var shown = 0;
      cards.forEach(function (card, index) {
        var values = facets[index];
        var match = Object.keys(wanted).every(function (name) {
          return (values[name] || []).some(function (value) {
            return wanted[name].indexOf(value) !== -1;
          });
        });
        card.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = "Showing " + shown + " of " + cards.length + " case studies";
      if (none) none.hidden = shown !== 0;
    }

    form.addEventListener("change", apply);
    form.querySelector("[data-bg-clear]").addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      apply();
    });
    form.hidden = false;
    apply();
  }

  function start() {
    document.querySelectorAll("[data-bg-filters]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
