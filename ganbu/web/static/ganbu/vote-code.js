/*
 * vote-code.js: fill the voting code from the address a slip's QR code opens (…/vote/12/#code=ABCD-…).
 *
 * Why the fragment: the part after "#" never leaves the phone, so the code is not written to any
 * server or proxy log. The fragment is removed from the address bar and history at once.
 */
(function () {
  "use strict";
  var match = /(?:^#|&)code=([A-Za-z0-9-]{4,64})/.exec(window.location.hash);
  if (!match) { return; }
  var input = document.getElementById("id_code");
  if (input && !input.value) { input.value = match[1].toUpperCase(); }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
