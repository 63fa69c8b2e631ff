// Checkout: choosing a province loads its communes at once (the button does it without JS).
(function () {
  var select = document.getElementById("id_province");
  var button = document.getElementById("show-communes");
  if (select && button) {
    select.addEventListener("change", function () { button.click(); });
  }
})();
