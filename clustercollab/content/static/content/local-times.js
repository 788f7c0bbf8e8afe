// Adds the viewer's own local time after every <time data-local-time> whose zone differs,
// on load and after htmx swaps in new results.
(function () {
  "use strict";
  var viewerZone;
  try { viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short"
  });
  function addViewerTimes() {
    document.querySelectorAll("time[data-local-time]:not([data-local-done])").forEach(function (element) {
      element.setAttribute("data-local-done", "");
      var instant = new Date(element.getAttribute("datetime"));
      if (isNaN(instant)) { return; }
      var shownZone = (element.querySelector(".muted") || {}).textContent || "";
      if (shownZone.indexOf(viewerZone) !== -1) { return; }
      var local = document.createElement("span");
      local.className = "viewer-time";
      local.textContent = " · " + format.format(instant);
      local.title = viewerZone;
      element.after(local);
    });
  }
  addViewerTimes();
  document.addEventListener("htmx:afterSwap", addViewerTimes);
})();
