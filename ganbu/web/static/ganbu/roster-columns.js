/*
 * roster-columns.js: the roster's export column chooser (干部名册 → 导出 Excel 的列). Loaded by
 * web/people/cadre_list.html only. The up/down buttons move a column within the list; the checked
 * boxes are sent in the list's order, which is the order of the exported columns.
 */
(function () {
  const list = document.getElementById("column-choices");
  if (!list) return;
  list.addEventListener("click", function (event) {
    const button = event.target.closest(".col-move");
    if (!button) return;
    const item = button.closest(".column-choice");
    if (button.dataset.move === "up" && item.previousElementSibling) {
      list.insertBefore(item, item.previousElementSibling);
    } else if (button.dataset.move === "down" && item.nextElementSibling) {
      list.insertBefore(item.nextElementSibling, item);
    }
    button.focus();
  });
})();
