/*
 * document-form.js: the appointment document form (任免文件). Loaded by web/org/document_form.html only;
 * a static file so that the Content Security Policy can refuse every inline script.
 */
// Document items: add and remove rows (Django formset), show the post or the rank by kind,
// and the on-demand pickers that search the server as one types (never a full list).
(function () {
  const form = document.getElementById("document-form");
  if (!form) return;
  const table = form.querySelector("table.doc-items");
  const total = form.querySelector("input[name='items-TOTAL_FORMS']");

  function renumber() {
    let n = 0;
    table.querySelectorAll("tbody.doc-item").forEach(function (body) {
      if (!body.hidden) { n += 1; body.querySelector(".item-no").textContent = n; }
    });
  }

  function applyKind(body) {
    const kind = body.querySelector(".item-kind select").value;
    const isRank = kind === "rank";
    body.querySelector(".item-post .org-picker").hidden = isRank;
    body.querySelector(".item-post .item-na").hidden = !isRank;
    body.querySelector(".item-rank select").hidden = !isRank;
    body.querySelector(".item-rank .item-na").hidden = isRank;
  }

  document.getElementById("item-add").addEventListener("click", function () {
    const index = parseInt(total.value, 10);
    const html = document.getElementById("item-template").innerHTML.replace(/__prefix__/g, String(index));
    table.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const body = table.querySelector("tbody.doc-item:last-of-type");
    applyKind(body);
    renumber();
    body.querySelector(".org-picker-input").focus();
  });

  table.addEventListener("click", function (event) {
    const button = event.target.closest(".item-remove");
    if (!button) return;
    const body = button.closest("tbody.doc-item");
    body.querySelector("input[name$='-DELETE']").checked = true;
    body.hidden = true;
    renumber();
  });

  table.addEventListener("change", function (event) {
    if (event.target.matches(".item-kind select")) applyKind(event.target.closest("tbody.doc-item"));
  });

  table.querySelectorAll("tbody.doc-item").forEach(applyKind);
  renumber();

  // ---- pickers
  let timer = null;
  function close(picker) {
    const menu = picker.querySelector(".org-picker-menu");
    menu.hidden = true;
    menu.innerHTML = "";
    picker.querySelector(".org-picker-input").setAttribute("aria-expanded", "false");
  }
  function choose(picker, id, text) {
    picker.querySelector("input[type=hidden]").value = id;
    picker.querySelector(".org-picker-input").value = text;
    picker.classList.remove("has-error");
    close(picker);
  }
  function search(picker) {
    const input = picker.querySelector(".org-picker-input");
    const menu = picker.querySelector(".org-picker-menu");
    const url = picker.dataset.url;
    if (!url) return;
    const term = input.value.trim();
    if (!term) { close(picker); return; }
    fetch(url + "?q=" + encodeURIComponent(term), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {results: []}; })
      .then(function (data) {
        if (input.value.trim() !== term) return;  // an older answer arriving late
        menu.innerHTML = "";
        (data.results || []).forEach(function (row, i) {
          const option = document.createElement("button");
          option.type = "button";
          option.className = "list-group-item list-group-item-action py-1 small" + (i === 0 ? " active" : "");
          option.setAttribute("role", "option");
          option.dataset.id = row.id;
          option.dataset.text = picker.dataset.kind === "posts" ? (row.unit + " " + row.title) : row.text;
          option.textContent = row.text;
          menu.appendChild(option);
        });
        if (!menu.children.length) {
          const empty = document.createElement("div");
          empty.className = "list-group-item text-muted py-1 small";
          empty.textContent = "没有找到（只列出您管理范围内的）";
          menu.appendChild(empty);
        }
        menu.hidden = false;
        input.setAttribute("aria-expanded", "true");
      });
  }
  table.addEventListener("input", function (event) {
    if (!event.target.matches(".org-picker-input")) return;
    const picker = event.target.closest(".org-picker");
    picker.querySelector("input[type=hidden]").value = "";  // typed text no longer names the chosen one
    clearTimeout(timer);
    timer = setTimeout(function () { search(picker); }, 200);
  });
  table.addEventListener("keydown", function (event) {
    if (!event.target.matches(".org-picker-input")) return;
    const picker = event.target.closest(".org-picker");
    const menu = picker.querySelector(".org-picker-menu");
    const options = Array.from(menu.querySelectorAll("button"));
    const current = options.findIndex(function (o) { return o.classList.contains("active"); });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (menu.hidden || !options.length) { search(picker); return; }
      event.preventDefault();
      const next = (current + (event.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
      options.forEach(function (o, i) { o.classList.toggle("active", i === next); });
      options[next].scrollIntoView({block: "nearest"});
    } else if (event.key === "Enter") {
      if (!menu.hidden && current >= 0) {
        event.preventDefault();
        choose(picker, options[current].dataset.id, options[current].dataset.text);
      }
    } else if (event.key === "Escape") {
      close(picker);
    }
  });
  table.addEventListener("mousedown", function (event) {
    const option = event.target.closest(".org-picker-menu button");
    if (!option) return;
    event.preventDefault();  // keep focus in the input until the choice is made
    choose(option.closest(".org-picker"), option.dataset.id, option.dataset.text);
  });
  table.addEventListener("focusout", function (event) {
    if (!event.target.matches(".org-picker-input")) return;
    const picker = event.target.closest(".org-picker");
    setTimeout(function () { close(picker); }, 150);
  });
})();
