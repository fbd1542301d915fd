/* Video uploads straight to the S3 bucket (media on S3). A form marked data-bucket-endpoint sends its chosen file
 * by S3 multipart before the form itself: the portal starts the upload, signs each part's PUT, and the browser
 * sends the part to the bucket, so no byte passes through the portal. A broken connection is retried on its own
 * (the part is signed again, an expired address too); the upload's address is kept in localStorage, as
 * tus-js-client keeps its own, so a page reloaded or reopened later asks the portal which parts the bucket has and
 * sends only the others. Then the portal joins the parts (from S3's own list, so the parts' ETags need not be
 * read here) and the form is posted without the file, naming the upload in its hidden «upload» field; the server
 * checks the file as if it came with the form. Without JavaScript the form posts as before.
 * Plain code rather than Uppy's @uppy/aws-s3: that package ships only ES modules importing other packages and
 * needs a bundler, which the portal does not have (its browser libraries are served as npm ships them).
 * The box, messages and checks: upload-form.js. */
(function () {
  "use strict";

  if (!window.UploadForm || !window.fetch || !window.Promise || !window.XMLHttpRequest) {
    return;
  }

  var RETRY_DELAYS = [0, 3000, 10000, 30000, 60000, 120000];

  function wait(ms) {
    return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
  }

  function saved(key, value) {
    try {
      if (value === undefined) {
        return JSON.parse(window.localStorage.getItem(key) || "null");
      }
      if (value === null) {
        window.localStorage.removeItem(key);
      } else {
        window.localStorage.setItem(key, JSON.stringify(value));
      }
    } catch (e) {
      return null; // private mode or a full storage: the upload still works, it only cannot resume after a reload
    }
    return null;
  }

  function setup(form) {
    var ui = window.UploadForm.bind(form);
    if (!ui || !ui.hidden) {
      return;
    }
    var endpoint = form.getAttribute("data-bucket-endpoint");
    var current = null;

    function api(method, url, body) {
      return window.fetch(url, {
        method: method,
        credentials: "same-origin",
        headers: { "X-CSRFToken": ui.csrfToken(), "Content-Type": "application/json", Accept: "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) {
            var err = new Error(data.error || String(response.status));
            err.status = response.status;
            err.serverMessage = data.error;
            throw err;
          }
          return data;
        });
      }, function () {
        var err = new Error("network");
        err.status = 0;
        throw err;
      });
    }

    function keyFor(file) {
      return "bucket-upload::" + endpoint + "::" + [file.name, file.size, file.type, file.lastModified].join("::");
    }

    function retryable(err) {
      if (err.aborted) {
        return false;
      }
      // The bucket refusing a part (an expired address) is worth a new signature; the portal's own refusals
      // (too large, window closed) are final.
      return err.fromBucket || err.status === 0 || err.status >= 500;
    }

    function attempt(step, tries) {
      return step().catch(function (err) {
        if (current.cancelled || !retryable(err) || tries >= RETRY_DELAYS.length) {
          throw err;
        }
        ui.say(ui.message("retry"));
        return wait(RETRY_DELAYS[tries]).then(function () { return attempt(step, tries + 1); });
      });
    }

    function begin(file) {
      var known = saved(keyFor(file));
      var create = function () {
        return api("POST", endpoint, { filename: file.name, size: file.size }).then(function (upload) {
          saved(keyFor(file), { url: upload.url });
          upload.parts = [];
          return upload;
        });
      };
      if (!known || !known.url) {
        return create();
      }
      return api("GET", known.url).then(function (upload) {
        ui.say(ui.message("resume"));
        return upload;
      }, function (err) {
        if (err.status === 404) {
          saved(keyFor(file), null); // given up or removed as abandoned: start again
          return create();
        }
        throw err;
      });
    }

    function sendPart(upload, file, number, before) {
      return api("POST", upload.sign_url, { parts: [number] }).then(function (signed) {
        return new Promise(function (resolve, reject) {
          var start = (number - 1) * upload.part_size;
          var blob = file.slice(start, Math.min(start + upload.part_size, file.size));
          var xhr = new XMLHttpRequest();
          current.xhr = xhr;
          xhr.open("PUT", signed.urls[String(number)]);
          xhr.upload.onprogress = function (e) {
            ui.showBytes(before + e.loaded, file.size);
          };
          xhr.onload = function () {
            if (xhr.status >= 200 && xhr.status < 300) {
              resolve(blob.size);
              return;
            }
            var err = new Error("part " + number + ": " + xhr.status);
            err.fromBucket = true;
            reject(err);
          };
          xhr.onerror = function () {
            var err = new Error("network");
            err.status = 0;
            reject(err);
          };
          xhr.onabort = function () {
            var err = new Error("aborted");
            err.aborted = true;
            reject(err);
          };
          xhr.send(blob);
        });
      });
    }

    function sendMissing(upload, file) {
      var have = {};
      var done = 0;
      (upload.parts || []).forEach(function (part) {
        have[part.number] = true;
        done += part.size;
      });
      ui.showBytes(done, file.size);
      var chain = Promise.resolve();
      for (var n = 1; n <= upload.parts_count; n++) {
        if (!have[n]) {
          chain = chain.then(sendOne.bind(null, n));
        }
      }
      function sendOne(number) {
        return attempt(function () { return sendPart(upload, file, number, done); }, 0).then(function (sent) {
          done += sent;
        });
      }
      return chain;
    }

    ui.onCancel(function () {
      var upload = current && current.upload;
      if (current) {
        current.cancelled = true;
        if (current.xhr) {
          current.xhr.abort();
        }
        saved(keyFor(current.file), null);
      }
      if (upload) {
        api("DELETE", upload.url).catch(function () { return null; }); // what stays is removed as abandoned
      }
      ui.reset();
    });

    ui.onSubmitFile(function (file) {
      var run = { file: file, cancelled: false, xhr: null, upload: null };
      current = run;
      ui.start();
      attempt(function () { return begin(file); }, 0)
        .then(function (upload) {
          run.upload = upload;
          if (upload.completed) {
            return upload; // sent and joined before the page was left: only the form is still to go
          }
          return sendMissing(upload, file).then(function () {
            return attempt(function () { return api("POST", upload.complete_url); }, 0);
          });
        })
        .then(function (finished) {
          if (run.cancelled) {
            return;
          }
          saved(keyFor(file), null);
          ui.submitNaming(finished.id);
        })
        .catch(function (err) {
          if (run.cancelled) {
            return;
          }
          ui.reset();
          ui.showError(err.serverMessage || ui.message("failed"));
        });
    });
  }

  var forms = document.querySelectorAll("form[data-bucket-endpoint]");
  for (var i = 0; i < forms.length; i++) {
    setup(forms[i]);
  }
})();
