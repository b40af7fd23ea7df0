/*
 * record-tabs.js: the tabs of a cadre record (干部档案 and 我的档案), and its print button. Loaded through
 * web/people/_record_scripts.html; a static file so that the Content Security Policy can refuse
 * every inline script.
 */
// Open the tab named in the URL (#family after adding a family member opens #tab-family), and
// keep the address in step when the user switches tabs, so reload and back return to that tab.
(function () {
  "use strict";
  function show(hash) {
    var name = hash ? hash.slice(1).replace(/[^a-z]/g, "") : "";
    var button = name && document.querySelector('[data-bs-target="#tab-' + name + '"]');
    if (button && window.bootstrap) { window.bootstrap.Tab.getOrCreateInstance(button).show(); }
  }
  show(window.location.hash);
  document.querySelectorAll('.record-tabs [data-bs-toggle="tab"]').forEach(function (button) {
    button.addEventListener("shown.bs.tab", function () {
      history.replaceState(null, "", "#" + button.getAttribute("data-bs-target").slice(5));
    });
  });
  var print = document.getElementById("print-record");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
})();
