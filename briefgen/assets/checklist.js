/* briefgen checklists: ticks and notes kept in this browser only (localStorage).
   Nothing is sent anywhere. The key carries the checklist's content version, so
   a changed checklist starts clean instead of showing ticks against other words. */
(function () {
  "use strict";

  function setUp(checklist) {
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

  function start() {
    document.querySelectorAll("[data-checklist][data-version]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
