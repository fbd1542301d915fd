/* A search box over a long <select data-org-filter>: typing narrows the options by short or full name.
   Progressive enhancement: without JavaScript the select works as it is. */
(function () {
  "use strict";

  function normalise(text) {
    return (text || "")
      .toLocaleLowerCase("ru")
      .replace(/ё/g, "е")
      .replace(/[«»"'“”„]/g, "")
      .replace(/№\s*/g, "№ ")
      .replace(/\s+/g, " ")
      .trim();
  }

  function enhance(select, index) {
    var options = Array.prototype.slice.call(select.options);
    var placeholder = options.length && options[0].value === "" ? options[0] : null;
    var items = options.filter(function (o) { return o !== placeholder; }).map(function (o) {
      return { option: o, text: normalise(o.text + " " + (o.getAttribute("data-full-name") || "")) };
    });

    var found = select.getAttribute("data-filter-found") || "%(n)s";
    var id = (select.id || "org-select-" + index) + "-filter";
    var wrapper = document.createElement("div");
    wrapper.className = "mb-2";
    var label = document.createElement("label");
    label.className = "form-label small";
    label.htmlFor = id;
    label.textContent = select.getAttribute("data-filter-label") || "";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control form-control-sm";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    var status = document.createElement("p");
    status.className = "form-text mb-0";
    status.id = id + "-status";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    select.parentNode.insertBefore(wrapper, select);

    input.addEventListener("input", function () {
      var words = normalise(input.value).split(" ").filter(Boolean);
      var selected = select.value;
      var shown = 0;
      // Rebuild the list: hidden <option>s are not hidden in every mobile browser.
      while (select.options.length) { select.remove(0); }
      if (placeholder) { select.add(placeholder); }
      items.forEach(function (item) {
        var match = words.every(function (w) { return item.text.indexOf(w) !== -1; });
        if (match || item.option.value === selected) {
          select.add(item.option);
          if (match) { shown += 1; }
        }
      });
      select.value = selected;
      status.textContent = words.length ? found.replace("%(n)s", String(shown)) : "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var selects = document.querySelectorAll("select[data-org-filter]");
    Array.prototype.forEach.call(selects, enhance);
  });
})();
