/* Progressive enhancement of the search box and filters. The page works without it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Wide screens show the facets beside the results; phones keep them folded.
  if (window.matchMedia && window.matchMedia("(min-width: 720px)").matches) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-facets-fold]"), function (d) {
      d.open = true;
    });
  }

  var filters = document.querySelector("[data-search-filters]");
  if (filters) {
    filters.addEventListener("change", function (event) {
      if (event.target.name !== "q") filters.submit();
    });
  }

  var lang = document.documentElement.lang || "vi";
  var inputs = document.querySelectorAll('input[type="search"][name="q"]');
  Array.prototype.forEach.call(inputs, function (input, n) {
    var url = input.getAttribute("data-suggest-url") || "/" + lang + "/tim-kiem/goi-y/";
    var list = document.createElement("ul");
    var timer = null;
    var active = -1;
    list.className = "search-suggestions";
    list.id = "search-suggestions-" + n;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.style.position = "relative";
    input.parentNode.appendChild(list);

    function close() { list.hidden = true; active = -1; }
    function mark(index) {
      var items = list.children;
      if (!items.length) return;
      active = (index + items.length) % items.length;
      Array.prototype.forEach.call(items, function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
      });
    }
    function show(data) {
      list.innerHTML = "";
      data.suggestions.forEach(function (s) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        li.setAttribute("role", "option");
        a.href = s.url;
        a.innerHTML = s.html; /* server-escaped, only <mark> added */
        li.appendChild(a);
        list.appendChild(li);
      });
      list.style.top = input.offsetTop + input.offsetHeight + "px";
      list.style.left = input.offsetLeft + "px";
      list.style.width = input.offsetWidth + "px";
      list.hidden = !data.suggestions.length;
      active = -1;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value;
      if (q.trim().length < 2) { close(); return; }
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) { if (input.value === q) show(data); })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { mark(active + 1); event.preventDefault(); }
      else if (event.key === "ArrowUp") { mark(active - 1); event.preventDefault(); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.children[active].firstChild.href;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  });
})();
