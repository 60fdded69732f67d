// A little help where the browser has script; every form works without it.
(function () {
  "use strict";
  // Filters apply as soon as they change.
  document.querySelectorAll("form.filters select").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
})();
