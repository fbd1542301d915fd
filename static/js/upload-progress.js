/* A progress bar for video uploads. Forms marked with data-upload-progress are sent with XMLHttpRequest when a
 * file is chosen, so the teacher sees how much has gone; the page the server answers with (the same page with
 * its message or its errors) then replaces this one. Without JavaScript, or without a file, the form posts as
 * usual. The size limit is checked here first only to spare a long upload: the server enforces it anyway. */
(function () {
  "use strict";

  function setup(form) {
    var input = form.querySelector('input[type="file"]');
    var box = form.querySelector("[data-upload-progress-box]");
    if (form.hasAttribute("data-resumable-ready")) {
      return; // resumable-upload.js sends the file in pieces instead
    }
    if (!input || !box || !window.FormData || !window.XMLHttpRequest) {
      return;
    }
    var bar = box.querySelector(".progress");
    var fill = box.querySelector(".progress-bar");
    var text = box.querySelector("[data-upload-progress-text]");
    var cancel = box.querySelector("[data-upload-cancel]");
    var error = form.querySelector("[data-upload-error]");
    var submit = form.querySelector("[data-upload-submit]");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    var unit = form.getAttribute("data-mb-label") || "MB";
    var xhr = null;

    function showError(message) {
      error.textContent = message;
      error.hidden = false;
    }

    function show(percent, message) {
      bar.setAttribute("aria-valuenow", String(percent));
      fill.style.width = percent + "%";
      fill.textContent = percent + "%";
      text.textContent = message;
    }

    function reset() {
      xhr = null;
      box.hidden = true;
      if (submit) {
        submit.disabled = false;
      }
    }

    input.addEventListener("change", function () {
      error.hidden = true;
      var file = input.files && input.files[0];
      if (file && maxBytes && file.size > maxBytes) {
        showError(form.getAttribute("data-too-large-message"));
      }
    });

    cancel.addEventListener("click", function () {
      if (xhr) {
        xhr.abort();
      }
    });

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (!file) {
        return; // a link only: the ordinary post is quick
      }
      event.preventDefault();
      error.hidden = true;
      if (maxBytes && file.size > maxBytes) {
        showError(form.getAttribute("data-too-large-message"));
        input.focus();
        return;
      }
      xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          var percent = Math.min(100, Math.floor((e.loaded / e.total) * 100));
          var mb = function (n) { return (n / 1048576).toFixed(1); };
          show(percent, percent + "% (" + mb(e.loaded) + " / " + mb(e.total) + " " + unit + ")");
        }
      };
      xhr.upload.onload = function () {
        show(100, "100%");
      };
      xhr.onload = function () {
        var html = xhr.responseText;
        if (xhr.responseURL && xhr.responseURL !== window.location.href) {
          window.history.replaceState(null, "", xhr.responseURL);
        }
        // The server's page (success message or the form with its errors) replaces this one.
        document.open();
        document.write(html);
        document.close();
      };
      xhr.onerror = function () {
        reset();
        showError(form.getAttribute("data-failed-message"));
      };
      xhr.onabort = function () {
        reset();
      };
      if (submit) {
        submit.disabled = true;
      }
      box.hidden = false;
      show(0, "0%");
      xhr.send(new FormData(form));
    });
  }

  var forms = document.querySelectorAll("form[data-upload-progress]");
  for (var i = 0; i < forms.length; i++) {
    setup(forms[i]);
  }
})();
