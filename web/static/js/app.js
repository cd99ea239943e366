// wxshop's own script: small behaviours htmx does not cover. No inline script anywhere (the CSP forbids it).
(function () {
  "use strict";

  // Tell the operator when an htmx request could not reach the server, instead of silently doing nothing.
  function showNetworkError() {
    var bar = document.getElementById("network-error");
    if (!bar) {
      bar = document.createElement("div");
      bar.id = "network-error";
      bar.className = "flash flash-error";
      bar.setAttribute("role", "alert");
      bar.textContent = document.documentElement.lang === "en"
        ? "The server could not be reached. Nothing was lost: check the connection and try again."
        : "无法连接服务器，已填写的内容没有丢失。请检查网络后重试。";
      var main = document.getElementById("main") || document.body;
      main.insertBefore(bar, main.firstChild);
    }
  }
  document.addEventListener("htmx:sendError", showNetworkError);
  document.addEventListener("htmx:responseError", showNetworkError);

  // Forms marked data-confirm ask before they submit (delete, disable ...).
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var msg = form && form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }
  }, true);
})();

// Drag and drop onto an upload zone fills its file input and sends the form.
(function () {
  "use strict";
  document.addEventListener("dragover", function (ev) {
    var zone = ev.target.closest && ev.target.closest("[data-dropzone]");
    if (zone) {
      ev.preventDefault();
      zone.classList.add("dragging");
    }
  });
  document.addEventListener("dragleave", function (ev) {
    var zone = ev.target.closest && ev.target.closest("[data-dropzone]");
    if (zone) zone.classList.remove("dragging");
  });
  document.addEventListener("drop", function (ev) {
    var zone = ev.target.closest && ev.target.closest("[data-dropzone]");
    if (!zone) return;
    ev.preventDefault();
    zone.classList.remove("dragging");
    var input = zone.querySelector("input[type=file]");
    if (input && ev.dataTransfer && ev.dataTransfer.files.length) {
      input.files = ev.dataTransfer.files;
      input.form.requestSubmit();
    }
  });
})();

// Cascading selects (the category picker): choosing a level drops the levels below it and asks for the next.
document.addEventListener("change", function (ev) {
  "use strict";
  var sel = ev.target;
  if (!sel.matches || !sel.matches("select[data-autosubmit]")) return;
  var level = Number(sel.getAttribute("data-level"));
  sel.form.querySelectorAll("select[data-autosubmit]").forEach(function (other) {
    if (Number(other.getAttribute("data-level")) > level) other.remove();
  });
  sel.form.requestSubmit();
});

// A filter box narrows a list as the operator types (data-filter names the items, data-filter-text their text).
// What was typed before this script ran (a slow connection) is applied as soon as it runs, and again when the
// browser restores a page with the box filled in.
(function () {
  "use strict";
  function applyFilter(box) {
    var needle = box.value.trim().toLowerCase();
    document.querySelectorAll(box.getAttribute("data-filter")).forEach(function (item) {
      var text = (item.getAttribute("data-filter-text") || item.textContent).toLowerCase();
      item.hidden = needle !== "" && text.indexOf(needle) < 0;
    });
  }
  function applyAll() {
    document.querySelectorAll("input[data-filter]").forEach(applyFilter);
  }
  document.addEventListener("input", function (ev) {
    var box = ev.target;
    if (box.matches && box.matches("input[data-filter]")) applyFilter(box);
  });
  applyAll();
  document.addEventListener("DOMContentLoaded", applyAll);
  window.addEventListener("pageshow", applyAll);
})();

// A print button prints the page (no inline handlers: the CSP forbids them).
document.addEventListener("click", function (ev) {
  "use strict";
  if (ev.target.closest && ev.target.closest("[data-print]")) window.print();
});

// On a phone the navigation is a row that scrolls sideways: bring the current area into view.
(function () {
  "use strict";
  function showCurrentArea() {
    var nav = document.querySelector(".sidenav");
    var active = nav && nav.querySelector("a.active");
    if (active && nav.scrollWidth > nav.clientWidth) {
      nav.scrollLeft = active.offsetLeft - nav.offsetLeft - (nav.clientWidth - active.offsetWidth) / 2;
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showCurrentArea);
  } else {
    showCurrentArea();
  }
})();

// An order opened to be shipped (its address ends in #ship): the cursor waits in the tracking number, so a
// barcode scanner's number and its Enter ship the parcel; with no courier chosen yet, in the courier.
(function () {
  "use strict";
  function focusShipForm() {
    if (window.location.hash !== "#ship") {
      return;
    }
    var company = document.getElementById("delivery_company");
    var trackNo = document.getElementById("delivery_track_no");
    if (company && trackNo) {
      (company.value ? trackNo : company).focus();
    }
  }
  // After the load: going to the #ship anchor, which the browser does once the document is parsed, would take
  // the focus away again.
  if (document.readyState === "complete") {
    focusShipForm();
  } else {
    window.addEventListener("load", focusShipForm);
  }
})();
