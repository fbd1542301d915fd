// Follows a long job on its status page: polls the JSON status and reloads once the job has finished,
// so that the result link appears. Without JavaScript the page refreshes itself (a <noscript> meta tag).
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.finished === "1") return;
  var url = box.dataset.statusUrl;
  var bar = box.querySelector('[data-job="bar"]');
  var fill = bar.querySelector(".progress-bar");
  var counts = box.querySelector('[data-job="counts"]');
  var status = box.querySelector('[data-job="status"]');
  var message = box.querySelector('[data-job="message"]');

  // The badge and the message box take the state's colour (the same choice as the template's).
  var BADGE = { failed: "text-bg-danger", done: "text-bg-success", interrupted: "text-bg-warning" };
  var ALERT = { failed: "alert-danger", interrupted: "alert-warning" };

  function show(data) {
    bar.setAttribute("aria-valuenow", String(data.percent));
    fill.style.width = data.percent + "%";
    fill.textContent = data.percent + "%";
    status.textContent = data.status_display;
    status.className = "badge " + (BADGE[data.status] || "text-bg-secondary");
    message.className = ALERT[data.status] ? "alert " + ALERT[data.status] : "";
    if (data.total) counts.textContent = counts.dataset.template
      ? counts.dataset.template.replace("{done}", data.done).replace("{total}", data.total)
      : data.done + " / " + data.total;
    message.textContent = data.message;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return setTimeout(poll, 5000);
        show(data);
        if (data.finished) window.location.reload();
        else setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
