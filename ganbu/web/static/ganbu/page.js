/*
 * page.js: small behaviours every page may use, declared in the HTML with data- attributes instead
 * of inline event handlers (which the Content Security Policy refuses). base.html loads it.
 *
 *   <button type="button" data-print>打印</button>           prints the page
 *   <form method="post" data-confirm="确定清除…？">           asks before submitting; 取消 keeps the form
 */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (!button) { return; }
    event.preventDefault();
    window.print();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
