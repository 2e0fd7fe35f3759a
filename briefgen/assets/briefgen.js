/* briefgen: the little script the site has. Nothing here is needed to read a
   page, and nothing leaves the browser.

   Checklists keep ticks and notes in this browser only (localStorage), under a key
   of the site's path and the checklist's content version, so a changed checklist
   starts clean instead of showing ticks against other words. A reader can save them
   to a file and load that file back, here or in another browser.

   The case-studies index filters in the page. Without this script its form
   stays hidden and every case study shows. Within a facet any ticked value
   matches; across facets every facet must match.

   The index also lets a reader tick case studies to compare. The comparison
   page then fetches each chosen case study's page (the address says which:
   compare/?with=a,b), reads the description briefgen puts on every one (JSON
   in its data-bg-case-study attribute, the same whatever template made the
   page) and builds the same table the page has without this script. Nothing
   is inserted as markup: cells are built from text and links. */
(function () {
  "use strict";

  /* Opened from a file (a pull request's preview, unzipped), the site's links lead to
     folder listings and a browser lets no page fetch another, so search and the
     comparison fail too: each page says so, and how to serve the folder instead. */
  var FROM_FILE = window.location.protocol === "file:";
  // Not 8000, where `make serve` shows a contributor's own copy.
  var PORT = 8001;
  // The plugin puts this script at assets/briefgen/ under the site's root.
  var SCRIPT = document.currentScript;
  var ROOT = SCRIPT && SCRIPT.src ? new URL("../../", SCRIPT.src) : null;

  /* The command that serves the site's folder, word by word; the folder is the 7th. */
  function serveCommand() {
    var program = "python3";
    var folder = "site";
    if (ROOT && ROOT.protocol === "file:") {
      folder = decodeURIComponent(ROOT.pathname).replace(/\/$/, "");
      if (/^\/[A-Za-z]:/.test(folder)) {
        // Windows (file:///C:/...): its Python launcher, and double quotes.
        program = "py";
        folder = "\"" + folder.slice(1) + "\"";
      } else {
        folder = "'" + folder.replace(/'/g, "'\\''") + "'";
      }
    }
    return [program, "-m", "http.server", "--bind", "127.0.0.1", "--directory", folder, String(PORT)];
  }
  var FOLDER_WORD = 6;

  function paragraph() {
    var p = document.createElement("p");
    Array.prototype.forEach.call(arguments, function (part) {
      p.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
    return p;
  }

  function noticeFromFile(host) {
    var notice = document.createElement("div");
    notice.className = "admonition warning bg-file-notice";
    notice.setAttribute("data-bg-file-notice", "");
    notice.setAttribute("role", "region");
    notice.setAttribute("aria-labelledby", "bg-file-notice-title");
    var title = paragraph("This site is opened from a file");
    title.className = "admonition-title";
    title.id = "bg-file-notice-title";
    var code = document.createElement("code");
    // Lines break between words, never at a word's hyphen; only a long folder breaks within.
    serveCommand().forEach(function (word, index) {
      if (index) code.appendChild(document.createTextNode(" "));
      var span = document.createElement("span");
      span.className = index === FOLDER_WORD ? "bg-file-notice__folder" : "bg-file-notice__word";
      span.textContent = word;
      code.appendChild(span);
    });
    var block = document.createElement("pre");
    block.appendChild(code);
    var address = "http://127.0.0.1:" + PORT + "/";
    var link = document.createElement("a");
    link.href = address;
    link.textContent = address;
    notice.append(
      title,
      paragraph("Its links open folder listings, and its search and comparisons do not work: " +
        "a browser allows them only on a site that is served. To serve it, run this in a terminal:"),
      block,
      paragraph("then open ", link, ". Ctrl+C in the terminal stops it.")
    );
    host.insertBefore(notice, host.firstChild);
  }

  /* Every site on a host (org.github.io/a/ and /b/) keeps its own answers: the path of
     the site's root is part of each key. */
  var SCOPE = ROOT ? ROOT.pathname : "/";
  // A file of answers is a few kilobytes; a larger one is not one.
  var MOST_BYTES = 1000000;

  function pageAddress() {
    return window.location.href.split("#")[0].split("?")[0];
  }

  /* A checklist's answers: ticks and notes by item number, as kept in this browser. */
  function setUpChecklist(checklist) {
    var id = checklist.dataset.checklist;
    var version = checklist.dataset.version;
    var key = "briefgen:" + SCOPE + ":checklist:" + id + ":" + version;
    var status = checklist.querySelector("[data-bg-status]");
    var undo = checklist.querySelector("[data-bg-action=undo]");
    var clear = checklist.querySelector("[data-bg-action=clear]");
    var confirmation = checklist.querySelector("[data-bg-confirm]");
    var items = Array.prototype.map.call(
      checklist.querySelectorAll("input[type=checkbox][data-item]"),
      function (box) {
        var note = checklist.querySelector("textarea[data-item='" + box.dataset.item + "']");
        return {
          n: box.dataset.item,
          box: box,
          note: note,
          // What prints in the note's place: its whole text, however long.
          copy: note && note.parentNode.querySelector("[data-bg-note-copy]"),
        };
      }
    );
    var before = null; // the answers Undo brings back

    function stored() {
      try {
        var text = window.localStorage.getItem(key);
        if (text === null) {
          // Kept before keys had the site's path: moved once, to this site's key.
          var old = "briefgen:checklist:" + id + ":" + version;
          text = window.localStorage.getItem(old);
          if (text !== null) {
            window.localStorage.setItem(key, text);
            window.localStorage.removeItem(old);
          }
        }
        return JSON.parse(text) || {};
      } catch (error) {
        return {};
      }
    }

    function answers() {
      var state = { ticks: {}, notes: {} };
      items.forEach(function (item) {
        if (item.box.checked) state.ticks[item.n] = true;
        if (item.note && item.note.value) state.notes[item.n] = item.note.value;
      });
      return state;
    }

    function show(state) {
      items.forEach(function (item) {
        item.box.checked = Boolean(state.ticks && state.ticks[item.n] === true);
        if (item.note) item.note.value = (state.notes && state.notes[item.n]) || "";
        copyNote(item);
      });
    }

    function copyNote(item) {
      if (item.copy) item.copy.textContent = item.note.value;
    }

    function keep() {
      try {
        window.localStorage.setItem(key, JSON.stringify(answers()));
      } catch (error) {
        /* Storage full or disabled: the page still works, it just will not remember. */
      }
    }

    function keepsAnswers() {
      try {
        window.localStorage.setItem(key + ":probe", "1");
        window.localStorage.removeItem(key + ":probe");
        return true;
      } catch (error) {
        return false;
      }
    }

    function count() {
      var done = items.filter(function (item) { return item.box.checked; }).length;
      return done + " of " + items.length + " done";
    }

    /* The status line: what just happened, if anything, and how many are done. */
    function announce(message) {
      var text = message ? message + " " + count() + "." : count();
      // Rewritten only when it says something new: a screen reader reads each rewrite.
      if (status && status.textContent !== text) status.textContent = text;
    }

    function offerUndo(state) {
      before = state;
      if (undo) undo.hidden = !state;
    }

    /* The reader's own change: kept, counted, and no longer undone by Undo. */
    function changed(item) {
      copyNote(item);
      keep();
      offerUndo(null);
      announce();
    }

    /* All answers replaced at once (cleared, loaded): Undo puts back the reader's own,
       those from before the first of such changes in a row. */
    function replace(state, message) {
      if (confirmation && !confirmation.hidden) ask(false); // the question is answered
      var last = before || answers();
      show(state);
      keep();
      offerUndo(last);
      announce(message);
    }

    function ask(asking) {
      if (!confirmation) return;
      confirmation.hidden = !asking;
      clear.hidden = asking;
      (asking ? confirmation.querySelector("[data-bg-action=clear-no]") : clear).focus();
    }

    function save() {
      var file = {
        checklist: id,
        version: version,
        title: checklist.dataset.title,
        saved: new Date().toISOString(),
        site: pageAddress(),
        items: items.map(function (item) {
          return {
            n: Number(item.n),
            label: item.box.dataset.label,
            done: item.box.checked,
            note: item.note ? item.note.value : "",
          };
        }),
      };
      var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = id + "-answers.json";
      link.hidden = true;
      checklist.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      announce("Saved your answers as " + link.download + ".");
    }

    /* The answers in a file's text, or why they cannot be loaded. The file is data only:
       read by JSON.parse, its notes set as a text box's value, nothing of it run. */
    function readFile(text) {
      var file;
      try {
        file = JSON.parse(text);
      } catch (error) {
        return "that file is not JSON, as Save answers writes";
      }
      if (!file || typeof file !== "object" || typeof file.checklist !== "string") {
        return "that file is not one Save answers wrote";
      }
      if (file.checklist !== id) {
        return "that file holds the answers to another checklist";
      }
      if (file.version !== version) {
        return "this checklist has changed since those answers were saved, so they may " +
          "not fit its items";
      }
      var state = { ticks: {}, notes: {} };
      var byNumber = {};
      items.forEach(function (item) { byNumber[item.n] = item; });
      var fits = Array.isArray(file.items) && file.items.every(function (answer) {
        if (!answer || typeof answer !== "object") return false;
        var item = Number.isInteger(answer.n) && byNumber[answer.n];
        var done = answer.done === undefined ? false : answer.done;
        var note = answer.note === undefined ? "" : answer.note;
        if (!item || typeof done !== "boolean" || typeof note !== "string") return false;
        // Longer than the box takes (its maxlength; -1, none): not a note this page saved.
        var room = item.note ? item.note.maxLength : 0;
        if (room >= 0 && note.length > room) return false;
        delete byNumber[answer.n]; // each item once
        if (done) state.ticks[item.n] = true;
        if (note) state.notes[item.n] = note;
        return true;
      });
      return fits ? state : "its items are not as Save answers writes them";
    }

    var picker = null; // the file chooser Load opens: in the page, or Safari may drop it

    function load() {
      if (!picker) {
        picker = document.createElement("input");
        picker.type = "file";
        picker.accept = ".json,application/json";
        picker.hidden = true;
        picker.tabIndex = -1;
        checklist.appendChild(picker);
        picker.addEventListener("change", loadChosen);
      }
      picker.value = ""; // the same file chosen again is a change
      picker.click();
    }

    function loadChosen() {
      var file = picker.files[0];
      if (!file) return;
      var refuse = function (why) { announce("Not loaded: " + why + ". Nothing was changed."); };
      if (file.size > MOST_BYTES) {
        refuse("that file is larger than a file of answers can be");
        return;
      }
      file.text().then(function (text) {
        var state = readFile(text);
        if (typeof state === "string") {
          refuse(state);
        } else {
          replace(state, "Loaded the answers from " + file.name + ".");
        }
      }, function () { refuse("that file could not be read"); });
    }

    var actions = {
      print: function () { window.print(); },
      save: save,
      load: load,
      clear: function () {
        // A site's own template from before the question was asked on the page: asked here.
        if (confirmation) ask(true);
        else if (window.confirm("Clear all ticks and notes?")) actions["clear-yes"]();
      },
      "clear-yes": function () {
        ask(false);
        replace({}, "Cleared every tick and note.");
        if (undo) undo.focus();
      },
      "clear-no": function () { ask(false); },
      undo: function () {
        show(before);
        keep();
        offerUndo(null);
        announce("Ticks and notes put back as they were.");
        clear.focus(); // Undo is gone: focus goes to the button beside it
      },
    };

    show(stored());
    if (!keepsAnswers()) {
      var where = checklist.querySelector(".bg-actions__where");
      if (where) {
        where.textContent = "This browser is not keeping your ticks and notes (its storage " +
          "is off); nothing is sent anywhere. Save them to a file to keep them.";
      }
    }
    // The same checklist open in another tab of this browser: its answers are the latest.
    window.addEventListener("storage", function follow(event) {
      if (!checklist.isConnected) {
        window.removeEventListener("storage", follow); // left by instant navigation
      } else if (event.key === key) {
        show(stored());
        announce();
      }
    });
    items.forEach(function (item) {
      item.box.addEventListener("change", function () { changed(item); });
      if (item.note) item.note.addEventListener("input", function () { changed(item); });
    });
    checklist.querySelectorAll("[data-bg-action]").forEach(function (button) {
      button.addEventListener("click", function () { actions[button.dataset.bgAction](); });
    });
    if (confirmation) {
      confirmation.addEventListener("keydown", function (event) {
        if (event.key === "Escape") ask(false);
      });
    }
    // What needs this script starts hidden; Print and Clear of a site's older template too.
    checklist.querySelectorAll("[data-bg-js], [data-bg-action=print], [data-bg-action=clear]")
      .forEach(function (element) { element.hidden = false; });
    announce();

    var address = checklist.querySelector("[data-bg-address]");
    if (address) {
      // The page's own address, right under any host and path; shown once known.
      address.textContent = pageAddress();
      address.parentNode.hidden = false;
    }
  }

  /* Folded on a phone, and wherever, open, the filters would push the first case study
     below the first screen: decided here, in the reader's browser, which alone knows the
     screen's height and the size of its text (a facet count at build time knows neither). */
  var PHONE = "(max-width: 44.984375em)"; // Material's own breakpoint for a phone

  function setUpFilters(form) {
    var cards = Array.prototype.slice.call(document.querySelectorAll("[data-facets]"));
    var count = form.querySelector("[data-bg-count]");
    var none = document.querySelector(".bg-no-match");
    var toggle = form.querySelector("[data-bg-filters-toggle]");
    var panel = form.querySelector("[data-bg-filters-panel]");
    var chosenNote = form.querySelector("[data-bg-filters-chosen]");
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
    var names = [];
    boxes.forEach(function (box) { if (names.indexOf(box.name) === -1) names.push(box.name); });
    var facets = cards.map(function (card) {
      try { return JSON.parse(card.dataset.facets); } catch (error) { return {}; }
    });

    function matches(values, name, wanted) {
      return (values[name] || []).some(function (value) { return wanted[name].indexOf(value) !== -1; });
    }

    /* Shows the matching case studies, and gives each option the number that would match
       with it ticked alongside the choices in the other facets: a case study failing no
       facet counts for each of its values, one failing a single facet for its values in
       that facet. One pass over the case studies, however many options there are. */
    function apply() {
      var wanted = {};
      var ticked = 0;
      boxes.forEach(function (box) {
        if (box.checked) {
          (wanted[box.name] = wanted[box.name] || []).push(box.value);
          ticked += 1;
        }
      });
      var chosenFacets = Object.keys(wanted);
      var tally = {};
      names.forEach(function (name) { tally[name] = {}; });
      function add(values, name) {
        (values[name] || []).forEach(function (value) {
          tally[name][value] = (tally[name][value] || 0) + 1;
        });
      }
      var shown = 0;
      cards.forEach(function (card, index) {
        var values = facets[index];
        var failed = chosenFacets.filter(function (name) { return !matches(values, name, wanted); });
        card.hidden = failed.length !== 0;
        if (failed.length === 0) {
          shown += 1;
          names.forEach(function (name) { add(values, name); });
        } else if (failed.length === 1) {
          add(values, failed[0]);
        }
      });
      boxes.forEach(function (box) {
        var label = box.parentNode.querySelector("[data-bg-option-count]");
        if (label) label.textContent = "(" + (tally[box.name][box.value] || 0) + ")";
      });
      count.textContent = "Showing " + shown + " of " + cards.length + " case studies";
      if (chosenNote) chosenNote.textContent = ticked ? " (" + ticked + " chosen)" : "";
      if (none) none.hidden = shown !== 0;
    }

    // A site's own index template from before the filters folded has no toggle: its
    // filters stay open, and the rest of the page's script still runs.
    function fold(folded) {
      if (!toggle || !panel) return;
      toggle.setAttribute("aria-expanded", String(!folded));
      panel.hidden = folded;
    }

    form.addEventListener("change", apply);
    form.querySelector("[data-bg-clear]").addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      apply();
    });
    if (toggle) {
      toggle.addEventListener("click", function () {
        fold(toggle.getAttribute("aria-expanded") === "true");
      });
    }
    form.hidden = false;
    apply();
    // Measured open, then folded if need be, before the browser paints: no jump.
    fold(window.matchMedia(PHONE).matches || crowded(cards[0]));
  }

  /* Whether, with the filters open, the first case study's title and the first two lines
     of its summary would not fit the first screen. */
  function crowded(card) {
    if (!card) return false;
    var summary = card.querySelector("p") || card;
    var line = parseFloat(window.getComputedStyle(summary).lineHeight) || 24; // "normal": NaN
    var top = summary.getBoundingClientRect().top + window.pageYOffset;
    return top + 2 * line > window.innerHeight;
  }

  var SLUG = /^[a-z0-9][a-z0-9-]*$/;

  /* Comparing takes two case studies or more: until then the link is shown disabled
     (no address, aria-disabled), and says how many more to tick. */
  function setUpPicker(bar) {
    var link = bar.querySelector("[data-bg-pick-link]");
    var count = bar.querySelector("[data-bg-pick-count]");
    var chosen = [];

    function update() {
      if (chosen.length >= 2) {
        link.href = bar.dataset.bgPick + "?with=" + chosen.join(",");
        link.removeAttribute("aria-disabled");
        link.removeAttribute("role");
        link.removeAttribute("tabindex");
      } else {
        link.removeAttribute("href");
        link.setAttribute("role", "link");
        link.setAttribute("aria-disabled", "true");
        link.setAttribute("tabindex", "0"); // still found by keyboard, and read as dimmed
      }
      if (chosen.length === 0) {
        count.textContent = "None chosen yet: tick \u201cCompare\u201d on two or more.";
      } else if (chosen.length === 1) {
        count.textContent = "1 chosen: tick one more to compare.";
      } else {
        count.textContent = chosen.length + " chosen";
      }
    }

    document.querySelectorAll("[data-bg-study]").forEach(function (card) {
      var id = card.dataset.bgStudy;
      var heading = card.querySelector("h2 a:not(.headerlink)");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = id;
      box.setAttribute("aria-label", "Compare " + (heading ? heading.textContent : id));
      label.className = "bg-card__pick";
      label.appendChild(box);
      label.appendChild(document.createTextNode(" Compare"));
      box.addEventListener("change", function () {
        chosen = chosen.filter(function (other) { return other !== id; });
        if (box.checked) chosen.push(id);
        update();
      });
      card.appendChild(label);
    });
    bar.hidden = false;
    update();
  }

  /* A cell: its lines one below another, or the items of a list (`listed`), each of
     text and links to places on the case study's page (a figure's source), which must
     lead there from this page too. */
  function cellOf(lines, listed, address) {
    var cell = document.createElement("td");
    var list = listed ? document.createElement("ul") : null;
    if (list) cell.appendChild(list);
    lines.forEach(function (line, index) {
      var holder = cell;
      if (list) {
        holder = document.createElement("li");
        list.appendChild(holder);
      } else if (index) {
        cell.appendChild(document.createElement("br"));
      }
      line.forEach(function (part) {
        if (typeof part === "string") {
          holder.appendChild(document.createTextNode(part));
          return;
        }
        var link = document.createElement("a");
        link.setAttribute("href", address + "#" + part.anchor);
        link.textContent = part.text;
        holder.appendChild(link);
      });
    });
    return cell;
  }

  /* The case study `id` from its page's text, or an error if the page is not its page. */
  function readStudy(id, address, text) {
    var page = new DOMParser().parseFromString(text, "text/html");
    var holder = page.querySelector("[data-bg-case-study]");
    if (!holder) throw new Error("no case study's description");
    var study = JSON.parse(holder.getAttribute("data-bg-case-study"));
    if (study.id !== id) throw new Error("another case study's page");
    return {
      address: address,
      title: study.title,
      cells: study.rows.map(function (row) {
        return [row.label, cellOf(row.lines, row.list === true, address)];
      }),
    };
  }

  /* The glossary the compare page carries (briefgen/site/glossary.py), ready to find its
     terms: each as written, and with its first letter a capital, as a sentence starts. */
  function glossaryOf(holder) {
    if (!holder) return null;
    var byText = {};
    JSON.parse(holder.getAttribute("data-bg-glossary")).forEach(function (entry) {
      [entry.term, entry.term.charAt(0).toUpperCase() + entry.term.slice(1)].forEach(function (text) {
        var key = text.split(/\s+/).join(" ");
        if (!byText[key]) byText[key] = entry;
      });
    });
    var texts = Object.keys(byText).sort(function (a, b) { return b.length - a.length; });
    if (!texts.length) return null;
    var pattern = new RegExp(texts.map(function (text) {
      return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
    }).join("|"), "g");
    return { pattern: pattern, byText: byText };
  }

  // As the render stage reads them: no term inside a word, an address or a link's text.
  var LEFT_ALONE = "a, abbr, button, code, kbd, pre, samp, h1, h2, h3, h4, h5, h6";
  var BAD_BEFORE = /[\w&#/.@-]/;
  var BAD_AFTER = /^(?:[\w/@'\u2019-]|[.:]\w)/;
  var IN_BRACKETS = /^\s*[(\[]([^)\]]*)[)\]]/;

  function plain(text) { return text.toLowerCase().split(/\s+/).join(" ").trim(); }

  /* The first use of each term in `root` not yet in `done` says what it stands for, as on
     the page's own table: <abbr title> for an abbreviation, then " (expansion)" unless
     the text gives it. Built of text nodes, never markup: a case study's text is a
     contributor's. */
  function explainTerms(root, glossary, done) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      if (node.parentElement.closest(LEFT_ALONE)) return;
      glossary.pattern.lastIndex = 0;
      var found;
      while ((found = glossary.pattern.exec(node.data))) {
        var entry = glossary.byText[found[0].split(/\s+/).join(" ")];
        var start = found.index;
        var end = start + found[0].length;
        if (done.has(entry) || BAD_BEFORE.test(node.data.charAt(start - 1)) ||
            BAD_AFTER.test(node.data.slice(end))) continue;
        done.add(entry);
        var before = node.data.slice(0, start);
        var used = node.splitText(start);
        node = used.splitText(found[0].length); // the text after it, searched on
        glossary.pattern.lastIndex = 0;
        if (entry.abbreviation) {
          var abbr = document.createElement("abbr");
          abbr.title = entry.expansion;
          abbr.textContent = found[0];
          used.replaceWith(abbr);
          used = abbr;
        }
        var inside = IN_BRACKETS.exec(node.data);
        var said = inside
          ? plain(inside[1]) === plain(entry.expansion)
          : /[(\[]\s*$/.test(before) && /^\s*[)\]]/.test(node.data) &&
            plain(before).indexOf(plain(entry.expansion)) >= 0;
        if (!said) used.after(" (" + entry.expansion + ")");
      }
    });
  }

  function fillTable(table, studies) {
    var caption = document.createElement("caption");
    caption.id = "bg-compare-caption"; // the name of the table's scrolling frame
    caption.textContent = "The case studies you chose, compared";
    var head = document.createElement("thead");
    var top = head.insertRow();
    var corner = document.createElement("th");
    corner.scope = "col";
    corner.textContent = "\u00a0";
    top.appendChild(corner);
    studies.forEach(function (study) {
      var th = document.createElement("th");
      th.scope = "col";
      var link = document.createElement("a");
      link.href = study.address;
      link.textContent = study.title;
      th.appendChild(link);
      top.appendChild(th);
    });
    var body = document.createElement("tbody");
    studies[0].cells.forEach(function (pair, row) {
      var tr = body.insertRow();
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = pair[0];
      tr.appendChild(th);
      studies.forEach(function (study) { tr.appendChild(study.cells[row][1]); });
    });
    table.replaceChildren(caption, head, body);
    // Terms the page explains outside the table stay explained; the table explains the rest.
    var glossary = glossaryOf(document.querySelector("[data-bg-glossary]"));
    if (!glossary) return;
    var done = new Set();
    var page = table.closest("article") || document.body;
    page.querySelectorAll("abbr").forEach(function (abbr) {
      var entry = glossary.byText[abbr.textContent.split(/\s+/).join(" ")];
      if (entry && !table.contains(abbr)) done.add(entry);
    });
    explainTerms(body, glossary, done);
  }

  /* "Scroll sideways" says so only while the table is wider than its frame, at any width
     (the stylesheet shows it on a phone until this has measured). */
  function watchOverflow(box) {
    var hint = document.querySelector("[data-bg-compare-hint]");
    if (!hint) return;
    var measure = function () {
      hint.classList.add("bg-compare__hint--measured");
      hint.hidden = box.scrollWidth <= box.clientWidth + 1;
    };
    measure();
    if (window.ResizeObserver) new ResizeObserver(measure).observe(box);
    return measure;
  }

  function setUpCompare(box) {
    var measure = watchOverflow(box);
    var wanted = new URLSearchParams(window.location.search).get("with");
    if (!wanted) return;
    var status = document.querySelector("[data-bg-compare-status]");
    var most = Number(box.dataset.bgMost) || 12;
    var named = wanted.split(",").filter(function (id, index, all) {
      return SLUG.test(id) && all.indexOf(id) === index;
    });
    var ids = named.slice(0, most);
    if (!ids.length) return;
    if (FROM_FILE) {
      status.textContent = "Comparing the case studies you chose needs the site served: " +
        "opened from a file, this page may not read their pages. The notice above says how.";
      return;
    }
    status.textContent = "Loading the " + ids.length + " case studies you chose\u2026";
    Promise.all(ids.map(function (id) {
      var address = box.dataset.bgCompare.replace("ID", id);
      return fetch(address)
        .then(function (reply) {
          if (reply.status === 404 || reply.status === 410) return { id: id, missing: true };
          if (!reply.ok) return { id: id, failed: "the server answered " + reply.status };
          return reply.text().then(function (text) {
            try {
              return { id: id, study: readStudy(id, address, text) };
            } catch (error) {
              return { id: id, missing: true }; /* a page, but not a case study's */
            }
          });
        })
        .catch(function () {
          return { id: id, failed: "the request was blocked or the connection failed" };
        });
    })).then(function (results) {
      var studies = results.filter(function (r) { return r.study; }).map(function (r) { return r.study; });
      var missing = results.filter(function (r) { return r.missing; }).map(function (r) { return r.id; });
      var failed = results.filter(function (r) { return r.failed; }).map(function (r) {
        return r.id + " (" + r.failed + ")";
      });
      if (studies.length) {
        fillTable(box.querySelector("table"), studies);
        if (measure) measure();
        var intro = document.querySelector("[data-bg-compare-intro]");
        if (intro) intro.textContent = "The case studies you chose, side by side. Every figure links to its source on the case study\u2019s page.";
      }
      var said = [];
      if (missing.length) said.push("No case study could be found for: " + missing.join(", ") + ".");
      if (failed.length) {
        said.push("Could not fetch the " + (failed.length === 1 ? "page" : "pages") + " of: " +
          failed.join(", ") + ". Reload the page to try again.");
      }
      status.textContent = said.length
        ? said.join(" ")
        : named.length > ids.length
          ? "Showing the first " + ids.length + " of the " + named.length + " case studies you chose."
          : studies.length === 1
            ? "Showing the case study you chose."
            : "Showing the " + studies.length + " case studies you chose.";
    });
  }

  /* Each element is set up once. Instant navigation brings new elements, set up anew;
     one the page kept (or a second start on the same page) is left as it was. */
  var ready = new WeakSet();

  function each(selector, setUp) {
    document.querySelectorAll(selector).forEach(function (element) {
      if (ready.has(element)) return;
      ready.add(element);
      setUp(element);
    });
  }

  function start() {
    each("[data-checklist][data-version]", setUpChecklist);
    each("[data-bg-pick]", setUpPicker); // first: the filters measure the page with it
    each("[data-bg-filters]", setUpFilters);
    each("[data-bg-compare]", setUpCompare);
    if (FROM_FILE) {
      var host = document.querySelector("article") || document.querySelector("main") || document.body;
      if (!ready.has(host)) {
        ready.add(host);
        noticeFromFile(host);
      }
    }
  }

  /* Material's document$ gives the page on its first load and again after each instant
     navigation (navigation.instant), which swaps the page's content in without running
     this script again. The page's own load starts it too: under navigation.instant,
     Material's document$ gives nothing on a page opened from a file, and another theme
     has none. A second start on the same page changes nothing. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
