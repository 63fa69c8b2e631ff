// Wagtail's editor turns a title into a slug with Django's URLify tables, where "đ" becomes
// "dj" (Serbian). Vietnamese writes đ for d: "Nước mắm đặc biệt" → "nuoc-mam-dac-biet".
// Runs in the capture phase, before Wagtail's own w-slug handlers read the value.
(function () {
  function fold(text) { return String(text).replace(/đ/g, "d").replace(/Đ/g, "D"); }
  function isSlug(target) {
    return target && target.matches && target.matches("[data-controller~='w-slug']");
  }
  document.addEventListener("w-sync:apply", function (event) {
    if (isSlug(event.target) && event.detail && typeof event.detail.value === "string") {
      event.detail.value = fold(event.detail.value);
    }
  }, true);
  document.addEventListener("w-sync:check", function (event) {
    if (isSlug(event.target) && event.detail && typeof event.detail.value === "string") {
      event.detail.value = fold(event.detail.value);
    }
  }, true);
  ["blur", "change"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (isSlug(event.target) && /[đĐ]/.test(event.target.value)) {
        event.target.value = fold(event.target.value);
      }
    }, true);
  });
})();
