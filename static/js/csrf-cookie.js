// Add-to-cart forms on cached pages carry no CSRF token: the page is the same for every
// visitor (cms/pagecache.py). At submit this puts the visitor's token from the CSRF cookie
// into the form; a browser without the cookie first asks data-csrf-url for one (204).
// Without this script, or if it fails, the post goes without a token and the server answers
// with a confirmation page that carries one (security/csrf.py): nothing is lost.
(function () {
  "use strict";

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i].trim();
      if (part.indexOf(name + "=") === 0) {
        return decodeURIComponent(part.slice(name.length + 1));
      }
    }
    return "";
  }

  function fill(form, token) {
    if (!token) {
      return;
    }
    var field = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "csrfmiddlewaretoken";
      field.setAttribute("data-from-cookie", "");
      form.appendChild(field);
    }
    field.value = token;
  }

  // Back from the cart (page restored from the back/forward cache): the form may post again.
  window.addEventListener("pageshow", function () {
    var pending = document.querySelectorAll("form[data-csrf-pending]");
    for (var i = 0; i < pending.length; i++) {
      pending[i].removeAttribute("data-csrf-pending");
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-csrf-url]")) {
      return;
    }
    var rendered = form.querySelector('input[name="csrfmiddlewaretoken"]:not([data-from-cookie])');
    if (rendered && rendered.value) {
      return; // a page made for this visitor alone already holds their token
    }
    var name = form.getAttribute("data-csrf-cookie") || "csrftoken";
    var token = readCookie(name);
    if (token || !window.fetch) {
      fill(form, token);
      return;
    }
    event.preventDefault();
    if (form.hasAttribute("data-csrf-pending")) {
      return; // a second click while the cookie is on its way: one post only
    }
    form.setAttribute("data-csrf-pending", "");
    fetch(form.getAttribute("data-csrf-url"), { credentials: "same-origin", cache: "no-store" })
      .catch(function () {})
      .then(function () {
        fill(form, readCookie(name));
        form.submit();
      });
  });
})();
