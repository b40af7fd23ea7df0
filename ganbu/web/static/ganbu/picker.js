/*
 * picker.js: the on-demand picker (type-ahead) for cadres and for posts. Vanilla JS, no dependencies.
 *
 * Why: a county has thousands of cadres and a province hundreds of thousands, so a form never
 * renders them into a <select>; it asks the server for at most 20 matches as the user types.
 *
 * USAGE (base.html already loads this file on every page):
 *
 *   <input type="text" name="cadre" data-picker="cadres"
 *          data-picker-url="{% url 'web:picker-cadres' %}"     optional, default "/pickers/cadres/"
 *          data-picker-label="张三（县财政局 副局长）"             optional: text shown for a preset id
 *          value="12">                                          optional: the preset cadre id
 *
 * The input stays where it is and becomes the visible search box; its `name` moves to a new
 * hidden input that carries the chosen cadre's id, so the form posts `cadre=<id>` (empty when
 * nothing is chosen). Typing a name or pinyin initials (`zs` finds 张三) calls
 * `GET <url>?q=<text>`, which answers
 *   {"results": [{"id": 12, "text": "张三（县财政局 副局长）", "name": "张三", "unit": "县财政局"}]}
 * Click or Enter chooses, ↑/↓ move, Esc closes. Editing the text after a choice clears the id,
 * so a stale id is never posted. After a choice the hidden input fires "change" and the visible
 * input fires "picker:select" with `event.detail` = the chosen result.
 *
 * A post picker is the same with data-picker="posts" and data-picker-url="{% url 'web:picker-posts' %}":
 * the server matches the unit and the post title in any spacing (「财政局副局长」), and an empty
 * answer says 「没有匹配的职位」 instead of 「没有匹配的干部」.
 *
 * Inputs added later: call `GanbuPicker.init(container)`; content swapped in by htmx is set up
 * automatically. Without JavaScript the input is a plain text box that posts what is typed.
 */
(function () {
  "use strict";

  var DEFAULT_URLS = { cadres: "/pickers/cadres/" };
  // What an empty answer says, by the picker's kind: it names what was searched for.
  var NOTHING_FOUND = { cadres: "没有匹配的干部", posts: "没有匹配的职位", units: "没有匹配的单位" };
  var DELAY_MS = 200;
  var counter = 0;

  function setup(input) {
    if (input.dataset.pickerReady) { return; }
    input.dataset.pickerReady = "1";
    var kind = input.dataset.picker;
    var url = input.dataset.pickerUrl || DEFAULT_URLS[kind] || DEFAULT_URLS.cadres;

    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.value;
    input.removeAttribute("name");
    input.value = input.dataset.pickerLabel || (hidden.value ? "编号 " + hidden.value : "");

    var wrap = document.createElement("div");
    wrap.className = "ganbu-picker";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(hidden);

    counter += 1;
    var menu = document.createElement("div");
    menu.className = "list-group ganbu-picker-menu shadow";
    menu.id = "ganbu-picker-menu-" + counter;
    menu.setAttribute("role", "listbox");
    menu.hidden = true;
    wrap.appendChild(menu);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", menu.id);
    input.setAttribute("autocomplete", "off");

    var timer = null;
    var sequence = 0;       // answers arriving out of order must not overwrite newer ones
    var results = [];
    var active = -1;

    function close() {
      menu.hidden = true;
      menu.textContent = "";
      results = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function note(text) {
      menu.textContent = "";
      var item = document.createElement("div");
      item.className = "list-group-item small text-muted";
      item.textContent = text;
      menu.appendChild(item);
      menu.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      var options = menu.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.classList.toggle("active", i === index);
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(row) {
      hidden.value = String(row.id);
      input.value = row.text;
      input.classList.remove("is-invalid");
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
      input.dispatchEvent(new CustomEvent("picker:select", { bubbles: true, detail: row }));
    }

    function render(rows) {
      results = rows;
      active = -1;
      if (!rows.length) { note(NOTHING_FOUND[kind] || NOTHING_FOUND.cadres); return; }
      menu.textContent = "";
      rows.forEach(function (row, i) {
        var option = document.createElement("button");
        option.type = "button";
        option.className = "list-group-item list-group-item-action py-1";
        option.id = menu.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.tabIndex = -1;
        option.textContent = row.text;
        // mousedown, not click: choosing must happen before the input loses focus.
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(row); });
        menu.appendChild(option);
      });
      menu.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function search() {
      var term = input.value.trim();
      if (!term) { close(); return; }
      sequence += 1;
      var mine = sequence;
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(term), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) { if (mine === sequence) { render(data.results || []); } })
        .catch(function () { if (mine === sequence) { note("查询失败，请稍后重试"); } });
    }

    input.addEventListener("input", function () {
      if (hidden.value) {
        hidden.value = "";  // the typed text no longer names the chosen cadre
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      }
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (menu.hidden) {
        if (event.key === "ArrowDown" && input.value.trim()) { search(); event.preventDefault(); }
        return;
      }
      if (event.key === "ArrowDown" && results.length) {
        highlight(Math.min(active + 1, results.length - 1));
        event.preventDefault();
      } else if (event.key === "ArrowUp" && results.length) {
        highlight(Math.max(active - 1, 0));
        event.preventDefault();
      } else if (event.key === "Enter") {
        // Enter chooses instead of submitting the form while the list is open.
        event.preventDefault();
        if (results.length) { choose(results[active >= 0 ? active : 0]); }
      } else if (event.key === "Escape") {
        close();
        event.preventDefault();
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init(root) {
    root = root || document;
    if (root.matches && root.matches("input[data-picker]")) { setup(root); }
    if (root.querySelectorAll) { root.querySelectorAll("input[data-picker]").forEach(setup); }
  }

  window.GanbuPicker = { init: init };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
