/* The video form's shared parts for the three ways of sending its file (upload-progress.js: the whole form by
 * XMLHttpRequest; resumable-upload.js: in pieces to the portal by tus; bucket-upload.js: by S3 multipart straight
 * to the bucket): the progress box, the error line, the size check before sending, the cancel button and the
 * final post of the form naming an upload sent beforehand. Loaded before them; the first of them that takes a
 * form (UploadForm.bind) sends its file, the others leave it alone. */
(function () {
  "use strict";

  function bind(form) {
    var input = form.querySelector('input[type="file"]');
    var box = form.querySelector("[data-upload-progress-box]");
    if (!input || !box || form.hasAttribute("data-upload-bound")) {
      return null;
    }
    form.setAttribute("data-upload-bound", "");
    var bar = box.querySelector(".progress");
    var fill = box.querySelector(".progress-bar");
    var text = box.querySelector("[data-upload-progress-text]");
    var cancel = box.querySelector("[data-upload-cancel]");
    var error = form.querySelector("[data-upload-error]");
    var submit = form.querySelector("[data-upload-submit]");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    var unit = form.getAttribute("data-mb-label") || "MB";

    var ui = {
      form: form,
      input: input,
      hidden: form.querySelector('input[name="upload"]'),
      csrfToken: function () {
        var field = form.querySelector('input[name="csrfmiddlewaretoken"]');
        return field ? field.value : "";
      },
      message: function (name) {
        return form.getAttribute("data-" + name + "-message") || "";
      },
      showError: function (message) {
        error.textContent = message;
        error.hidden = false;
      },
      say: function (message) {
        text.textContent = message;
      },
      show: function (percent, message) {
        bar.setAttribute("aria-valuenow", String(percent));
        fill.style.width = percent + "%";
        fill.textContent = percent + "%";
        text.textContent = message;
      },
      showBytes: function (sent, total) {
        var percent = total ? Math.min(100, Math.floor((sent / total) * 100)) : 100;
        var mb = function (n) { return (n / 1048576).toFixed(1); };
        ui.show(percent, percent + "% (" + mb(sent) + " / " + mb(total) + " " + unit + ")");
      },
      start: function () {
        error.hidden = true;
        if (submit) {
          submit.disabled = true;
        }
        box.hidden = false;
        ui.show(0, "0%");
      },
      reset: function () {
        box.hidden = true;
        if (submit) {
          submit.disabled = false;
        }
      },
      onCancel: function (handler) {
        cancel.addEventListener("click", handler);
      },
      // handler(file, event) when the form is sent with a file within the limit; a link alone posts as usual.
      onSubmitFile: function (handler) {
        form.addEventListener("submit", function (event) {
          var file = input.files && input.files[0];
          if (!file) {
            return; // a link, or a file sent earlier: the ordinary post is quick
          }
          event.preventDefault();
          error.hidden = true;
          if (maxBytes && file.size > maxBytes) {
            ui.showError(ui.message("too-large"));
            input.focus();
            return;
          }
          handler(file, event);
        });
      },
      // The file is already there: post the form without it, naming the upload in its hidden «upload» field.
      submitNaming: function (uploadId) {
        ui.hidden.value = uploadId;
        input.value = "";
        ui.show(100, "100%");
        HTMLFormElement.prototype.submit.call(form);
      },
    };

    input.addEventListener("change", function () {
      error.hidden = true;
      var file = input.files && input.files[0];
      if (file && maxBytes && file.size > maxBytes) {
        ui.showError(ui.message("too-large"));
      }
    });
    return ui;
  }

  window.UploadForm = { bind: bind };
})();
