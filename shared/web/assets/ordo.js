// Progressive enhancements only: every page works without this file.
"use strict";

// The scan beside the registration form: shows the chosen file before it is sent.
(function previewScan() {
  var input = document.getElementById("document");
  var pane = document.getElementById("scan-preview");
  if (!input || !pane) return;
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    pane.replaceChildren();
    // Only the kinds a scan may be; anything else is refused by the server anyway.
    if (!file || !/^(application\/pdf|image\/(jpeg|png|tiff))$/.test(file.type)) return;
    var url = URL.createObjectURL(file);
    var view;
    if (file.type.indexOf("image/") === 0) {
      view = document.createElement("img");
      view.alt = file.name;
    } else {
      view = document.createElement("iframe");
      view.title = file.name;
    }
    view.src = url;
    pane.appendChild(view);
  });
})();

// Search-as-you-type in the correspondents directory for sender and recipient.
(function directorySearch() {
  var list = document.getElementById("correspondents");
  if (!list) return;
  var timer = null;
  function search(text) {
    fetch("/api/v1/correspondents?q=" + encodeURIComponent(text), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (found) {
        list.replaceChildren();
        found.forEach(function (c) {
          var option = document.createElement("option");
          option.value = c.name;
          list.appendChild(option);
        });
      })
      .catch(function () {});
  }
  ["sender", "recipient"].forEach(function (id) {
    var input = document.getElementById(id);
    if (!input) return;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value;
      if (text.length < 2) return;
      timer = setTimeout(function () { search(text); }, 150);
    });
  });
})();

// The portal's filing form: shows how much of the files has been sent, then the
// receipt. Without this file the form posts normally, with the browser's spinner.
(function uploadProgress() {
  var form = document.getElementById("filing");
  var status = document.getElementById("upload-status");
  if (!form || !status || !window.FormData || !window.XMLHttpRequest) return;
  var bar = document.getElementById("upload-progress");
  var text = document.getElementById("upload-text");
  var sending = form.getAttribute("data-sending") || "%";
  var failed = form.getAttribute("data-failed") || "";
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    status.hidden = false;
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      text.textContent = sending.replace("%", String(percent));
    });
    request.addEventListener("load", function () {
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      text.textContent = failed;
      if (button) button.disabled = false;
    });
    request.send(new FormData(form));
  });
})();
