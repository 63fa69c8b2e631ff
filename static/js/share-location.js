// Serial page: "Share where I am" fills the form with the phone's position, after it asks.
(function () {
  var form = document.querySelector("[data-share-location]");
  if (!form || !navigator.geolocation) return;
  form.hidden = false;
  form.querySelector("button").addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.lat.value = pos.coords.latitude.toFixed(4);
      form.lon.value = pos.coords.longitude.toFixed(4);
      form.submit();
    });
  });
})();
