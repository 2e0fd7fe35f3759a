/* briefgen: the little script the site has. Nothing here is needed to read a
   page, and nothing leaves the browser.

   Checklists keep ticks and notes in this browser only (localStorage). The key
   carries the checklist's content version, so a changed checklist starts clean
   instead of showing ticks against other words.

   The case-studies index filters in the page. Without this script its form
   stays hidden and every case study shows. Within a facet any ticked value
   matches; across facets every facet must match. */
(function () {
  "use strict";

  function setUpChecklist(checklist) {
    var key = "briefgen:checklist:" + checklist.dataset.checklist + ":" + checklist.dataset.version;
    var ticks = checklist.querySelectorAll("input[type=checkbox][data-item]");
    var notes = checklist.querySelectorAll("textarea[data-item]");
    var status = checklist.querySelector("[data-bg-status]");

    function read() {
      try {
        return JSON.parse(window.localStorage.getItem(key)) || {};
      } catch (error) {
        return {};
      }
    }

    function save() {
      var state = { ticks: {}, notes: {} };
      ticks.forEach(function (box) { if (box.checked) state.ticks[box.dataset.item] = true; });
      notes.forEach(function (area) { if (area.value) state.notes[area.dataset.item] = area.value; });
      try {
        window.localStorage.setItem(key, JSON.stringify(state));
      } catch (error) {
        /* Storage full or disabled: the page still works, it just will not remember. */
      }
      announce();
    }

    function announce() {
      if (!status) return;
      var done = 0;
      ticks.forEach(function (box) { if (box.checked) done += 1; });
      status.textContent = done + " of " + ticks.length + " checked";
    }

    var state = read();
    ticks.forEach(function (box) {
      box.checked = Boolean(state.ticks && state.ticks[box.dataset.item]);
      box.addEventListener("change", save);
    });
    notes.forEach(function (area) {
      area.value = (state.notes && state.notes[area.dataset.item]) || "";
      area.addEventListener("input", save);
    });

    checklist.querySelectorAll("[data-bg-action]").forEach(function (button) {
      button.hidden = false; /* the buttons need this script, so they start hidden */
      button.addEventListener("click", function () {
        if (button.dataset.bgAction === "print") {
          window.print();
        } else if (button.dataset.bgAction === "clear") {
          ticks.forEach(function (box) { box.checked = false; });
          notes.forEach(function (area) { area.value = ""; });
          try { window.localStorage.removeItem(key); } catch (error) { /* nothing to clear */ }
          announce();
        }
      });
    });
    announce();

    var address = checklist.querySelector("[data-bg-address]");
    if (address) address.textContent = window.location.href.split("#")[0].split("?")[0];
  }

  function setUpFilters(form) {
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
    document.querySelectorAll("[data-checklist][data-version]").forEach(setUpChecklist);
    document.querySelectorAll("[data-bg-filters]").forEach(setUpFilters);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
