// Progressive enhancements shared by every page. Everything works without this file; it only
// makes things nicer. Loaded with `defer` from base.html (the CSP forbids inline scripts).
(function () {
  "use strict";

  // Navigation: an open group closes on a click elsewhere, on Escape, or when another opens.
  function navDropdowns() {
    var groups = Array.prototype.slice.call(document.querySelectorAll(".nav-dropdown"));
    if (!groups.length) return;
    groups.forEach(function (d) {
      d.addEventListener("toggle", function () {
        if (d.open) groups.forEach(function (o) { if (o !== d) o.open = false; });
      });
    });
    document.addEventListener("click", function (e) {
      groups.forEach(function (d) { if (d.open && !d.contains(e.target)) d.open = false; });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      groups.forEach(function (d) {
        if (d.open) { d.open = false; d.querySelector("summary").focus(); }
      });
    });
  }

  // Tables become cards on a phone (static/css/app.css): each cell gets its column's heading.
  function tableLabels() {
    document.querySelectorAll("main table:not(.keep-table)").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll(":scope > thead th"), function (th) {
        return th.textContent.replace(/[▲▼]/g, "").trim();
      });
      table.querySelectorAll(":scope > tbody > tr").forEach(function (tr) {
        var col = 0;
        Array.prototype.forEach.call(tr.children, function (cell) {
          if (heads[col] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[col]);
          col += cell.colSpan || 1;
        });
      });
    });
  }

  // A search box above a long select (time zones, languages, countries): typing hides the
  // options that do not match. The select itself is what the form submits.
  function searchableSelects() {
    document.querySelectorAll("select[data-searchable]").forEach(function (select) {
      var box = document.createElement("input");
      box.type = "search";
      box.className = "picker-search";
      box.placeholder = select.getAttribute("data-searchable") || "Search";
      box.setAttribute("aria-label", box.placeholder);
      box.setAttribute("aria-controls", select.id);
      select.parentNode.insertBefore(box, select);
      box.addEventListener("input", function () {
        var q = box.value.trim().toLowerCase();
        var first = null;
        Array.prototype.forEach.call(select.options, function (opt) {
          var hit = !q || opt.text.toLowerCase().indexOf(q) !== -1 || opt.value.toLowerCase().indexOf(q) !== -1;
          opt.hidden = !hit;
          if (hit && !first && opt.value) first = opt;
        });
        Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (g) {
          g.hidden = !Array.prototype.some.call(g.children, function (o) { return !o.hidden; });
        });
        // A single select follows the first match, so typing then tabbing on picks it.
        if (!select.multiple && first && q) select.value = first.value;
      });
    });
  }

  // A multiple select says in words what is chosen (its list is long and scrolls).
  function chosenSummaries() {
    document.querySelectorAll("select[multiple]").forEach(function (select) {
      var p = document.createElement("p");
      p.className = "picker-chosen";
      p.setAttribute("aria-live", "polite");
      function update() {
        var names = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
          .map(function (o) { return o.text; });
        p.textContent = names.length ? "Chosen: " + names.join(", ") : "None chosen";
      }
      select.addEventListener("change", update);
      update();
      select.parentNode.insertBefore(p, select.nextSibling);
    });
  }

  function browserZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch (e) { return null; }
  }

  // The time zone picker offers the device's own zone with one click.
  function timeZoneSuggestion() {
    var zone = browserZone();
    if (!zone) return;
    document.querySelectorAll("select[data-time-zone]").forEach(function (select) {
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
      if (!option || select.value === zone || zone === "UTC" || zone === "Etc/UTC") return;
      var p = document.createElement("p");
      p.className = "tz-suggest";
      var b = document.createElement("button");
      b.type = "button";
      b.className = "secondary small";
      var region = option.parentNode && option.parentNode.label ? option.parentNode.label + " / " : "";
      b.textContent = "Use this device's time zone: " + region + option.text;
      b.addEventListener("click", function () { select.value = zone; p.remove(); select.focus(); });
      p.appendChild(b);
      select.parentNode.insertBefore(p, select.nextSibling);
    });
  }

  // Times on staff pages are shown in the viewer's zone: the server reads it from this cookie
  // (a parliamentarian's own profile zone wins).
  function rememberZone() {
    var zone = browserZone();
    // Zone names are cookie-safe (letters, "/", "_", "-", "+"); the server checks the name anyway.
    if (zone && /^[A-Za-z0-9_\/+-]+$/.test(zone) && document.cookie.split("; ").indexOf("tz=" + zone) === -1) {
      document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  }

  // "Share this case": the device's share sheet where there is one; the copy box works everywhere.
  function shareButtons() {
    document.querySelectorAll("[data-share-url]").forEach(function (b) {
      if (!navigator.share) return;
      b.hidden = false;
      b.addEventListener("click", function () {
        navigator.share({ title: b.getAttribute("data-share-title") || document.title, url: b.getAttribute("data-share-url") })
          .catch(function () {});
      });
    });
  }

  function start() {
    navDropdowns();
    tableLabels();
    searchableSelects();
    chosenSummaries();
    timeZoneSuggestion();
    rememberZone();
    shareButtons();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
