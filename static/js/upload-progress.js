/* A progress bar for video uploads. Forms marked with data-upload-progress are sent with XMLHttpRequest when a
 * file is chosen, so the teacher sees how much has gone; the page the server answers with (the same page with
 * its message or its errors) then replaces this one. Without JavaScript, or without a file, the form posts as
 * usual; a form that resumable-upload.js or bucket-upload.js took is theirs. The size limit is checked first only
 * to spare a long upload: the server enforces it anyway. The box, messages and checks: upload-form.js. */
(function () {
  "use strict";

  if (!window.UploadForm || !window.FormData || !window.XMLHttpRequest) {
    return;
  }

  function setup(form) {
    var ui = window.UploadForm.bind(form);
    if (!ui) {
      return;
    }
    var xhr = null;

    ui.onCancel(function () {
      if (xhr) {
        xhr.abort();
      }
    });

    ui.onSubmitFile(function () {
      xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          ui.showBytes(e.loaded, e.total);
        }
      };
      xhr.upload.onload = function () {
        ui.show(100, "100%");
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
        xhr = null;
        ui.reset();
        ui.showError(ui.message("failed"));
      };
      xhr.onabort = function () {
        xhr = null;
        ui.reset();
      };
      ui.start();
      xhr.send(new FormData(form));
    });
  }

  var forms = document.querySelectorAll("form[data-upload-progress]");
  for (var i = 0; i < forms.length; i++) {
    setup(forms[i]);
  }
})();
