/*
 * unit-picker.js: search for a unit in a unit select that lists only a few (issue 13).
 *
 * A form renders <select data-unit-picker="/pickers/units/"> with 全部单位, the top two levels of
 * the user's units and the chosen unit (web/widgets/unit_picker.html, which also loads this file:
 * a static file, so that the Content Security Policy can refuse every inline script). This adds a
 * search box above the select; what is typed is sent to the picker (same origin, at most 20 units
 * in the user's scope) and the matches become the select's options, after 全部单位 and the chosen
 * unit. The officer then chooses in the select as before, so the form posts the same field.
 * Without JavaScript the select alone works.
 */
(function () {
  "use strict";

  var DELAY_MS = 200;

  function option(value, text, selected) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    if (selected) { o.selected = true; }
    return o;
  }

  function setup(select) {
    if (select.dataset.unitPickerReady) { return; }
    select.dataset.unitPickerReady = "1";
    var url = select.dataset.unitPicker;
    var initial = Array.prototype.map.call(select.options, function (o) { return [o.value, o.textContent]; });

    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = "输入单位名称查找";
    box.setAttribute("aria-label", "查找单位");
    box.setAttribute("autocomplete", "off");
    select.parentNode.insertBefore(box, select);

    var timer = null;
    var sequence = 0;  // an older answer arriving late must not replace a newer one

    function fill(rows) {
      var chosen = select.options[select.selectedIndex];
      var keep = chosen && chosen.value ? [chosen.value, chosen.textContent] : null;
      select.textContent = "";
      select.appendChild(option("", "全部单位", !keep));
      if (keep) { select.appendChild(option(keep[0], keep[1], true)); }
      rows.forEach(function (row) {
        if (!keep || String(row.id) !== keep[0]) { select.appendChild(option(String(row.id), row.text, false)); }
      });
      if (!rows.length) {
        var none = option("", "没有匹配的单位", false);
        none.disabled = true;
        select.appendChild(none);
      }
    }

    function restore() {
      var current = select.value;
      select.textContent = "";
      var seen = false;
      initial.forEach(function (pair) {
        select.appendChild(option(pair[0], pair[1], pair[0] === current));
        if (pair[0] === current) { seen = true; }
      });
      if (!seen && current) { fill([]); }
    }

    function search() {
      var term = box.value.trim();
      if (!term) { restore(); return; }
      sequence += 1;
      var mine = sequence;
      fetch(url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(term), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) { if (mine === sequence) { fill(data.results || []); } })
        .catch(function () { if (mine === sequence) { box.classList.add("is-invalid"); } });
    }

    box.addEventListener("input", function () {
      box.classList.remove("is-invalid");
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    // Enter in the box searches now instead of submitting the filter form.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); search(); select.focus(); }
    });
  }

  function init(root) {
    (root || document).querySelectorAll("select[data-unit-picker]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
