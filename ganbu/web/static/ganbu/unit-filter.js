/*
 * unit-filter.js: the filter box above the unit tree (单位与职数). Loaded by web/org/unit_list.html only;
 * a static file so that the Content Security Policy can refuse every inline script.
 */
// Filter rows by name; a parent stays visible when one of its descendants matches.
(function () {
  const input = document.getElementById("unit-filter");
  if (!input) return;
  const rows = Array.from(document.querySelectorAll(".unit-tree tbody tr"));
  input.addEventListener("input", function () {
    const term = input.value.trim();
    rows.forEach(function (row) { row.hidden = term !== "" && !row.dataset.name.includes(term); });
    if (term === "") return;
    // Walk upwards from each match and reveal its ancestors (rows with smaller depth above it).
    rows.forEach(function (row, i) {
      if (row.hidden) return;
      let depth = parseInt(row.querySelector(".unit-indent").style.getPropertyValue("--depth"), 10);
      for (let j = i - 1; j >= 0 && depth > 0; j--) {
        const d = parseInt(rows[j].querySelector(".unit-indent").style.getPropertyValue("--depth"), 10);
        if (d < depth) { rows[j].hidden = false; depth = d; }
      }
    });
  });
})();
