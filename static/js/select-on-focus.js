// Fields marked data-select-on-focus (a read-only address to copy) select their whole text when focused.
(function () {
  "use strict";
  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
