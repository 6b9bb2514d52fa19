// yuma dashboard: long runs (paper reproduction, diagnostic sweep) stream
// NDJSON progress lines and a final line with the result's HTML. Leaving the
// page aborts the request, and the server stops the run.
(function () {
  "use strict";
  function show(el, text, cls) {
    el.textContent = "";
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    el.appendChild(p);
  }
  function run(form) {
    var target = document.querySelector(form.dataset.target);
    var prog = document.querySelector(form.dataset.progress);
    var bar = prog.querySelector("progress");
    var label = prog.querySelector(".label");
    var button = form.querySelector("button[type=submit]");
    prog.hidden = false;
    bar.removeAttribute("value");
    label.textContent = "starting…";
    button.disabled = true;
    target.setAttribute("aria-busy", "true");
    var body = form.enctype === "multipart/form-data" ? new FormData(form) : new URLSearchParams(new FormData(form));
    var done = function () {
      button.disabled = false;
      target.removeAttribute("aria-busy");
    };
    fetch(form.action, { method: "POST", body: body, headers: { "Accept": "application/x-ndjson" } })
      .then(function (resp) {
        if (!resp.ok) {
          return resp.text().then(function (t) {
            prog.hidden = true;
            show(target, t.trim() || resp.statusText, "error");
          });
        }
        var reader = resp.body.getReader();
        var dec = new TextDecoder();
        var buf = "";
        var handle = function (line) {
          if (!line) return;
          var msg = JSON.parse(line);
          if (msg.total > 0) {
            bar.max = msg.total;
            bar.value = msg.done;
            label.textContent = msg.done + " / " + msg.total;
          }
          if (msg.final) {
            if (msg.error) {
              prog.hidden = true;
              show(target, msg.error, "error");
            } else {
              label.textContent = "done (" + msg.total + " runs)";
              target.innerHTML = msg.html;
              target.dataset.complete = "true";
            }
          }
        };
        var pump = function () {
          return reader.read().then(function (r) {
            buf += dec.decode(r.value || new Uint8Array(), { stream: !r.done });
            var lines = buf.split("\n");
            buf = lines.pop();
            lines.forEach(handle);
            if (!r.done) return pump();
            handle(buf);
          });
        };
        return pump();
      })
      .catch(function (err) {
        prog.hidden = true;
        show(target, "request failed: " + err, "error");
      })
      .finally(done);
  }
  // htmx does not swap error responses: show their one-line message instead.
  document.addEventListener("htmx:responseError", function (ev) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    var xhr = ev.detail.xhr;
    flash.textContent = (xhr.responseText || xhr.statusText || "request failed").trim();
    flash.hidden = false;
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var flash = document.getElementById("flash");
    if (flash) flash.hidden = true;
  });
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.classList && form.classList.contains("run-form")) {
      ev.preventDefault();
      run(form);
    }
  });
})();
