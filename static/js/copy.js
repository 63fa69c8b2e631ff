// Order page: "Copy" buttons next to the bank details. Without JavaScript the buttons stay
// hidden and each value is plain text that one tap selects whole (CSS user-select: all).
(function () {
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  var buttons = document.querySelectorAll("button.copy-button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button.getAttribute("data-copy")).then(function () {
        Array.prototype.forEach.call(buttons, function (other) {
          other.classList.remove("copied");
          other.textContent = label;
        });
        button.classList.add("copied");
        button.textContent = button.getAttribute("data-copied");
      }, function () {
        var value = button.parentNode.querySelector(".pay-value");
        if (value && window.getSelection) {
          var range = document.createRange();
          range.selectNodeContents(value);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
        }
      });
    });
  });
})();
