// "Use my position" on the search page: the browser's position, rounded to about 100 m, goes
// into the hidden lat/lon fields and the search runs. Without JavaScript or geolocation the
// button stays hidden and a postcode or Stadtteil does the same.
(function () {
  "use strict";
  var button = document.getElementById("use-position");
  if (!button || !("geolocation" in navigator)) {
    return;
  }
  var form = button.form || button.closest("form");
  var status = document.getElementById("position-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(3);
        form.elements.lon.value = position.coords.longitude.toFixed(3);
        form.elements.place.value = "";
        status.textContent = "";
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      },
      function () {
        status.textContent = button.dataset.failed;
      },
      { maximumAge: 600000, timeout: 15000 }
    );
  });
  // A typed place replaces the position.
  form.elements.place.addEventListener("input", function () {
    form.elements.lat.value = "";
    form.elements.lon.value = "";
  });
})();
