/* Resumable video uploads. A form marked data-resumable-endpoint sends its chosen file in pieces with
 * tus-js-client (installed from the npm registry, served as a static file) before the form itself: a broken
 * connection is retried on its own, and a page reloaded or reopened later goes on from the last piece the server
 * has. Once the file is all there, the form is posted without it, naming the upload in its hidden «upload»
 * field; the server checks the file as if it came with the form. Without JavaScript or tus-js-client the form
 * posts as before (upload-progress.js). The box, messages and checks: upload-form.js. */
(function () {
  "use strict";

  if (!window.UploadForm || !window.tus || !window.tus.isSupported) {
    return;
  }

  function setup(form) {
    var ui = window.UploadForm.bind(form);
    if (!ui || !ui.hidden) {
      return;
    }
    var chunkSize = parseInt(form.getAttribute("data-chunk-bytes"), 10) || 8388608;
    var upload = null;

    function serverMessage(err) {
      var response = err && err.originalResponse;
      var body = response ? response.getBody() : "";
      var status = response ? response.getStatus() : 0;
      if (body && status >= 400 && status < 500 && body.length < 500) {
        return body; // the server's own Russian sentence
      }
      return ui.message("failed");
    }

    ui.onCancel(function () {
      if (upload) {
        upload.abort(true); // also deletes what the server has (tus «termination»)
      }
      upload = null;
      ui.reset();
    });

    ui.onSubmitFile(function (file) {
      upload = new window.tus.Upload(file, {
        endpoint: form.getAttribute("data-resumable-endpoint"),
        chunkSize: chunkSize,
        retryDelays: [0, 3000, 10000, 30000, 60000, 120000],
        removeFingerprintOnSuccess: true,
        metadata: { filename: file.name, filetype: file.type },
        headers: { "X-CSRFToken": ui.csrfToken() },
        onProgress: ui.showBytes,
        onShouldRetry: function (err) {
          var status = err.originalResponse ? err.originalResponse.getStatus() : 0;
          if (status >= 400 && status < 500 && status !== 409 && status !== 423) {
            return false; // refused (too large, window closed): retrying will not help
          }
          ui.say(ui.message("retry"));
          return true;
        },
        onError: function (err) {
          upload = null;
          ui.reset();
          ui.showError(serverMessage(err));
        },
        onSuccess: function () {
          var parts = upload.url.replace(/\/+$/, "").split("/");
          ui.submitNaming(parts[parts.length - 1]);
        },
      });
      ui.start();
      var current = upload;
      current.findPreviousUploads().then(function (previous) {
        if (previous.length) {
          current.resumeFromPreviousUpload(previous[0]);
          ui.say(ui.message("resume"));
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
