// The organisation map: markers from the same-origin GeoJSON endpoint over the configured tile
// server, or over a plain background when none is configured (then nothing leaves the site).
(function () {
  "use strict";
  const element = document.getElementById("organisation-map");
  if (!element || !window.L) {
    return;
  }
  const L = window.L;
  const map = L.map(element, { minZoom: 3, maxZoom: 18, zoomSnap: 0.5 });
  map.attributionControl.setPrefix(false);
  // Germany, until the points are there.
  map.setView([51.2, 10.4], 6);

  const tiles = element.dataset.tiles;
  if (tiles) {
    const credit = document.createElement("span");
    credit.textContent = element.dataset.attribution || "";
    L.tileLayer(tiles, { maxZoom: 19, attribution: credit.innerHTML }).addTo(map);
  } else {
    element.classList.add("org-map-plain");
  }

  function popup(properties) {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    const type = document.createElement("div");
    type.className = "popup-type";
    type.textContent = properties.type;
    box.append(link, type);
    return box;
  }

  function showError() {
    const note = document.createElement("p");
    note.className = "map-error";
    note.setAttribute("role", "alert");
    note.textContent = element.dataset.error;
    element.after(note);
  }

  fetch(element.dataset.points, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((data) => {
      const markers = data.features.map((feature) => {
        const [lon, lat] = feature.geometry.coordinates;
        const name = feature.properties.name;
        // Markers stay out of the tab order: with hundreds of them the list beside the map
        // is the way through for keyboards and screen readers.
        return L.marker([lat, lon], { title: name, alt: name, keyboard: false }).bindPopup(
          popup(feature.properties)
        );
      });
      if (!markers.length) {
        return;
      }
      const group = L.featureGroup(markers).addTo(map);
      map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 16 });
      element.dataset.markers = String(markers.length);
    })
    .catch(showError);
})();
