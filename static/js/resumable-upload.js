/* Resumable video uploads. A form marked data-resumable-endpoint sends its chosen file in pieces with
 * tus-js-client (installed from the npm registry, served as a static file) before the form itself: a broken
 * connection is retried on its own, and a page reloaded or reopened later goes on from the last piece the server
 * has. Once the file is all there, the form is posted without it, naming the upload in its hidden «upload»
 * field; the server checks the file as if it came with the form. Without JavaScript or tus-js-client the form
 * posts as before (upload-progress.js). */
(function () {
  "use strict";

  if (!window.tus || !window.tus.isSupported) {
    return;
  }

  function csrfToken(form) {
    var field = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  function setup(form) {
    var input = form.querySelector('input[type="file"]');
    var hidden = form.querySelector('input[name="upload"]');
    var box = form.querySelector("[data-upload-progress-box]");
    if (!input || !hidden || !box) {
      return;
    }
    form.setAttribute("data-resumable-ready", "");
    var bar = box.querySelector(".progress");
    var fill = box.querySelector(".progress-bar");
    var text = box.querySelector("[data-upload-progress-text]");
    var cancel = box.querySelector("[data-upload-cancel]");
    var error = form.querySelector("[data-upload-error]");
    var submit = form.querySelector("[data-upload-submit]");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    var chunkSize = parseInt(form.getAttribute("data-chunk-bytes"), 10) || 8388608;
    var unit = form.getAttribute("data-mb-label") || "MB";
    var upload = null;

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
      upload = null;
      box.hidden = true;
      if (submit) {
        submit.disabled = false;
      }
    }

    function serverMessage(err) {
      var response = err && err.originalResponse;
      var body = response ? response.getBody() : "";
      var status = response ? response.getStatus() : 0;
      if (body && status >= 400 && status < 500 && body.length < 500) {
        return body; // the server's own Russian sentence
      }
      return form.getAttribute("data-failed-message");
    }

    input.addEventListener("change", function () {
      error.hidden = true;
      var file = input.files && input.files[0];
      if (file && maxBytes && file.size > maxBytes) {
        showError(form.getAttribute("data-too-large-message"));
      }
    });

    cancel.addEventListener("click", function () {
      if (upload) {
        upload.abort(true); // also deletes what the server has (tus «termination»)
      }
      reset();
    });

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (!file) {
        return; // a link, or a file sent earlier: the ordinary post is quick
      }
      event.preventDefault();
      error.hidden = true;
      if (maxBytes && file.size > maxBytes) {
        showError(form.getAttribute("data-too-large-message"));
        input.focus();
        return;
      }
      upload = new window.tus.Upload(file, {
        endpoint: form.getAttribute("data-resumable-endpoint"),
        chunkSize: chunkSize,
        retryDelays: [0, 3000, 10000, 30000, 60000, 120000],
        removeFingerprintOnSuccess: true,
        metadata: { filename: file.name, filetype: file.type },
        headers: { "X-CSRFToken": csrfToken(form) },
        onProgress: function (sent, total) {
          var percent = Math.min(100, Math.floor((sent / total) * 100));
          var mb = function (n) { return (n / 1048576).toFixed(1); };
          show(percent, percent + "% (" + mb(sent) + " / " + mb(total) + " " + unit + ")");
        },
        onShouldRetry: function (err) {
          var status = err.originalResponse ? err.originalResponse.getStatus() : 0;
          if (status >= 400 && status < 500 && status !== 409 && status !== 423) {
            return false; // refused (too large, window closed): retrying will not help
          }
          text.textContent = form.getAttribute("data-retry-message");
          return true;
        },
        onError: function (err) {
          reset();
          showError(serverMessage(err));
        },
        onSuccess: function () {
          var parts = upload.url.replace(/\/+$/, "").split("/");
          hidden.value = parts[parts.length - 1];
          input.value = ""; // the file is on the server: the form goes without it
          show(100, "100%");
          HTMLFormElement.prototype.submit.call(form);
        },
      });
      if (submit) {
        submit.disabled = true;
      }
      box.hidden = false;
      show(0, "0%");
      var current = upload;
      current.findPreviousUploads().then(function (previous) {
        if (previous.length) {
          current.resumeFromPreviousUpload(previous[0]);
          text.textContent = form.getAttribute("data-resume-message");
        }
        current.start();
      });
    });
  }

  var forms = document.querySelectorAll("form[data-resumable-endpoint]");
  for (var i = 0; i < forms.length; i++) {
    setup(forms[i]);
  }
})();
